package io.jtcp.tcp;

import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;

/**
 * What TIME_WAIT does with an arriving segment, from the few facts TIME_WAIT
 * keeps. One place for the rules, shared by the engine's TIME_WAIT state and a
 * host's compact TIME_WAIT table. They follow RFC 9293 §3.10.7.4, RFC 1337,
 * RFC 6191 and RFC 7323 §5 as Linux applies them (tcp_timewait_state_process).
 */
public final class TimeWaitRules {
    private TimeWaitRules() {}

    public enum Action {
        /** Send an ACK for RCV.NXT and restart the 2MSL timer (a retransmitted FIN, an old segment with ACK). */
        ACK_AND_RESTART,
        /** Send an ACK, leave the timer (a SYN that cannot start a new incarnation). */
        ACK,
        /** Silently restart the 2MSL timer (an in-window bare ACK). */
        RESTART,
        /** Delete the TIME_WAIT state (an exact RST, without RFC 1337 protection). */
        KILL,
        /** Drop silently (an RST under RFC 1337, or out of window). */
        IGNORE,
        /** The SYN may start a new incarnation: delete TIME_WAIT and hand the SYN to a listener (RFC 6191). */
        NEW_INCARNATION
    }

    /**
     * @param rcvNxt    RCV.NXT, one past the peer's FIN
     * @param tsOk      timestamps were in use on the connection
     * @param tsRecent  the last timestamp accepted from the peer
     * @param rfc1337   tcp_rfc1337: ignore RSTs in TIME_WAIT
     */
    public static Action classify(Segment seg, int rcvNxt, boolean tsOk, int tsRecent, boolean rfc1337) {
        boolean pawsReject = tsOk && seg.hasTimestamps && Seq.lt(seg.tsVal, tsRecent);
        if (seg.syn() && !seg.rst() && !seg.ackFlag() && !pawsReject
                && (Seq.gt(seg.seq, rcvNxt) || (tsOk && seg.hasTimestamps && Seq.gt(seg.tsVal, tsRecent)))) {
            return Action.NEW_INCARNATION;
        }
        if (!pawsReject && seg.seq == rcvNxt && (seg.payloadLength == 0 && !seg.fin() && !seg.syn() || seg.rst())) {
            if (seg.rst()) return rfc1337 ? Action.IGNORE : Action.KILL;
            return Action.RESTART;
        }
        if (seg.rst()) return Action.IGNORE;
        // Out of window, or carrying data or a FIN: answer with an ACK. A bare SYN might be a
        // new connection with a lower ISN, so it must not extend TIME_WAIT.
        return pawsReject || seg.ackFlag() ? Action.ACK_AND_RESTART : Action.ACK;
    }
}
