package io.jtcp.scenario;

import io.jtcp.tcp.Connection;

/** Both applications close at the same moment: the FINs cross, both go through CLOSING into TIME_WAIT. */
final class SimultaneousCloseScenario implements Scenario {
    @Override public String name() { return "simultaneous-close"; }

    @Override public String title() { return "both ends close at once: FIN_WAIT_1, CLOSING, TIME_WAIT on both sides"; }

    @Override
    public Explanation run(Run run) throws Exception {
        World w = run.world();
        Conversation c = Conversation.start(w, new App(w.net), () -> new App(w.net));
        w.net.runFor(World.ms(100));
        Connection clientSide = c.clientConn, serverSide = c.server.conn;
        w.net.at(World.ms(200), () -> clientSide.close(w.net.now()));
        w.net.at(World.ms(200), () -> serverSide.close(w.net.now()));
        w.net.runFor(World.ms(108));
        run.show("both FINs crossed: each side is in CLOSING, waiting for the ACK of its own FIN");
        w.runUntilEmpty();
        return Explanation.of(
                "Both applications closed at 0.200 s, so each FIN left before the other's arrived.",
                "A FIN arriving in FIN_WAIT_1 before the ACK of our own FIN means CLOSING; the ACKs then took both"
                        + " sides to TIME_WAIT (client: " + String.join(", ", w.states("client")) + ").",
                "Both ends were active closers, so both waited 2MSL in TIME_WAIT.");
    }
}
