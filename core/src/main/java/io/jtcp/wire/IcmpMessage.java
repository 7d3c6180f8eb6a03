package io.jtcp.wire;

/**
 * One ICMP or ICMPv6 message as {@link Icmp#parse} decoded it. Mutable and reused, as
 * {@link IpPacket} is: valid until the next parse, and its views point into the
 * packet's buffer.
 *
 * <p>For an error the quoted packet is decoded far enough for RFC 5927's checks: its
 * addresses, protocol, and the first 8 bytes of its transport header, which the parser
 * guarantees are present.
 */
public final class IcmpMessage {
    public enum Kind { ECHO_REQUEST, ECHO_REPLY, ERROR, OTHER }

    /** 4 for ICMP, 6 for ICMPv6. */
    public int version;
    public Kind kind;
    public int type, code;

    /** Echo request and reply: identifier and sequence number. */
    public int id, sequence;

    /** The buffer; for an echo, its data; for an error, the quoted packet (from its IP header). */
    public byte[] buf;
    public int dataOffset, dataLength;

    /** ICMP "fragmentation needed" (bytes 6-7) or ICMPv6 packet too big (bytes 4-7); 0 otherwise. */
    public int mtu;
    /** Parameter problem: ICMP's byte 4 or ICMPv6's 32-bit pointer; 0 otherwise. */
    public int pointer;

    /**
     * The quoted packet's IP version, addresses and upper-layer protocol (after IPv6
     * extension headers). Only for an {@link Kind#ERROR}; {@code quotedVersion} is 0 otherwise.
     */
    public int quotedVersion;
    public IpAddress quotedSrc, quotedDst;
    public int quotedProtocol;
    /** Where the quoted transport header starts in {@link #buf}; at least 8 bytes of it are there. */
    public int quotedTransportOffset;

    public boolean isV6() { return version == 6; }

    /** Bytes 0-1 of the quoted transport header: the source port of TCP, UDP, SCTP. */
    public int quotedSrcPort() { return Bytes.u16(buf, quotedTransportOffset); }

    /** Bytes 2-3: the destination port. */
    public int quotedDstPort() { return Bytes.u16(buf, quotedTransportOffset + 2); }

    /** Bytes 4-7: TCP's sequence number, which RFC 5927 §4.1 checks against SND.UNA..SND.NXT. */
    public int quotedTcpSequence() { return Bytes.i32(buf, quotedTransportOffset + 4); }

    void clear() {
        kind = Kind.OTHER;
        id = sequence = mtu = pointer = 0;
        dataOffset = dataLength = 0;
        quotedVersion = quotedProtocol = quotedTransportOffset = 0;
    }
}
