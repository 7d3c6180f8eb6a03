package io.jtcp.cli;

import io.jtcp.api.StackLoop;
import io.jtcp.config.Sysctls;
import io.jtcp.observe.PcapWriter;
import io.jtcp.observe.TraceSink;
import io.jtcp.tun.NativeException;
import io.jtcp.tun.NetNs;
import io.jtcp.tun.TunHost;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * What serve and connect share: the namespace (if asked), the TUN device with the
 * kernel's end configured, the stack's loop on it, and the trace. Closing (also from the
 * shutdown hook on Ctrl-C) stops the loop, removes the device, and removes a namespace
 * this run created.
 */
final class TunSession implements AutoCloseable {
    /** Exit code for "this machine cannot do it": not root, no /dev/net/tun, no iproute2. */
    static final int NEEDS_SETUP = 2;

    final TunHost host;
    final StackLoop loop;
    private final PcapWriter pcap;
    private final Thread hook;
    private volatile boolean closed;

    private TunSession(TunHost host, StackLoop loop, PcapWriter pcap) {
        this.host = host;
        this.loop = loop;
        this.pcap = pcap;
        this.hook = new Thread(this::close, "jtcp-tun-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static TunSession open(String name, TunOptions o, TraceSink trace, PrintStream err) throws IOException {
        NetNs ns = null;
        TunHost host = null;
        try {
            if (o.netns != null) ns = NetNs.createOrEnter(o.netns);
            host = TunHost.open(o.device, o.addrs, o.kernelAddrs, o.mtu, ns);
        } catch (IllegalArgumentException e) {
            if (ns != null) ns.close();
            throw new CommandLine.ParameterException(new CommandLine(new Object()), e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (ns != null) ns.close();
            throw e;
        }
        PcapWriter pcap = null;
        try {
            if (o.pcap != null) pcap = PcapWriter.create(o.pcap);
            TraceSink sink = pcap == null ? trace : trace.andThen(pcap);
            StackLoop loop = host.stackBuilder(name).sysctls(Sysctls.linux().set("mtu=" + o.mtu)).start(host.link());
            loop.execute(() -> loop.stack().setTrace(sink));
            for (TunHost.Address a : host.addresses()) {
                err.printf("jtcp %s on %s (mtu %d), kernel at %s%s%n", a.jtcpCidr(), host.device(), host.mtu(),
                        a.kernel(), ns == null ? "" : " in namespace " + ns.name());
            }
            err.printf("%s offloads: %s%n", host.device(), host.link().device().offloads());
            return new TunSession(host, loop, pcap);
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** The one sentence a user needs when the machine cannot run a TUN command, or null. */
    static String setupProblem(String command, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NativeException n && n.needsSetup()) {
                return "jtcp " + command + ": " + n.getMessage() + ".";
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        try {
            loop.close();
        } finally {
            var l = host.link();
            System.err.printf("%s: %d packets in (%d super-segments), %d out (%d in %d super-segments), %d not IP (dropped),"
                    + " %d refused by a full device queue%n", host.device(), l.received(), l.superSegmentsRead(), l.sent(),
                    l.segmentsGlued(), l.superSegmentsWritten(), l.notIp(), l.queueFull());
            host.close();
            if (pcap != null) {
                try {
                    pcap.close();
                } catch (IOException ignored) {
                    // the capture is best effort at exit
                }
            }
        }
    }
}
