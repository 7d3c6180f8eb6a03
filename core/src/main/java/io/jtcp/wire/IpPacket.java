package io.jtcp.wire;

/**
 * One IPv4 or IPv6 packet as the IP layer decoded it: its addresses, the upper-layer
 * protocol, and where that protocol's bytes lie in the buffer it arrived in. Mutable
 * and reused, as {@link Segment} is: valid only until the next packet is decoded.
 *
 * <p>For IPv6, {@link #protocol} is what follows the extension headers the decoder
 * walked; for a fragment it is the fragment header's next header, and the payload is the
 * fragmentable part this fragment carries.
 */
public final class IpPacket {
    public int version;
    public IpAddress src, dst;
    public int protocol;
    /** TTL (IPv4) or hop limit (IPv6). */
    public int ttl;
    /** The IPv4 TOS or IPv6 traffic class octet (DSCP and ECN). */
    public int tos;

    /** The buffer, where the IP header starts, and where the upper-layer bytes start and how many there are. */
    public byte[] buf;
    public int headerOffset;
    public int payloadOffset;
    public int payloadLength;

    public boolean dontFragment;
    /** Part of a fragmented datagram: IPv4 MF or a nonzero offset, or an IPv6 fragment header. */
    public boolean fragment;
    public int fragmentId;
    /** Where this fragment's payload belongs in the datagram, in bytes. */
    public int fragmentOffset;
    public boolean moreFragments;

    /**
     * IPv6: the ICMPv6 parameter problem (RFC 4443 §3.4) owed to the sender of a packet the
     * decoder dropped, as Linux's icmpv6_param_prob sends it: the code ({@link Ip6Header#ERRONEOUS_FIELD},
     * {@link Ip6Header#UNRECOGNIZED_NEXT_HEADER}, {@link Ip6Header#UNRECOGNIZED_OPTION},
     * {@link Ip6Header#INCOMPLETE_CHAIN}) or -1 for none, and the pointer: the offending byte's
     * offset from the start of the IPv6 header. {@link Ip6Header#decode} resets both.
     */
    public int problemCode = -1;
    public int problemPointer;
    /**
     * IPv6: where the next-header field that named {@link #protocol} is, as an offset from the
     * IPv6 header (Linux's IP6CB nhoff): the pointer of the parameter problem (code 1) the host
     * sends when no protocol handler takes the packet.
     */
    public int nextHeaderPointer;

    public boolean isV6() { return version == 6; }

    /** Whether the decoder asked for an ICMPv6 parameter problem to be sent for this packet. */
    public boolean hasProblem() { return problemCode >= 0; }

    /** The IP header and everything after it, as it arrived: what an ICMP error quotes. */
    public int packetLength() { return payloadOffset + payloadLength - headerOffset; }

    public IpPacket clearFragment() {
        fragment = moreFragments = false;
        fragmentId = fragmentOffset = 0;
        return this;
    }

    /** The source address of the raw packet at {@code p[off, off+len)}, read without decoding it; 0.0.0.0 if too short. */
    public static IpAddress peekSource(byte[] p, int off, int len) {
        return peek(p, off, len, 12, 8);
    }

    /** The destination address of the raw packet at {@code p[off, off+len)}, read without decoding it; 0.0.0.0 if too short. */
    public static IpAddress peekDestination(byte[] p, int off, int len) {
        return peek(p, off, len, 16, 24);
    }

    private static IpAddress peek(byte[] p, int off, int len, int v4At, int v6At) {
        if (len >= Ip6Header.LENGTH && (p[off] & 0xf0) == 0x60) return IpAddress.read16(null, p, off + v6At);
        return len < Ip4Header.LENGTH ? IpAddress.ANY4 : IpAddress.read4(null, p, off + v4At);
    }
}
