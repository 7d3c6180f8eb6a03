package io.jtcp.scenario.soak;

import java.util.ArrayList;
import java.util.List;

/** Every transfer of a soak and how many have ended on both sides, without scanning them all per event. */
public final class SoakLedger {
    private final List<SoakTransfer> transfers = new ArrayList<>();
    private int done;

    public SoakTransfer add(long requestSize, long replySize) {
        SoakTransfer t = new SoakTransfer(transfers.size(), requestSize, replySize);
        transfers.add(t);
        return t;
    }

    public SoakTransfer get(int id) {
        return id >= 0 && id < transfers.size() ? transfers.get(id) : null;
    }

    public int size() { return transfers.size(); }

    public int done() { return done; }

    public boolean allDone() { return done == transfers.size(); }

    void ended(SoakTransfer t, boolean client) {
        if (client ? t.clientClosed : t.serverClosed) return;
        if (client) t.clientClosed = true;
        else t.serverClosed = true;
        if (t.done()) done++;
    }

    /** The transfers that did not end cleanly, at most {@code limit} of them. */
    public List<SoakTransfer> failures(int limit) {
        return transfers.stream().filter(t -> !t.ok()).limit(limit).toList();
    }

    public long failureCount() {
        return transfers.stream().filter(t -> !t.ok()).count();
    }

    /** Payload bytes both ways over every transfer. */
    public long bytes() {
        return transfers.stream().mapToLong(t -> t.requestSize + t.replySize).sum();
    }
}
