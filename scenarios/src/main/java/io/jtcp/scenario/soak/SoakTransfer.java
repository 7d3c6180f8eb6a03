package io.jtcp.scenario.soak;

import io.jtcp.api.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection of a soak: how much each side must send, and what each side saw.
 * Each receiver checks every byte against {@link SoakPayload} as it reads, so "once and
 * in order" is checked at the first wrong byte, not only in a digest at the end.
 */
public final class SoakTransfer {
    public final int id;
    public final long requestSize, replySize;
    long requestReceived = -1, replyReceived = -1;
    long firstBadOffset = -1;
    final List<Errno> errors = new ArrayList<>(0);
    boolean clientClosed, serverClosed;

    public SoakTransfer(int id, long requestSize, long replySize) {
        this.id = id;
        this.requestSize = Math.max(4, requestSize);
        this.replySize = replySize;
    }

    /** The key of one direction's stream. */
    long key(boolean request) { return id * 2L + (request ? 0 : 1); }

    public boolean done() { return clientClosed && serverClosed; }

    /** Both ends closed, every byte arrived intact, and no error was reported. */
    public boolean ok() {
        return done() && requestReceived == requestSize && replyReceived == replySize && firstBadOffset < 0 && errors.isEmpty();
    }

    /** What went wrong, for a failure message. */
    public String describe() {
        return "#" + id + " request " + requestReceived + "/" + requestSize + " reply " + replyReceived + "/" + replySize
                + (firstBadOffset >= 0 ? " first wrong byte at " + firstBadOffset : "") + " closed client=" + clientClosed
                + " server=" + serverClosed + " errors " + errors;
    }
}
