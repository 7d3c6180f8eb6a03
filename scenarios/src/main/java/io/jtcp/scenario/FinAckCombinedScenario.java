package io.jtcp.scenario;

import io.jtcp.tcp.Cause;

/**
 * The seed's three-segment close: the passive side closes the moment it reads end
 * of stream, so its delayed ACK of the client's FIN rides on its own FIN, and the
 * client goes from FIN_WAIT_1 straight to TIME_WAIT, never through FIN_WAIT_2.
 */
final class FinAckCombinedScenario implements Scenario {
    @Override public String name() { return "fin-ack-combined"; }

    @Override public String title() { return "FIN+ACK arrives in FIN_WAIT_1: straight to TIME_WAIT"; }

    @Override
    public Explanation run(Run run) throws Exception {
        World w = run.world();
        Conversation.start(w, new App(w.net).sends(Conversation.REQUEST, App.AfterSending.CLOSE),
                () -> new App(w.net).closesOnEof(0));
        w.runUntilEmpty();
        boolean direct = w.sawCause("client", Cause.FIN_WITH_ACK_OF_FIN);
        return Explanation.of(
                "The server's application closed as soon as it read end of stream, within the 40 ms a delayed ACK may wait,",
                "so the server's ACK of the client's FIN and its own FIN left as one segment (Flags [F.]).",
                direct ? "The client, still in FIN_WAIT_1, got its FIN acknowledged and the peer's FIN at once and went"
                        + " straight to TIME_WAIT: three segments closed the connection instead of four."
                        : "This time the ACK came alone, so the client passed through FIN_WAIT_2 as in the four-way close.");
    }
}
