package io.jtcp.ip;

import io.jtcp.config.IpSysctl;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpPacket;

/**
 * Where IPv4's and IPv6's reassembly differ (net/ipv4/ip_fragment.c against
 * net/ipv6/reassembly.c); everything they share is {@link FragmentQueues}'.
 */
enum FragmentFamily {
    V4(IpSysctl.IPFRAG_HIGH_THRESH, IpSysctl.IPFRAG_TIME, "Ip", "IpExt") {
        @Override
        int keyProtocol(IpPacket f) { return f.protocol; }

        @Override
        DropReason headerProblem(IpPacket f, ParameterProblem problem) { return null; }

        /** ip_frag_queue rounds a non-last fragment's end down to 8 bytes rather than refusing it. */
        @Override
        int end(IpPacket f) {
            int end = f.fragmentOffset + f.payloadLength;
            return f.moreFragments ? end & ~7 : end;
        }

        /** The IPv4 header limits the whole datagram, header included, to 65535 bytes (ip_frag_reasm's out_oversize). */
        @Override
        int maxEnd(IpPacket f) { return 65535 - (f.payloadOffset - f.headerOffset); }

        @Override
        int wholeHeaderLength(byte[] firstHeader) { return firstHeader.length; }

        /** The first fragment's header, as ip_frag_reasm leaves it: the whole length, no offset or MF, DF if any fragment had it, a fresh checksum. */
        @Override
        int writeWholeHeader(FragmentQueue q, byte[] out, int tos) {
            byte[] h = q.firstHeader;
            System.arraycopy(h, 0, out, 0, h.length);
            out[1] = (byte) tos;
            Bytes.put16(out, 2, h.length + q.len);
            Bytes.put16(out, 6, q.dontFragment ? 0x4000 : 0);
            Bytes.put16(out, 10, 0);
            Bytes.put16(out, 10, Checksum.ipv4Header(out, 0, h.length));
            return 9;
        }
    },

    V6(IpSysctl.IP6FRAG_HIGH_THRESH, IpSysctl.IP6FRAG_TIME, "Ip6", "Ip6") {
        private static final int NEXT_HEADER_AT = 6, PAYLOAD_LENGTH_AT = 4, FIXED_HEADER = 40, FRAGMENT_HEADER = 8;

        @Override
        int keyProtocol(IpPacket f) { return FragmentKey.ANY_PROTOCOL; }

        /**
         * ipv6_frag_rcv's and ip6_frag_queue's refusals, each answered with a parameter problem
         * and counted as Ip6InHdrErrors rather than a reassembly failure; the queue is left alone.
         */
        @Override
        DropReason headerProblem(IpPacket f, ParameterProblem problem) {
            if (f.fragmentOffset == 0 && upperHeaderTruncated(f)) {
                problem.set(ParameterProblem.HEADER_CHAIN_INCOMPLETE, 0);
                return DropReason.FRAG_HEADERS_INCOMPLETE;
            }
            if (f.fragmentOffset + f.payloadLength > 65535) {
                // The fragment header sits just before the fragmentable bytes; its offset field is 2 bytes in.
                problem.set(ParameterProblem.HEADER_FIELD, f.payloadOffset - FRAGMENT_HEADER + 2 - f.headerOffset);
                return DropReason.FRAG_TOO_LONG;
            }
            if (f.moreFragments && (f.payloadLength & 7) != 0) {
                problem.set(ParameterProblem.HEADER_FIELD, PAYLOAD_LENGTH_AT);
                return DropReason.FRAG_NOT_MULTIPLE_OF_8;
            }
            return null;
        }

        @Override
        int end(IpPacket f) { return f.fragmentOffset + f.payloadLength; }

        /** The payload length field covers the per-fragment extension headers too (ip6_frag_reasm's out_oversize). */
        @Override
        int maxEnd(IpPacket f) { return 65535 - (f.payloadOffset - FRAGMENT_HEADER - FIXED_HEADER - f.headerOffset); }

        /** The fragment header goes: the whole datagram carries none. */
        @Override
        int wholeHeaderLength(byte[] firstHeader) { return firstHeader.length - FRAGMENT_HEADER; }

        /**
         * The first fragment's headers without the fragment header, as ip6_frag_reasm leaves
         * them: the header before it now names what the fragment header named, the payload
         * length covers the whole datagram, and the traffic class carries the merged ECN.
         */
        @Override
        int writeWholeHeader(FragmentQueue q, byte[] out, int tos) {
            byte[] h = q.firstHeader;
            int length = wholeHeaderLength(h);
            System.arraycopy(h, 0, out, 0, length);
            int nextHeaderField = nextHeaderFieldBefore(out, length);
            out[nextHeaderField] = h[length];
            Bytes.put16(out, PAYLOAD_LENGTH_AT, length - FIXED_HEADER + q.len);
            out[0] = (byte) (0x60 | tos >>> 4);
            out[1] = (byte) (tos << 4 | out[1] & 0x0f);
            return nextHeaderField;
        }

        /** Where the next-header field naming the header at {@code at} lies, walking the unfragmentable headers. */
        private int nextHeaderFieldBefore(byte[] h, int at) {
            int field = NEXT_HEADER_AT;
            for (int off = FIXED_HEADER; off < at; ) {
                int type = h[field] & 0xff;
                field = off;
                off += extensionLength(type, h, off);
            }
            return field;
        }
    };

    private static final int HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, AUTH = 51, NO_NEXT = 59, DEST_OPTIONS = 60;

    final IpSysctl highThresh, time;
    /** The prefixes of the family's counters as nstat names them: Linux shows ReasmOverlaps under IpExt for IPv4. */
    final String counterPrefix, overlapPrefix;

    FragmentFamily(IpSysctl highThresh, IpSysctl time, String counterPrefix, String overlapPrefix) {
        this.highThresh = highThresh;
        this.time = time;
        this.counterPrefix = counterPrefix;
        this.overlapPrefix = overlapPrefix;
    }

    static FragmentFamily of(IpPacket p) { return p.isV6() ? V6 : V4; }

    /** The protocol part of the queue key. */
    abstract int keyProtocol(IpPacket f);

    /** A refusal answered with an ICMP error and not counted as a reassembly failure, or null. */
    abstract DropReason headerProblem(IpPacket f, ParameterProblem problem);

    /** Where this fragment's bytes end in the datagram. */
    abstract int end(IpPacket f);

    /** The furthest end the datagram's bytes may reach. */
    abstract int maxEnd(IpPacket f);

    abstract int wholeHeaderLength(byte[] firstHeader);

    /** Writes the whole datagram's header into {@code out}; returns where its field naming the payload's protocol is. */
    abstract int writeWholeHeader(FragmentQueue q, byte[] out, int tos);

    /**
     * Linux's ipv6frag_thdr_truncated: walking the extension headers at the start of the
     * first fragment's bytes, the upper-layer header must be there whole (TCP's 20 bytes,
     * UDP's and ICMPv6's 8, one byte of anything else). A chain that breaks off inside an
     * extension header is let through, as ipv6_skip_exthdr's failure is there.
     */
    private static boolean upperHeaderTruncated(IpPacket f) {
        byte[] b = f.buf;
        int next = f.protocol, off = f.payloadOffset, end = f.payloadOffset + f.payloadLength;
        while (isExtension(next)) {
            if (off + 2 > end) return false;
            int length = extensionLength(next, b, off);
            next = b[off] & 0xff;
            off += length;
        }
        if (next == NO_NEXT) return false;
        int need = switch (next) {
            case Checksum.PROTO_TCP -> 20;
            case Checksum.PROTO_UDP, Checksum.PROTO_ICMPV6 -> 8;
            default -> 1;
        };
        return off + need > end;
    }

    private static boolean isExtension(int next) {
        return next == HOP_BY_HOP || next == ROUTING || next == FRAGMENT || next == AUTH || next == DEST_OPTIONS;
    }

    /** An extension header's length: AH counts 4-byte units less 2 (RFC 4302), the rest 8-byte units less 1. */
    private static int extensionLength(int type, byte[] b, int off) {
        if (type == FRAGMENT) return 8;
        int units = b[off + 1] & 0xff;
        return type == AUTH ? (units + 2) * 4 : (units + 1) * 8;
    }
}
