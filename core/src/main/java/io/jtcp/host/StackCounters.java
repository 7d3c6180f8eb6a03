package io.jtcp.host;

import io.jtcp.wire.DropReason;

/**
 * A stack's counters, named after Linux's SNMP MIB (nstat's TcpActiveOpens and
 * friends), plus one count per drop reason.
 */
public final class StackCounters {
    public long activeOpens;
    public long passiveOpens;
    public long attemptFails;
    public long establishedResets;
    public long inSegments;
    public long outSegments;
    public long inErrors;
    public long outResets;
    /** Handshakes that found the accept queue full (Linux's ListenOverflows). */
    public long listenOverflows;
    /** SYNs and handshakes a listener dropped for any reason (ListenDrops). */
    public long listenDrops;
    private final long[] drops = new long[DropReason.values().length];

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }
}
