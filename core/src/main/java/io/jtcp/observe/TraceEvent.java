package io.jtcp.observe;

import io.jtcp.wire.IpAddress;
import io.jtcp.tcp.State;
import io.jtcp.tcp.TcpInfo;
import io.jtcp.wire.Segment;
import java.util.Objects;

/**
 * One thing worth showing in a trace: a segment sent or received, a state change,
 * a discarded segment, a step of loss recovery, or a call made by the socket user. Plain values, safe to keep.
 *
 * <p>Every event names the host it happened on (its IPv4 address, or a name such
 * as {@code link} for the simulated network) and the connection's endpoints as
 * {@code "10.0.0.1:49152"}, seen from that host: {@code local} is the host's own end.
 * An endpoint that is not known yet (a listener has no remote, a packet too broken
 * to name its ports) is {@code null}.
 */
public sealed interface TraceEvent {

    long timeNanos();

    String host();

    String local();

    String remote();

    /**
     * A segment on the wire. {@code dir} is {@code "out"} when {@code host} sent it
     * and {@code "in"} when {@code host} received it. The event holds its own copy
     * of the segment, made at construction; treat it as read-only.
     */
    record SegmentEvent(long timeNanos, String host, String local, String remote, String dir, Segment segment)
            implements TraceEvent {
        public static final String OUT = "out";
        public static final String IN = "in";

        public SegmentEvent {
            Objects.requireNonNull(host, "host");
            if (!OUT.equals(dir) && !IN.equals(dir)) throw new IllegalArgumentException("dir must be \"out\" or \"in\": " + dir);
            segment = segment.copy();
        }

        /** {@code s} as sent by {@code host}: local is its source, remote its destination. */
        public static SegmentEvent sent(long timeNanos, String host, Segment s) {
            return new SegmentEvent(timeNanos, host, endpoint(s.srcAddr, s.srcPort), endpoint(s.dstAddr, s.dstPort), OUT, s);
        }

        /** {@code s} as received by {@code host}: local is its destination, remote its source. */
        public static SegmentEvent received(long timeNanos, String host, Segment s) {
            return new SegmentEvent(timeNanos, host, endpoint(s.dstAddr, s.dstPort), endpoint(s.srcAddr, s.srcPort), IN, s);
        }
    }

    /** A connection moved from one state to another; {@code cause} says why, in a few words. */
    record StateEvent(long timeNanos, String host, String local, String remote, State from, State to, String cause)
            implements TraceEvent {
        public StateEvent {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * A segment was discarded on its way to {@code local} from {@code remote}. {@code reason}
     * is a {@link io.jtcp.wire.DropReason} name, or a fate the simulated link dealt it
     * (such as {@code LOST}); {@code detail} may add specifics or be {@code null}.
     */
    record DropEvent(long timeNanos, String host, String local, String remote, String reason, String detail)
            implements TraceEvent {
        public DropEvent {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Loss detection or recovery did something Linux counts: {@code event} is the TcpExt
     * counter's name ({@code TCPSackRecovery}, {@code TCPLossProbes}, {@code TCPSpuriousRTOs},
     * see {@link io.jtcp.tcp.RecoveryEvent}), {@code detail} the sender's window at that
     * moment, as {@link #window} writes it. Linux counts an event as it decides on it, before
     * reacting: entering recovery shows the window that led there, the retransmissions that
     * follow show the reduced one.
     */
    record LossEvent(long timeNanos, String host, String local, String remote, String event, String detail)
            implements TraceEvent {
        public LossEvent {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(event, "event");
        }

        /** {@code "cwnd 7 ssthresh 7 Recovery"}: ssthresh left out while unset (infinite), as ss leaves it out. */
        public static String window(TcpInfo info) {
            StringBuilder b = new StringBuilder(40).append("cwnd ").append(info.sndCwnd());
            if (info.sndSsthresh() < TcpInfo.INFINITE_SSTHRESH) b.append(" ssthresh ").append(info.sndSsthresh());
            return b.append(' ').append(caStateName(info.caState())).toString();
        }

        /** Linux's enum tcp_ca_state without its TCP_CA_ prefix. */
        static String caStateName(int caState) {
            return switch (caState) {
                case 0 -> "Open";
                case 1 -> "Disorder";
                case 2 -> "CWR";
                case 3 -> "Recovery";
                case 4 -> "Loss";
                default -> "ca_state " + caState;
            };
        }
    }

    /**
     * The socket user called something ({@code listen}, {@code connect}, {@code send},
     * {@code close}, ...); {@code result} is what it returned or the errno it failed
     * with, or {@code null} while it is still pending.
     */
    record UserEvent(long timeNanos, String host, String local, String remote, String call, String result)
            implements TraceEvent {
        public UserEvent {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(call, "call");
        }
    }

    /** An endpoint as trace events carry it: {@code "10.0.0.1:49152"}, {@code "[fd00::1]:49152"}. */
    static String endpoint(IpAddress addr, int port) {
        return addr.withPort(port);
    }
}
