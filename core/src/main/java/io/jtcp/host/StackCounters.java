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
    /** Requests in SYN_RECEIVED reset and dropped, here under tcp_abort_on_overflow (EmbryonicRsts). */
    public long embryonicRsts;
    private final long[] drops = new long[DropReason.values().length];

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Every drop count by reason, in the enum's order. */
    public java.util.Map<DropReason, Long> dropsByReason() {
        java.util.Map<DropReason, Long> m = new java.util.EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) m.put(r, drops[r.ordinal()]);
        return m;
    }

    /**
     * The counters under the names nstat gives Linux's: the Tcp MIB, then TcpExt.
     * {@code currentEstablished} is a gauge the stack supplies (TcpCurrEstab).
     */
    public java.util.Map<String, Long> asMap(long currentEstablished, long retransmittedSegments) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("TcpActiveOpens", activeOpens);
        m.put("TcpPassiveOpens", passiveOpens);
        m.put("TcpAttemptFails", attemptFails);
        m.put("TcpEstabResets", establishedResets);
        m.put("TcpCurrEstab", currentEstablished);
        m.put("TcpInSegs", inSegments);
        m.put("TcpOutSegs", outSegments);
        m.put("TcpRetransSegs", retransmittedSegments);
        m.put("TcpInErrs", inErrors);
        m.put("TcpOutRsts", outResets);
        m.put("TcpExtTW", timeWait);
        m.put("TcpExtTWRecycled", timeWaitRecycled);
        m.put("TcpExtTWKilled", timeWaitKilled);
        m.put("TcpExtTCPTimeWaitOverflow", timeWaitOverflow);
        m.put("TcpExtPAWSEstab", pawsEstablished);
        m.put("TcpExtEmbryonicRsts", embryonicRsts);
        m.put("TcpExtListenOverflows", listenOverflows);
        m.put("TcpExtListenDrops", listenDrops);
        m.put("TcpExtTCPReqQFullDoCookies", reqQFullDoCookies);
        m.put("TcpExtTCPReqQFullDrop", reqQFullDrop);
        m.put("TcpExtSyncookiesSent", syncookiesSent);
        m.put("TcpExtSyncookiesRecv", syncookiesRecv);
        m.put("TcpExtSyncookiesFailed", syncookiesFailed);
        m.put("TcpExtTCPChallengeACK", drops(DropReason.RST_IN_WINDOW) + drops(DropReason.SYN_IN_SYNCHRONIZED_STATE));
        return m;
    }
}
