package io.jtcp.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the iproute2 tools ({@code ip}, {@code ss}, {@code nstat}) with ProcessBuilder.
 * iproute2 is a documented dependency; {@code scripts/ensure-tools.sh iproute2} installs it.
 */
public final class Ip {
    private Ip() {}

    /** Runs {@code command}, returns its standard output; fails with its output when it exits non-zero. */
    public static String run(String... command) throws IOException {
        return run(List.of(command));
    }

    public static String run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new NativeException("cannot run '" + command.getFirst() + "': " + e.getMessage()
                    + " (needs iproute2: scripts/ensure-tools.sh iproute2)", true);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        int code;
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
            code = p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (code != 0) {
            boolean perm = text.contains("Operation not permitted") || text.contains("Permission denied");
            throw new NativeException(String.join(" ", command) + " failed (exit " + code + "): " + text.strip()
                    + (perm ? " (needs root or CAP_NET_ADMIN)" : ""), perm);
        }
        return text;
    }

    /** {@code ip [-n NS] ARGS...}: the namespace may be null for the current one. */
    public static String ip(String netns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        if (netns != null) {
            cmd.add("-n");
            cmd.add(netns);
        }
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a command inside a namespace ({@code ip netns exec NS ...}), or directly when {@code netns} is null. */
    public static String exec(String netns, String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) cmd.addAll(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(command));
        return run(cmd);
    }
}
