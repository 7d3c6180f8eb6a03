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
    /**
     * Connections that entered the TIME_WAIT table (Linux's TW counts them when their
     * TIME_WAIT ends; counting at entry tells the same story a minute earlier).
     */
    public long timeWait;
    /** TIME_WAIT 4-tuples taken over by outgoing connections under tcp_tw_reuse (TWRecycled). */
    public long timeWaitRecycled;
    /** TIME_WAIT entries deleted by an RST, without tcp_rfc1337 (TIME_WAIT assassination, RFC 1337). */
    public long timeWaitKilled;
    /** Connections that found the TIME_WAIT table full (tcp_max_tw_buckets) and closed at once (TCPTimeWaitOverflow). */
    public long timeWaitOverflow;
    /** Segments of synchronized connections dropped by PAWS, RFC 7323 §5 (PAWSEstab). */
    public long pawsEstablished;
    private final long[] drops = new long[DropReason.values().length];

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }
}
