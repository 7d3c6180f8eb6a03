package io.jtcp.wire;

/**
 * The IPv6 header (RFC 8200 §3) and its extension headers (§4) on receive, decoded as
 * Linux's ipv6_rcv does (ip6_rcv_core, then ip6_protocol_deliver_rcu calling the handlers
 * of exthdrs.c and reassembly.c for each extension header), and the header's writer.
 *
 * <p>Decoding allocates nothing once the addresses repeat ({@link IpAddress#read16}) and
 * never throws on hostile bytes: every refusal is a {@link DropReason}, and the ones Linux
 * answers with an ICMPv6 parameter problem leave its code and pointer in
 * {@link IpPacket#problemCode} and {@link IpPacket#problemPointer}.
 */
public final class Ip6Header {
    private Ip6Header() {}

    public static final int LENGTH = 40;
    static final int PAYLOAD_LENGTH_FIELD = 4, NEXT_HEADER_FIELD = 6;

    /** Next header values of the extension headers (RFC 8200 §4.1) and of "no next header". */
    public static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, NO_NEXT_HEADER = 59, DESTINATION_OPTIONS = 60;
    private static final int AUTHENTICATION = 51;

    /** ICMPv6 parameter problem codes (RFC 4443 §3.4, RFC 8200 §4.5). */
    public static final int ERRONEOUS_FIELD = 0, UNRECOGNIZED_NEXT_HEADER = 1, UNRECOGNIZED_OPTION = 2, INCOMPLETE_CHAIN = 3;

    /** Routing types (IANA): Mobile IPv6's type 2, RPL's 3, SRv6's 4. Type 0 is deprecated (RFC 5095) and so is unknown. */
    private static final int ROUTING_MOBILITY = 2, ROUTING_RPL = 3, ROUTING_SRV6 = 4;

    private static final int FRAGMENT_HEADER_LENGTH = 8;
    private static final int MAX_DATAGRAM_PAYLOAD = 0xffff;

    /** {@link #decode(byte[], int, int, IpPacket, Ip6OptionLimits)} with Linux's default option limits. */
    public static DropReason decode(byte[] buf, int off, int len, IpPacket into) {
        return decode(buf, off, len, into, Ip6OptionLimits.LINUX);
    }

    /**
     * Decodes the IPv6 packet in {@code buf[off, off+len)} into {@code into}: null if it is
     * for the upper layer {@code into.protocol}, whose bytes are {@code into.payloadOffset}
     * and {@code into.payloadLength}, or a fragment ({@code into.fragment}) to reassemble;
     * else why it is dropped. On a drop after the fixed header, the payload span covers
     * everything after the IPv6 header, so {@link IpPacket#packetLength()} is what an ICMPv6
     * error quotes.
     *
     * <p>Bytes past the payload length are link padding and ignored. The checks that depend
     * on the device the packet came from are {@link #checkArrivedFromLink}'s.
     */
    public static DropReason decode(byte[] buf, int off, int len, IpPacket into, Ip6OptionLimits limits) {
        into.version = 6;
        into.buf = buf;
        into.headerOffset = into.payloadOffset = off;
        into.payloadLength = 0;
        into.problemCode = -1;
        into.problemPointer = 0;
        into.dontFragment = false;
        into.clearFragment();
        if (buf == null || off < 0 || len < LENGTH || off > buf.length - len) return DropReason.IP6_SHORT_HEADER;
        if (Bytes.u8(buf, off) >>> 4 != 6) return DropReason.IP6_BAD_VERSION;
        into.tos = Bytes.u16(buf, off) >>> 4 & 0xff;
        int payloadLengthField = Bytes.u16(buf, off + PAYLOAD_LENGTH_FIELD);
        int nextHeader = Bytes.u8(buf, off + NEXT_HEADER_FIELD);
        into.ttl = Bytes.u8(buf, off + 7);
        into.src = IpAddress.read16(into.src, buf, off + 8);
        into.dst = IpAddress.read16(into.dst, buf, off + 24);
        // ip6_rcv_core, RFC 4291 §2.7: multicast scope 0 is reserved, and no packet comes from a group.
        if (isMulticast(into.dst) && multicastScope(into.dst) == 0) return DropReason.IP6_BAD_MULTICAST_SCOPE;
        if (isMulticast(into.src)) return DropReason.IP6_MULTICAST_SOURCE;

        int at = off + LENGTH;
        int end;
        if (payloadLengthField != 0 || nextHeader != HOP_BY_HOP) {
            if (payloadLengthField > len - LENGTH) return DropReason.IP6_TRUNCATED;
            end = at + payloadLengthField;
        } else {
            // A zero length may be a jumbogram's: as ip6_rcv_core, trim nothing until its option says how long.
            end = off + len;
        }
        into.payloadOffset = at;
        into.payloadLength = end - at;
        int nextHeaderPointer = NEXT_HEADER_FIELD;
        if (nextHeader == HOP_BY_HOP) {
            // ipv6_parse_hopopts: only here, right after the IPv6 header, is a hop-by-hop header one.
            int length = extensionLength(buf, at, end);
            if (length < 0) return DropReason.IP6_BAD_EXTENSION_HEADER;
            if (length > limits.maxHopByHopLength()) return DropReason.IP6_BAD_OPTION;
            DropReason r = Ip6Options.check(true, buf, at, length, limits.maxHopByHopOptions(), into);
            if (r != null) return r;
            end = at + into.payloadLength;
            nextHeaderPointer = at - off;
            nextHeader = Bytes.u8(buf, at);
            at += length;
        }
        // What routing would refuse (ip6_rcv_finish): no IPv6 packet may name an IPv4 host (see IpAddress),
        // and :: is nobody's address.
        if (into.src.isV4() || into.dst.isV4()) return DropReason.IP6_MAPPED_ADDRESS;
        if (into.dst.isAny()) return DropReason.IP6_UNSPECIFIED_DESTINATION;
        return walk(nextHeader, nextHeaderPointer, buf, at, end, into, limits, payloadLengthField == 0);
    }

    /**
     * Continues the walk of the extension headers of a reassembled datagram (as Linux
     * resubmits it after ip6_frag_reasm): {@code buf[off, off+len)} holds what followed the
     * fragment header, whose next header was {@code nextHeader}; {@code nextHeaderPointer}
     * is where that field was. {@code into} must hold the datagram's addresses, and its
     * {@code headerOffset} the start of an IPv6 header in {@code buf} in front of these
     * bytes: parameter problem pointers are measured from it. A fragment header now is an
     * error (Linux's IP6SKB_FRAGMENTED), as is hop-by-hop.
     */
    public static DropReason walk(int nextHeader, int nextHeaderPointer, byte[] buf, int off, int len,
                                  IpPacket into, Ip6OptionLimits limits) {
        into.buf = buf;
        into.problemCode = -1;
        into.problemPointer = 0;
        into.clearFragment();
        into.payloadOffset = off;
        into.payloadLength = len;
        return walk(nextHeader, nextHeaderPointer, buf, off, off + len, into, limits, true);
    }

    /**
     * The extension headers from {@code at} to {@code end}, each handled as its Linux handler does
     * (ip6_protocol_deliver_rcu's loop). {@code noFragmentHeader}: one now is malformed (a
     * jumbogram's, or one after an atomic fragment or reassembly).
     */
    private static DropReason walk(int nextHeader, int nextHeaderPointer, byte[] b, int at, int end,
                                   IpPacket into, Ip6OptionLimits limits, boolean noFragmentHeader) {
        while (true) {
            int length;
            switch (nextHeader) {
                case HOP_BY_HOP:
                    // No handler takes protocol 0 past the first header: an unrecognized next header.
                    return problem(into, UNRECOGNIZED_NEXT_HEADER, nextHeaderPointer, DropReason.IP6_HOP_BY_HOP_NOT_FIRST);
                case DESTINATION_OPTIONS: {
                    length = extensionLength(b, at, end);
                    if (length < 0) return DropReason.IP6_BAD_EXTENSION_HEADER;
                    if (length > limits.maxDestinationLength()) return DropReason.IP6_BAD_OPTION;
                    DropReason r = Ip6Options.check(false, b, at, length, limits.maxDestinationOptions(), into);
                    if (r != null) return r;
                    break;
                }
                case ROUTING: {
                    length = extensionLength(b, at, end);
                    if (length < 0) return DropReason.IP6_BAD_EXTENSION_HEADER;
                    DropReason r = routing(b, at, into);
                    if (r != null) return r;
                    break;
                }
                case FRAGMENT: {
                    // ipv6_frag_rcv's fail_hdr: the pointer names the fragment header itself.
                    if (noFragmentHeader || end - at < FRAGMENT_HEADER_LENGTH) {
                        return problem(into, ERRONEOUS_FIELD, at - into.headerOffset, DropReason.IP6_BAD_FRAGMENT);
                    }
                    if ((Bytes.u16(b, at + 2) & 0xfff9) != 0) return fragment(nextHeaderPointer, b, at, end, into);
                    // An atomic fragment (offset 0, no more fragments) is the whole datagram (RFC 6946).
                    noFragmentHeader = true;
                    length = FRAGMENT_HEADER_LENGTH;
                    break;
                }
                case NO_NEXT_HEADER:
                    return DropReason.IP6_NO_NEXT_HEADER;
                default:
                    into.protocol = nextHeader;
                    into.nextHeaderPointer = nextHeaderPointer;
                    into.payloadOffset = at;
                    into.payloadLength = end - at;
                    return null;
            }
            nextHeaderPointer = at - into.headerOffset;
            nextHeader = Bytes.u8(b, at);
            at += length;
        }
    }

    /** ipv6_rthdr_rcv for a host (forwarding off, accept_source_route 0, seg6_enabled and rpl_seg_enabled 0). */
    private static DropReason routing(byte[] b, int at, IpPacket into) {
        if (isMulticast(into.dst)) return DropReason.IP6_ROUTING_TO_MULTICAST;
        int type = Bytes.u8(b, at + 2), segmentsLeft = Bytes.u8(b, at + 3);
        if (type == ROUTING_RPL || type == ROUTING_SRV6) return DropReason.IP6_SEGMENT_ROUTING_DISABLED;
        if (type == ROUTING_MOBILITY) {
            // Valid only as one home address (length 2, one segment left), which a host without a binding cannot take.
            if (segmentsLeft != 0 && (Bytes.u8(b, at + 1) != 2 || segmentsLeft != 1)) return DropReason.IP6_BAD_EXTENSION_HEADER;
            return DropReason.IP6_MOBILITY_ROUTING;
        }
        if (segmentsLeft == 0) return null;
        return problem(into, ERRONEOUS_FIELD, at + 2 - into.headerOffset, DropReason.IP6_SOURCE_ROUTE);
    }

    /** A real fragment: ipv6_frag_rcv's checks, then ip6_frag_queue's checks of the fragment on its own. */
    private static DropReason fragment(int nextHeaderPointer, byte[] b, int at, int end, IpPacket into) {
        int field = Bytes.u16(b, at + 2);
        int offset = field & 0xfff8;
        boolean more = (field & 1) != 0;
        int payloadAt = at + FRAGMENT_HEADER_LENGTH;
        if (offset == 0 && headerChainTruncated(Bytes.u8(b, at), b, payloadAt, end)) {
            return problem(into, INCOMPLETE_CHAIN, 0, DropReason.IP6_INCOMPLETE_HEADER_CHAIN);
        }
        int fragmentEnd = offset + end - payloadAt;
        if (fragmentEnd > MAX_DATAGRAM_PAYLOAD) {
            return problem(into, ERRONEOUS_FIELD, at + 2 - into.headerOffset, DropReason.IP6_BAD_FRAGMENT);
        }
        // RFC 8200 §4.5: every fragment but the last carries a multiple of 8 bytes.
        if (more && (fragmentEnd & 7) != 0) return problem(into, ERRONEOUS_FIELD, PAYLOAD_LENGTH_FIELD, DropReason.IP6_BAD_FRAGMENT);
        into.fragment = true;
        into.fragmentId = Bytes.i32(b, at + 4);
        into.fragmentOffset = offset;
        into.moreFragments = more;
        into.protocol = Bytes.u8(b, at);
        into.nextHeaderPointer = at - into.headerOffset;
        into.payloadOffset = payloadAt;
        into.payloadLength = end - payloadAt;
        return null;
    }

    /**
     * Whether a first fragment stops before the end of its upper-layer header (RFC 8200 §4.5,
     * RFC 7112), judged as ipv6frag_thdr_truncated does: skip the extension headers as
     * ipv6_skip_exthdr does (a chain it cannot follow, or "no next header", is not judged),
     * then want a whole TCP, UDP or ICMPv6 header, or one byte of anything else.
     */
    private static boolean headerChainTruncated(int nextHeader, byte[] b, int at, int end) {
        while (nextHeader == HOP_BY_HOP || nextHeader == ROUTING || nextHeader == FRAGMENT
                || nextHeader == DESTINATION_OPTIONS || nextHeader == AUTHENTICATION || nextHeader == NO_NEXT_HEADER) {
            if (nextHeader == NO_NEXT_HEADER || end - at < 2) return false;
            int length;
            if (nextHeader == FRAGMENT) {
                if (end - at < 4 || (Bytes.u16(b, at + 2) & 0xfff8) != 0) return false;
                length = FRAGMENT_HEADER_LENGTH;
            } else if (nextHeader == AUTHENTICATION) {
                length = (Bytes.u8(b, at + 1) + 2) << 2;
            } else {
                length = (Bytes.u8(b, at + 1) + 1) << 3;
            }
            nextHeader = Bytes.u8(b, at);
            at += length;
        }
        int upperHeader = switch (nextHeader) {
            case Checksum.PROTO_TCP -> 20;
            case Checksum.PROTO_UDP, Checksum.PROTO_ICMPV6 -> 8;
            default -> 1;
        };
        return upperHeader > end - at;
    }

    /** An options or routing header's length in bytes, or -1 if it does not fit before {@code end} (pskb_may_pull). */
    private static int extensionLength(byte[] b, int at, int end) {
        if (end - at < 8) return -1;
        int length = (Bytes.u8(b, at + 1) + 1) << 3;
        return length > end - at ? -1 : length;
    }

    /** Records the parameter problem the sender is owed, and returns the reason. */
    static DropReason problem(IpPacket into, int code, int pointer, DropReason reason) {
        into.problemCode = code;
        into.problemPointer = pointer;
        return reason;
    }

    /**
     * The checks of ip6_rcv_core that depend on the device: for a packet that arrived from a
     * link rather than from the host's own loopback, ::1 as either address (RFC 4291 §2.5.3) and
     * an interface-local multicast destination (RFC 4291 erratum 3480) are refused. Null if fine.
     */
    public static DropReason checkArrivedFromLink(IpPacket p) {
        if (p.src.isLoopback() || p.dst.isLoopback()) return DropReason.IP6_LOOPBACK_ON_LINK;
        if (isMulticast(p.dst) && multicastScope(p.dst) == 1) return DropReason.IP6_BAD_MULTICAST_SCOPE;
        return null;
    }

    /** ff00::/8; unlike {@link IpAddress#isMulticast}, never an IPv4-mapped group. */
    static boolean isMulticast(IpAddress a) { return a.hi() >>> 56 == 0xff; }

    private static int multicastScope(IpAddress a) { return (int) (a.hi() >>> 48) & 0xf; }

    /**
     * Writes a 40-byte IPv6 header with no extension headers at {@code b[off]} and returns 40.
     * The addresses go out as 16 bytes each, whatever their family. Allocation-free.
     *
     * @param flowLabel the low 20 bits are used; see {@link #flowLabel(int)} for Linux's choice
     */
    public static int write(byte[] b, int off, int trafficClass, int flowLabel, int payloadLength, int nextHeader,
                            int hopLimit, IpAddress src, IpAddress dst) {
        Bytes.put32(b, off, 6 << 28 | (trafficClass & 0xff) << 20 | flowLabel & 0xfffff);
        Bytes.put16(b, off + PAYLOAD_LENGTH_FIELD, payloadLength);
        b[off + NEXT_HEADER_FIELD] = (byte) nextHeader;
        b[off + 7] = (byte) hopLimit;
        Bytes.put64(b, off + 8, src.hi());
        Bytes.put64(b, off + 16, src.lo());
        Bytes.put64(b, off + 24, dst.hi());
        Bytes.put64(b, off + 32, dst.lo());
        return LENGTH;
    }

    /**
     * The flow label Linux puts on a connection's packets with auto_flowlabels=1 (its default):
     * ip6_make_flowlabel takes the socket's transmit hash (sk_txhash: random per socket, drawn
     * anew when an RTO suggests a path change, so the flow may take another ECMP path), turns
     * it half round and keeps 20 bits. The caller keeps the hash; 0 gives label 0, "no label".
     */
    public static int flowLabel(int txHash) {
        return Integer.rotateLeft(txHash, 16) & 0xfffff;
    }
}
