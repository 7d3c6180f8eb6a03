package io.jtcp.scenario;

import io.jtcp.tcp.SocketOptions;

/** Both ends send SYN at once to each other's port: SYN_SENT, SYN_RECEIVED, ESTABLISHED on both sides (RFC 9293 Figure 7). */
final class SimultaneousOpenScenario implements Scenario {
    @Override public String name() { return "simultaneous-open"; }

    @Override public String title() { return "both ends connect to each other at the same moment"; }

    @Override
    public Explanation run(Run run) throws Exception {
        World w = run.world();
        byte[] helloA = "hello from 10.0.0.1".getBytes(), helloB = "hello from 10.0.0.2".getBytes();
        // Each closes once it has the other's hello: data arriving after close() would be answered with RST.
        App a = new App(w.net).sends(helloA, App.AfterSending.NOTHING).closesAfterReceiving(helloB.length);
        App b = new App(w.net).sends(helloB, App.AfterSending.NOTHING).closesAfterReceiving(helloA.length);
        w.client.connect(5000, World.SERVER, 6000, new SocketOptions(run.options.sysctls()), a, 0);
        w.server.connect(6000, World.CLIENT, 5000, new SocketOptions(run.options.sysctls()), b, 0);
        w.net.runFor(World.ms(12));
        run.show("each side got the other's SYN while in SYN_SENT");
        w.runUntilEmpty();
        return Explanation.of(
                "Both hosts sent a SYN before either arrived. Each SYN found its receiver in SYN_SENT, which answered"
                        + " with SYN-ACK and moved to SYN_RECEIVED (" + String.join(", ", w.states("client").subList(0, 3)) + ").",
                "Each SYN-ACK then acknowledged the other's SYN, so both reached ESTABLISHED without a listener anywhere:"
                        + " one connection, not two.");
    }
}
