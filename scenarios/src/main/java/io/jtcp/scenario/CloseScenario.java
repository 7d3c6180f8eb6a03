package io.jtcp.scenario;

import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.State;

/**
 * The four-way close: one side closes first (active close) and ends in TIME_WAIT;
 * the other (passive close) acknowledges, closes when its application is done, and
 * is gone as soon as its FIN is acknowledged.
 */
final class CloseScenario implements Scenario {
    private final boolean serverFirst;

    CloseScenario(boolean serverFirst) {
        this.serverFirst = serverFirst;
    }

    @Override public String name() { return serverFirst ? "server-close" : "four-way-close"; }

    @Override
    public String title() {
        return serverFirst ? "the server closes first and holds TIME_WAIT" : "the client closes first: FIN, ACK, FIN, ACK, then TIME_WAIT";
    }

    @Override
    public Explanation run(Run run) throws Exception {
        World w = run.world();
        long think = World.ms(100);
        App active = new App(w.net), passive = new App(w.net).closesOnEof(think);
        // Each side closes only after reading what it expects: data arriving after close() would be answered with RST.
        if (serverFirst) {
            Conversation.start(w, passive.sends(Conversation.REQUEST, App.AfterSending.NOTHING),
                    () -> active.sends(Conversation.REPLY, App.AfterSending.NOTHING).closesAfterReceiving(Conversation.REQUEST.length));
        } else {
            Conversation.start(w, active.sends(Conversation.REQUEST, App.AfterSending.NOTHING).closesAfterReceiving(Conversation.REPLY.length),
                    () -> passive.sends(Conversation.REPLY, App.AfterSending.NOTHING));
        }
        String closer = serverFirst ? "server" : "client", other = serverFirst ? "client" : "server";
        w.net.runWhile(() -> w.stateEvents(closer, State.FIN_WAIT_2).isEmpty(), World.seconds(10));
        run.show("the " + closer + "'s FIN is acknowledged: FIN_WAIT_2 on one side, CLOSE_WAIT on the other");
        w.net.runWhile(() -> w.stateEvents(closer, State.TIME_WAIT).isEmpty(), World.seconds(10));
        w.net.runFor(World.ms(20));
        run.show("the " + closer + " is in TIME_WAIT; the " + other + " is gone");
        w.runUntilEmpty();
        TraceEvent.StateEvent tw = w.stateEvents(closer, State.TIME_WAIT).getFirst();
        TraceEvent.StateEvent gone = w.stateEvents(closer, State.CLOSED).getLast();
        return Explanation.of(
                "The " + closer + " closed first: its FIN took it to FIN_WAIT_1, the " + other
                        + "'s ACK to FIN_WAIT_2, while the " + other + " sat in CLOSE_WAIT until its application closed.",
                "The " + other + "'s FIN (LAST_ACK) was answered by the " + closer + "'s final ACK at " + Conversation.at(tw.timeNanos())
                        + ", and the " + other + " was gone as soon as that ACK arrived.",
                "The " + closer + " alone waited in TIME_WAIT for 2MSL, until " + Conversation.at(gone.timeNanos())
                        + ", in case that final ACK was lost and the FIN came again, and so that no old segment"
                        + " of this connection could be taken for part of a new one.");
    }
}
