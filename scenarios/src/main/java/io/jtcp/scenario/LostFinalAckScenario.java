package io.jtcp.scenario;

import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.PacketMatch;
import io.jtcp.tcp.Cause;
import io.jtcp.api.Errno;

/**
 * The first reason for TIME_WAIT: the active closer's final ACK is lost, the peer
 * retransmits its FIN, and only a closer still in TIME_WAIT can answer it with an
 * ACK. With {@code --ablate time-wait} the closer has forgotten the connection and
 * answers with RST, and the peer sees ECONNRESET.
 */
final class LostFinalAckScenario implements Scenario {
    @Override public String name() { return "lost-final-ack"; }

    @Override public String title() { return "the final ACK is lost; TIME_WAIT re-ACKs the retransmitted FIN"; }

    @Override
    public Explanation run(Run run) throws Exception {
        boolean ablated = run.options.ablated(ScenarioOptions.ABLATE_TIME_WAIT);
        World w = ablated ? run.world(withoutTimeWait(run), withoutTimeWait(run)) : run.world();
        // The client's second ACK-only segment is its ACK of the server's FIN (the first completes the handshake).
        FaultRule dropFinalAck = FaultRule.drop(PacketMatch.path(World.CLIENT, World.SERVER).and(PacketMatch.ackOnly())).nth(2);
        w.net.addRule(dropFinalAck);
        App server = new App(w.net).closesOnEof(World.ms(100));
        Conversation.start(w, new App(w.net).sends(Conversation.REQUEST, App.AfterSending.CLOSE), () -> server);
        w.net.runFor(World.ms(140));
        run.show("the client's final ACK was lost: the server still waits in LAST_ACK");
        w.runUntilEmpty();
        if (w.sawCause("client", Cause.TIME_WAIT_FIN_REACKED)) {
            return Explanation.of(
                    "The client's final ACK was dropped on the way, so the server, in LAST_ACK, retransmitted its FIN after its RTO.",
                    "The client was still in TIME_WAIT: it answered the retransmitted FIN with a new ACK and restarted its 2MSL timer.",
                    "The server then closed cleanly" + (server.error == null ? ", with no error." : " (" + server.error + ")."));
        }
        return Explanation.of(
                "The client's final ACK was dropped, so the server retransmitted its FIN.",
                "With TIME_WAIT ablated the client had already deleted the connection: the FIN found no socket and was answered with RST.",
                "The server, in LAST_ACK, took the RST as an error: " + (server.error == Errno.ECONNRESET
                        ? "ECONNRESET, a failed close" : String.valueOf(server.error))
                        + ". This is the first reason TIME_WAIT exists: to answer a FIN that has to be sent again.");
    }

    /** The closer skips TIME_WAIT: with no room in the TIME_WAIT table it goes straight to CLOSED, as Linux does. */
    static io.jtcp.config.Sysctls withoutTimeWait(Run run) {
        return run.options.sysctls().set("tcp_max_tw_buckets", "0");
    }
}
