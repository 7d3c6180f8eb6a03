package io.jtcp.tun.scenario;

import io.jtcp.api.TcpOption;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.State;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * jtcp is a server that closed its connection first and restarts: its TIME_WAIT still
 * holds the port, so bind() fails with EADDRINUSE until the new listener sets SO_REUSEADDR.
 */
final class AddressInUseStory implements KernelScenario {
    @Override public String name() { return "address-in-use"; }

    @Override public String title() { return "jtcp's server restarts while its TIME_WAIT holds the port: EADDRINUSE, then SO_REUSEADDR"; }

    /**
     * Linux's own TIME_WAIT (60 s), not a shortened one: the restart must happen inside it
     * however slowly the machine runs, and the story never waits it out.
     */
    @Override public List<String> defaultSysctls() { return List.of("msl=30s"); }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        int port = Acts.JTCP_PORT;
        TcpServerSocket first = TcpServerSocket.open(run.loop());
        first.setOption(TcpOption.SO_REUSEADDR, true);
        first.bind(run.wildcard(), port);
        first.listen(16);
        Acts.Conn c = Acts.kernelClient(run, first);
        Acts.requestReply(run, c);
        Thread kernelApp = Acts.kernelClosesOnEof(run, c, new CountDownLatch(0));
        c.jtcp().close();
        run.user("jtcp", "close", c.jtcpEnd(), "0");
        first.close();
        run.user("jtcp", "close", run.jtcpEnd(port) + " (the listener: the server stops)", "0");
        KernelRun.join(kernelApp);
        run.awaitJtcp(State.TIME_WAIT, port);
        run.show("the server closed first, so its connection holds TIME_WAIT on port " + port + "; the listener is gone");

        String plain;
        TcpServerSocket again = TcpServerSocket.open(run.loop());
        String failedAt = "bind";
        try {
            again.bind(run.wildcard(), port);
            failedAt = "listen";
            again.listen(16);
            plain = "0";
        } catch (IOException e) {
            plain = Acts.failure(e);
        } finally {
            again.close();
        }
        run.user("jtcp", failedAt.equals("bind") ? "bind" : "bind+listen", run.jtcpEnd(port) + " (restart, no SO_REUSEADDR)", plain);

        TcpServerSocket reuse = TcpServerSocket.open(run.loop());
        reuse.setOption(TcpOption.SO_REUSEADDR, true);
        run.user("jtcp", "setsockopt", run.jtcpEnd(port), "SO_REUSEADDR 1");
        String withReuse;
        try {
            reuse.bind(run.wildcard(), port);
            reuse.listen(16);
            withReuse = "0";
        } catch (IOException e) {
            withReuse = Acts.failure(e);
        }
        run.user("jtcp", "bind+listen", run.jtcpEnd(port) + " (restart with SO_REUSEADDR)", withReuse);
        String served = "no";
        if (withReuse.equals("0")) {
            Acts.Conn next = Acts.kernelClient(run, reuse);
            Acts.requestReply(run, next);
            served = "yes, from " + next.kernelEnd();
        }
        run.show("the restarted server listens beside the old TIME_WAIT and serves a new client");
        return Explanation.of(
                "jtcp's server closed its connection first, so that connection went to TIME_WAIT and kept its share of port " + port
                        + ", exactly as a Linux server's does, even after the listener itself was closed.",
                "Restarting without SO_REUSEADDR, " + failedAt + "() failed: " + plain + ". With SO_REUSEADDR (set on the old listener too, as"
                        + " servers do) the new bind() returned " + withReuse + ": TIME_WAIT does not block a port for sockets that"
                        + " agree to share it, only a listener or a live connection would.",
                "The kernel then connected again from a new port and was served (" + served + "): the new connection's 4-tuple"
                        + " differs from the one in TIME_WAIT, so old duplicates cannot be mistaken for it.");
    }
}
