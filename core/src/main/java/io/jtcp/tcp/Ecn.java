package io.jtcp.tcp;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;

/**
 * Explicit Congestion Notification (RFC 3168) as Linux's tcp_ecn.h does it, one home for
 * every ECN rule of the engine. The connection keeps Linux's {@code ecn_flags} in
 * {@link Connection#ecnFlags}.
 *
 * <p>Negotiation (§6.1.1): with {@code tcp_ecn = 1} an active open sends an ECN-setup SYN
 * (ECE and CWR); a listener with {@code tcp_ecn} 1 or 2 answers a SYN carrying both, and
 * arriving Not-ECT, with ECE alone on its SYN-ACK; the client uses ECN only if its SYN-ACK
 * has ECE without CWR. With {@code tcp_ecn_fallback} a retransmitted SYN drops ECE and CWR,
 * in case a middlebox discards ECN-setup SYNs.
 *
 * <p>Data (§6.1.2 – §6.1.5): new data segments go out ECT(0); bare ACKs, window probes and
 * retransmissions go out Not-ECT. A data segment that arrives CE makes every ACK we send
 * carry ECE until a segment with CWR arrives; an ACK with ECE reduces our window once per
 * round trip (LossRecovery's CWR state), and the next new data segment carries CWR.
 */
final class Ecn {
    private Ecn() {}

    /** Linux's TCP_ECN_OK: negotiated (or, on an active open, requested and not yet refused). */
    static final int OK = 1;
    /** TCP_ECN_QUEUE_CWR: the window was reduced; the next new data segment carries CWR. */
    static final int QUEUE_CWR = 2;
    /** TCP_ECN_DEMAND_CWR: a CE mark arrived; our ACKs carry ECE until the peer sends CWR. */
    static final int DEMAND_CWR = 4;
    /** TCP_ECN_SEEN: a data segment arrived ECT or CE (TCP_INFO's TCPI_OPT_ECN_SEEN). */
    static final int SEEN = 8;

    static boolean ok(Connection c) {
        return (c.ecnFlags & OK) != 0;
    }

    /**
     * The ECN bits of our SYN (tcp_ecn_send_syn on the first one, tcp_ecn_clear_syn on a
     * retransmission): an ECN-setup SYN when tcp_ecn is 1, unless this is a resend and
     * tcp_ecn_fallback lets us give up on ECN for it.
     */
    static int synFlags(Connection c, boolean retransmission) {
        if (!retransmission) c.ecnFlags = c.cfg.ip(IpSysctl.TCP_ECN) == 1 ? OK : 0;
        if (!ok(c) || retransmission && c.cfg.ip(IpSysctl.TCP_ECN_FALLBACK) != 0) return 0;
        return TcpFlags.ECE | TcpFlags.CWR;
    }

    /** tcp_ecn_make_synack / tcp_ecn_send_synack: a SYN-ACK carries ECE alone, when ECN was agreed. */
    static int synAckFlags(Connection c) {
        return ok(c) ? TcpFlags.ECE : 0;
    }

    /**
     * tcp_ecn_create_request: a listener agrees to ECN for a SYN that carries both ECE and
     * CWR and arrived Not-ECT (an ECT SYN means something on the path rewrites the field),
     * when tcp_ecn is not 0.
     */
    static void synArrived(Connection c, Segment syn) {
        c.ecnFlags = acceptsSetup(c.cfg, syn) ? OK : 0;
    }

    /** The listener's half of {@link #synArrived}, shared with the stateless SYN-ACK of a SYN cookie. */
    static boolean acceptsSetup(Sysctls cfg, Segment syn) {
        return syn.has(TcpFlags.ECE) && syn.has(TcpFlags.CWR) && syn.ecn == Segment.NOT_ECT && cfg.ip(IpSysctl.TCP_ECN) != 0;
    }

    /**
     * cookie_ecn_ok: a connection rebuilt from a SYN cookie uses ECN when the cookie's
     * timestamp bits say the SYN-ACK agreed to it and tcp_ecn still allows it.
     */
    static void fromCookie(Connection c, boolean agreed) {
        c.ecnFlags = agreed && c.cfg.ip(IpSysctl.TCP_ECN) != 0 ? OK : 0;
    }

    /** tcp_ecn_rcv_synack: only ECE without CWR confirms our request. */
    static void synAckArrived(Connection c, Segment synAck) {
        if (ok(c) && (!synAck.has(TcpFlags.ECE) || synAck.has(TcpFlags.CWR))) c.ecnFlags &= ~OK;
    }

    /** tcp_ecn_rcv_syn: in a simultaneous open the peer's SYN must be an ECN-setup SYN too. */
    static void crossingSynArrived(Connection c, Segment syn) {
        if (ok(c) && (!syn.has(TcpFlags.ECE) || !syn.has(TcpFlags.CWR))) c.ecnFlags &= ~OK;
    }

    /** tcp_ecn_send, for every segment but a SYN: ECE while the peer owes us a CWR. */
    static void echo(Connection c, Segment s) {
        if (ok(c) && (c.ecnFlags & DEMAND_CWR) != 0) s.flags |= TcpFlags.ECE;
    }

    /**
     * tcp_ecn_send's other half: a data segment sent for the first time goes out ECT(0) and
     * takes a queued CWR; ACKs, probes and retransmissions stay Not-ECT (RFC 3168 §6.1.4, §6.1.5).
     */
    static void newDataSent(Connection c, Segment s) {
        if (!ok(c)) return;
        s.ecn = Segment.ECT0;
        if ((c.ecnFlags & QUEUE_CWR) != 0) {
            c.ecnFlags &= ~QUEUE_CWR;
            s.flags |= TcpFlags.CWR;
        }
    }

    /** tcp_ecn_queue_cwr: the window was just reduced (CWR, recovery or a timeout). */
    static void queueCwr(Connection c) {
        if (ok(c)) c.ecnFlags |= QUEUE_CWR;
    }

    /** tcp_ecn_rcv_ecn_echo: an ACK (not a SYN-ACK) echoing congestion on an ECN connection. */
    static boolean echoed(Connection c, Segment ack) {
        return ok(c) && ack.has(TcpFlags.ECE) && !ack.syn();
    }

    /**
     * tcp_ecn_accept_cwr, which Linux runs for every acceptable ACK (not only data: peers
     * that put CWR on a bare ACK would otherwise get ECE forever): stop echoing, and ACK
     * at once a data segment that carries CWR, since the peer's window may be down to one.
     */
    static void cwrArrived(Connection c, Segment seg) {
        if (!seg.has(TcpFlags.CWR)) return;
        c.ecnFlags &= ~DEMAND_CWR;
        if (seg.payloadLength > 0) c.ackNow = true;
    }

    /**
     * tcp_ecn_check_ce, for a data segment that is queued (in order or not): CE starts the
     * echo and, when it starts, the next ACKs go at once (the sender may have a tiny window);
     * a Not-ECT segment after ECT ones does so too, so a marking router is heard of quickly.
     * The congestion control hears of every mark (CA_EVENT_ECN_IS_CE / ECN_NO_CE).
     */
    static void dataArrived(Connection c, Segment seg) {
        if (!ok(c)) return;
        switch (seg.ecn) {
            case Segment.NOT_ECT -> {
                if ((c.ecnFlags & SEEN) != 0) AckPolicy.enterQuickAck(c, 2);
            }
            case Segment.CE -> {
                c.recovery.congestionEvent(CongestionControl.CongestionEvent.ECN_IS_CE);
                if ((c.ecnFlags & DEMAND_CWR) == 0) {
                    AckPolicy.enterQuickAck(c, 2);
                    c.ecnFlags |= DEMAND_CWR;
                }
                c.ecnFlags |= SEEN;
            }
            default -> {
                c.recovery.congestionEvent(CongestionControl.CongestionEvent.ECN_NO_CE);
                c.ecnFlags |= SEEN;
            }
        }
    }
}
