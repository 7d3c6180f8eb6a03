package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.TcpFlags;

/**
 * Which packets a {@link FaultRule} applies to: a predicate over the packet and the
 * time it is sent. Build one from the factories and {@link #and}, e.g.
 * {@code path(a, b).and(flags(FIN | ACK))} or {@code path(a, b).and(ackOnly()).and(after(t))}.
 * TCP predicates are false for anything that is not a well-formed enough TCP packet.
 */
@FunctionalInterface
public interface PacketMatch {
    boolean test(long time, byte[] packet, int off, int len);

    default PacketMatch and(PacketMatch other) {
        return (t, p, o, l) -> test(t, p, o, l) && other.test(t, p, o, l);
    }

    default PacketMatch or(PacketMatch other) {
        return (t, p, o, l) -> test(t, p, o, l) || other.test(t, p, o, l);
    }

    default PacketMatch negate() {
        return (t, p, o, l) -> !test(t, p, o, l);
    }

    static PacketMatch any() {
        return (t, p, o, l) -> true;
    }

    /** The source is {@code from} and the destination is {@code to}: one direction of one link. */
    static PacketMatch path(IpAddress from, IpAddress to) {
        return from(from).and(to(to));
    }

    static PacketMatch from(IpAddress addr) {
        return (t, p, o, l) -> l >= 20 && RawPacket.srcAddr(p, o, l).equals(addr);
    }

    static PacketMatch to(IpAddress addr) {
        return (t, p, o, l) -> l >= 20 && RawPacket.dstAddr(p, o, l).equals(addr);
    }

    /** The TCP flags are exactly {@code flags} (e.g. {@code FIN | ACK}, ignoring nothing). */
    static PacketMatch flags(int flags) {
        return (t, p, o, l) -> RawPacket.tcpFlags(p, o, l) == flags;
    }

    /** Every flag in {@code flags} is set, others may be too. */
    static PacketMatch hasFlags(int flags) {
        return (t, p, o, l) -> {
            int f = RawPacket.tcpFlags(p, o, l);
            return f >= 0 && (f & flags) == flags;
        };
    }

    /** A pure acknowledgment: flags exactly ACK and no payload. */
    static PacketMatch ackOnly() {
        return flags(TcpFlags.ACK).and((t, p, o, l) -> RawPacket.tcpPayloadLength(p, o, l) == 0);
    }

    /** A TCP segment carrying at least one payload octet. */
    static PacketMatch withPayload() {
        return (t, p, o, l) -> RawPacket.tcpPayloadLength(p, o, l) > 0;
    }

    static PacketMatch srcPort(int port) {
        return (t, p, o, l) -> RawPacket.srcPort(p, o, l) == port;
    }

    static PacketMatch dstPort(int port) {
        return (t, p, o, l) -> RawPacket.dstPort(p, o, l) == port;
    }

    /** Sent before {@code time}. */
    static PacketMatch before(long time) {
        return (t, p, o, l) -> t < time;
    }

    /** Sent at or after {@code time}. */
    static PacketMatch after(long time) {
        return (t, p, o, l) -> t >= time;
    }
}
