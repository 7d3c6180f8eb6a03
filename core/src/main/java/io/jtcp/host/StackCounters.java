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
    /** SYNs and handshakes (cookie ones too) that found the accept queue full (Linux's ListenOverflows). */
    public long listenOverflows;
    /** SYNs and handshakes a listener dropped for any reason (ListenDrops): a superset of listenOverflows. */
    public long listenDrops;
    /** SYN-ACKs sent with a SYN cookie instead of a SYN queue entry (SyncookiesSent). */
    public long syncookiesSent;
    /** ACKs that returned a valid SYN cookie (SyncookiesRecv). */
    public long syncookiesRecv;
    /** ACKs to a listener that had sent cookies lately which were not a valid cookie (SyncookiesFailed). */
    public long syncookiesFailed;
    /** SYNs that found the SYN queue full (or tcp_syncookies = 2) and were answered with a cookie (TCPReqQFullDoCookies). */
    public long reqQFullDoCookies;
    /** SYNs dropped because the SYN queue was full and cookies are off (TCPReqQFullDrop). */
    public long reqQFullDrop;
    private final long[] drops = new long[DropReason.values().length];

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }
}
