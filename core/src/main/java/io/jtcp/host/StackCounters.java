package io.jtcp.host;

import io.jtcp.tcp.Cause;
import io.jtcp.tcp.RecoveryEvent;
import io.jtcp.wire.DropReason;
import java.util.List;
import java.util.Map;

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
    /**
     * Segments sent again (TcpRetransSegs), counted as each is sent, as Linux's MIB
     * counters are: a sum over live connections would fall when one of them leaves
     * for TIME_WAIT or CLOSED.
     */
    public long retransSegments;
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
    /** SYNs a listener dropped by tcp_tw_recycle's per-host PAWS check (PAWSPassive); ListenDrops counts them too. */
    public long pawsPassive;
    /** SYN-ACKs sent with a SYN cookie instead of a SYN queue entry (SyncookiesSent). */
    public long syncookiesSent;
    /** TCP Fast Open (RFC 7413), as Linux counts it: SYNs whose data a child took (TCPFastOpenPassive), ... */
    public long fastOpenPassive;
    /** ... bad cookies or no child (TCPFastOpenPassiveFail), cookie requests (TCPFastOpenCookieReqd), */
    public long fastOpenPassiveFail, fastOpenCookieReqd;
    /** ... cookies accepted under the backup key (TCPFastOpenPassiveAltKey), SYNs past the Fast Open queue (TCPFastOpenListenOverflow). */
    public long fastOpenPassiveAltKey, fastOpenListenOverflow;
    /** Active Fast Open: SYN data acknowledged by the SYN-ACK, or sent again after it (TCPFastOpenActive, ...ActiveFail). */
    public long fastOpenActive, fastOpenActiveFail;
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
    /**
     * Received IP packets by ECN codepoint (RFC 3168 §5), indexed by the field's value as
     * Linux's ip_rcv_core and ipv6_rcv count them (IPSTATS_MIB_NOECTPKTS + ecn): Not-ECT,
     * ECT(1), ECT(0), CE; IPv4 and IPv6 apart, as nstat shows IpExt* and Ip6* names.
     */
    private final long[] inEcn4 = new long[4], inEcn6 = new long[4];
    private static final String[] ECN_NAMES = {"NoECTPkts", "ECT1Pkts", "ECT0Pkts", "CEPkts"};
    private final long[] drops = new long[DropReason.values().length];
    private final long[] causes = new long[Cause.values().length];
    /** What loss detection and recovery did, one TcpExt counter per {@link RecoveryEvent}. */
    private final long[] recoveries = new long[RecoveryEvent.values().length];

    /**
     * The MIB counters Linux increments for the same event as a jtcp drop reason: the
     * IP input checks of ip_rcv_core and ip_local_deliver_finish, the TCP checksum of
     * tcp_v4_rcv, and the engine's discards (tcp_sequence's BeyondWindow, new in 6.17,
     * counted for a segment past the window's right edge; syn_challenge's TCPSYNChallenge;
     * tcp_data_queue_ofo's TCPOFODrop; tcp_check_req's TCPDeferAcceptDrop).
     */
    private static final Map<String, List<DropReason>> BY_DROP = Map.ofEntries(
            Map.entry("IpInHdrErrors", List.of(DropReason.IP_BAD_VERSION, DropReason.IP_BAD_HEADER_LENGTH,
                    DropReason.IP_BAD_CHECKSUM)),
            Map.entry("IpInAddrErrors", List.of(DropReason.IP_NOT_FOR_US)),
            Map.entry("IpInUnknownProtos", List.of(DropReason.IP_NOT_TCP)),
            Map.entry("IpExtInTruncatedPkts", List.of(DropReason.IP_TRUNCATED)),
            Map.entry("IpExtInCsumErrors", List.of(DropReason.IP_BAD_CHECKSUM)),
            Map.entry("TcpInCsumErrors", List.of(DropReason.TCP_BAD_CHECKSUM)),
            Map.entry("TcpExtBeyondWindow", List.of(DropReason.OUT_OF_WINDOW)),
            Map.entry("TcpExtTCPSYNChallenge", List.of(DropReason.SYN_IN_SYNCHRONIZED_STATE)),
            Map.entry("TcpExtTCPOFODrop", List.of(DropReason.REASSEMBLY_FULL)),
            Map.entry("TcpExtTCPRcvQDrop", List.of(DropReason.RECEIVE_QUEUE_MEMORY)),
            Map.entry("TcpExtTCPDeferAcceptDrop", List.of(DropReason.DEFER_ACCEPT)));

    /**
     * The MIB counters Linux increments when a connection ends for the same cause:
     * __tcp_close's TCPAbortOnClose (unread data), tcp_rcv_state_process's
     * TCPAbortOnData (data after close), tcp_write_err's TCPAbortOnTimeout, tcp_check_oom's
     * TCPAbortOnMemory (an orphan reset for tcp_max_orphans or tcp_mem).
     */
    private static final Map<String, List<Cause>> BY_CAUSE = Map.of(
            "TcpExtTCPAbortOnMemory", List.of(Cause.ABORT_ON_MEMORY),
            "TcpExtTCPAbortOnClose", List.of(Cause.ABORT_UNREAD_DATA),
            "TcpExtTCPAbortOnData", List.of(Cause.ABORT_DATA_AFTER_CLOSE),
            "TcpExtTCPAbortOnTimeout", List.of(Cause.RETRANSMISSION_LIMIT, Cause.USER_TIMEOUT, Cause.KEEPALIVE_TIMEOUT));

    /** A decoded IP packet's ECN field, counted before any later check refuses the packet, as ip_rcv_core does. */
    void ipEcnReceived(boolean v6, int tos) {
        (v6 ? inEcn6 : inEcn4)[tos & 3]++;
    }

    /** Received packets of one family with ECN codepoint {@code ecn} (0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE). */
    public long ipEcnPackets(boolean v6, int ecn) {
        return (v6 ? inEcn6 : inEcn4)[ecn & 3];
    }

    void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    /** A state change of one of the stack's connections, for the counters kept by cause. */
    void transition(Cause cause) {
        causes[cause.ordinal()]++;
    }

    /** Loss detection or recovery did something Linux counts in its TcpExt MIB. */
    void recovery(RecoveryEvent e) {
        recoveries[e.ordinal()]++;
    }

    public long recoveries(RecoveryEvent e) {
        return recoveries[e.ordinal()];
    }

    public long transitions(Cause cause) {
        return causes[cause.ordinal()];
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
    public java.util.Map<String, Long> asMap(long currentEstablished) {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("TcpActiveOpens", activeOpens);
        m.put("TcpPassiveOpens", passiveOpens);
        m.put("TcpAttemptFails", attemptFails);
        m.put("TcpEstabResets", establishedResets);
        m.put("TcpCurrEstab", currentEstablished);
        m.put("TcpInSegs", inSegments);
        m.put("TcpOutSegs", outSegments);
        m.put("TcpRetransSegs", retransSegments);
        m.put("TcpInErrs", inErrors);
        m.put("TcpOutRsts", outResets);
        m.put("TcpExtTW", timeWait);
        m.put("TcpExtTWRecycled", timeWaitRecycled);
        m.put("TcpExtTWKilled", timeWaitKilled);
        m.put("TcpExtTCPTimeWaitOverflow", timeWaitOverflow);
        m.put("TcpExtPAWSPassive", pawsPassive);
        m.put("TcpExtPAWSEstab", pawsEstablished);
        m.put("TcpExtEmbryonicRsts", embryonicRsts);
        m.put("TcpExtListenOverflows", listenOverflows);
        m.put("TcpExtListenDrops", listenDrops);
        m.put("TcpExtTCPReqQFullDoCookies", reqQFullDoCookies);
        m.put("TcpExtTCPReqQFullDrop", reqQFullDrop);
        m.put("TcpExtSyncookiesSent", syncookiesSent);
        m.put("TcpExtTCPFastOpenPassive", fastOpenPassive);
        m.put("TcpExtTCPFastOpenPassiveFail", fastOpenPassiveFail);
        m.put("TcpExtTCPFastOpenCookieReqd", fastOpenCookieReqd);
        m.put("TcpExtTCPFastOpenPassiveAltKey", fastOpenPassiveAltKey);
        m.put("TcpExtTCPFastOpenListenOverflow", fastOpenListenOverflow);
        m.put("TcpExtTCPFastOpenActive", fastOpenActive);
        m.put("TcpExtTCPFastOpenActiveFail", fastOpenActiveFail);
        m.put("TcpExtSyncookiesRecv", syncookiesRecv);
        m.put("TcpExtSyncookiesFailed", syncookiesFailed);
        m.put("TcpExtTCPChallengeACK", drops(DropReason.RST_IN_WINDOW) + drops(DropReason.SYN_IN_SYNCHRONIZED_STATE));
        for (RecoveryEvent e : RecoveryEvent.values()) m.put("TcpExt" + e.mibName(), recoveries(e));
        for (int ecn = 0; ecn < 4; ecn++) m.put("IpExtIn" + ECN_NAMES[ecn], inEcn4[ecn]);
        for (int ecn = 0; ecn < 4; ecn++) m.put("Ip6In" + ECN_NAMES[ecn], inEcn6[ecn]);
        BY_DROP.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                m.put(e.getKey(), e.getValue().stream().mapToLong(this::drops).sum()));
        BY_CAUSE.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                m.put(e.getKey(), e.getValue().stream().mapToLong(this::transitions).sum()));
        return m;
    }
}
