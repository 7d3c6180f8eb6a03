package io.jtcp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code jtcp} command. Exit codes: 0 success, 1 the command failed, 2 bad usage.
 */
@Command(
        name = "jtcp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A user-space TCP/IPv4 stack for the JVM: watch TCP's lifecycle in a deterministic simulator.",
        subcommands = {DemoCommand.class, ScenarioCommand.class, ServeCommand.class, ConnectCommand.class, ProxyCommand.class, BenchCommand.class,
                PacketdrillCommand.class, SoakCommand.class, FuzzCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        // No argument files: picocli would read "@NAME" as one and fail with a stack trace where NAME is unreadable.
        return new CommandLine(new Main())
                .setExpandAtFiles(false)
                .setExecutionExceptionHandler(Main::failure);
    }

    /** {@code jtcp} alone: a subcommand is required. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command, such as 'demo'.");
    }

    /** A failing command prints one line, not a stack trace; JTCP_DEBUG=1 shows the trace too. */
    private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        var err = cmd.getErr();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        if ("1".equals(System.getenv("JTCP_DEBUG"))) e.printStackTrace(err);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jtcp " + (v == null ? "(development build)" : v)};
        }
    }
}
