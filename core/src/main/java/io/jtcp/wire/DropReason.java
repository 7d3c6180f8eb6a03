package io.jtcp.wire;

/**
 * Why a segment was discarded, in the spirit of Linux's {@code skb_drop_reason}.
 * Every discard anywhere in the stack names one of these, so it can be counted
 * and shown in a trace. Decoding reasons come first, then the engine's.
 */
public enum DropReason {
    // IPv4 decoding
    IP_TRUNCATED("packet shorter than an IP header, or than its IPv4 header or total length"),
    IP_BAD_VERSION("IP version is neither 4 nor 6"),
    IP_BAD_HEADER_LENGTH("IPv4 header length below 20 bytes or past the packet"),
    IP_BAD_CHECKSUM("IPv4 header checksum mismatch"),
    IP_BAD_OPTION("IPv4 option malformed or running past the header (ip_options_compile; IpInHdrErrors)"),
    IP_SOURCE_ROUTE("IPv4 source route option (LSRR/SSRR) refused, as accept_source_route=0 does"),
    IP_FRAGMENT("a fragment where one whole packet was expected (a tool decoding single packets; the stack reassembles)"),
    IP_NOT_TCP("IP protocol is not TCP"),
    IP_UNKNOWN_PROTOCOL("no handler for the IP protocol: protocol unreachable or parameter problem sent (IpInUnknownProtos)"),
    IP_INVALID_SOURCE("source address no host can send from: 0/8, 127/8 off loopback, multicast, 240/4, broadcast (ip_route_input_slow)"),
    IP_LOCAL_SOURCE("our own address as the source, arriving from the link: a LAND attack (fib_validate_source)"),
    IP_NOT_FOR_US("destination address is not this host's"),
    // IP fragments (io.jtcp.ip.Reassembly; counters are Linux's Ip/Ip6 Reasm* MIBs)
    FRAG_MEMORY_LIMIT("fragment refused: reassembly memory at ipfrag_high_thresh / ip6frag_high_thresh (inet_frag_find gives no queue; ReasmFails)"),
    FRAG_DUPLICATE("fragment whose bytes are all held already (inet_frag_queue_insert's IPFRAG_DUP, SKB_DROP_REASON_DUP_FRAG; no counter, the queue kept)"),
    FRAG_OVERLAP("fragment overlapping held bytes: the whole datagram is discarded (IPFRAG_OVERLAP; ReasmOverlaps, ReasmFails; RFC 5722 for IPv6)"),
    FRAG_BAD_END("last fragment ending before held bytes or unlike an earlier last fragment, or bytes past a known end (ip_frag_queue's discard_qp; ReasmFails)"),
    FRAG_EMPTY("non-last fragment without one whole 8-byte unit, so its length rounds down to nothing (ip_frag_queue: end == offset; ReasmFails)"),
    FRAG_TINY_FIRST("IPv4 first fragment too short to hold the transport ports: under 8 bytes, which Linux rounds down to an empty fragment (ReasmFails; RFC 1858 tiny fragments)"),
    FRAG_TOO_LONG("fragment reaching past a 65535-byte datagram (ip_frag_reasm's out_oversize, ReasmFails; IPv6: ICMPv6 parameter problem at the fragment offset, Ip6InHdrErrors)"),
    FRAG_NOT_MULTIPLE_OF_8("IPv6 fragment with M=1 whose length is not a multiple of 8: ICMPv6 parameter problem at the payload length (ip6_frag_queue; Ip6InHdrErrors)"),
    FRAG_HEADERS_INCOMPLETE("IPv6 first fragment without the headers through the upper-layer header: ICMPv6 parameter problem code 3 (RFC 8200 §4.5, ipv6frag_thdr_truncated; Ip6InHdrErrors)"),
    FRAG_ECN_MISMATCH("fragments mixing Not-ECT with ECT or CE (RFC 3168 §5.3, ip_frag_ecn_table; ReasmFails)"),
    // ICMP the host receives
    ICMP_UNHANDLED("ICMP message nothing here takes (an echo reply, a redirect, an error about a protocol without sockets)"),
    ICMP_ECHO_IGNORED("echo request ignored under icmp_echo_ignore_all"),
    ICMP_NO_SOCKET("ICMP error quoting a packet of no live socket"),
    ICMP_OUT_OF_WINDOW("ICMP error quoting a TCP sequence number not in flight (RFC 5927, TcpExtOutOfWindowIcmps)"),
    // IPv6 (RFC 8200; Linux's ip6_rcv_core, exthdrs.c, reassembly.c): the counter each one bumps is named
    IP6_SHORT_HEADER("fewer than the 40 bytes of an IPv6 header (ip6_rcv_core; Ip6InHdrErrors)"),
    IP6_BAD_VERSION("IP version is not 6 (ip6_rcv_core; Ip6InHdrErrors)"),
    IP6_TRUNCATED("packet shorter than its payload length claims (ip6_rcv_core; Ip6InTruncatedPkts)"),
    IP6_MULTICAST_SOURCE("multicast source address, RFC 4291 §2.7 (ip6_rcv_core; Ip6InHdrErrors)"),
    IP6_BAD_MULTICAST_SCOPE("multicast destination of scope 0, or interface-local scope arriving from a link, RFC 4291 §2.7 (ip6_rcv_core; Ip6InHdrErrors)"),
    IP6_LOOPBACK_ON_LINK("::1 as source or destination arriving from a link, RFC 4291 §2.5.3 (ip6_rcv_core; Ip6InHdrErrors)"),
    IP6_MAPPED_ADDRESS("IPv4-mapped source or destination in an IPv6 header: jtcp keeps IPv4 as mapped addresses, so it refuses them everywhere (Linux: tcp_v6_conn_request, Ip6InHdrErrors; no route for the destination, Ip6InAddrErrors)"),
    IP6_UNSPECIFIED_DESTINATION("destination :: is no host's (no local route, forwarding off: Ip6InAddrErrors)"),
    IP6_BAD_EXTENSION_HEADER("extension header running past the packet or malformed (pskb_may_pull in ipv6_parse_hopopts, ipv6_destopt_rcv, ipv6_rthdr_rcv; Ip6InHdrErrors)"),
    IP6_BAD_OPTION("hop-by-hop or destination option malformed: more than 7 bytes of padding in a row, nonzero PadN, more options than max_hbh_opts_number/max_dst_opts_number, a header longer than max_hbh_length/max_dst_opts_length, a bad router alert or jumbo option, CALIPSO with no DOI, a home address option with no mobility binding (ip6_parse_tlv; Ip6InHdrErrors)"),
    IP6_UNKNOWN_OPTION("unknown option whose type says discard, with a parameter problem (code 2) when its top bits are 10, or 11 to a unicast destination (ip6_tlvopt_unknown; Ip6InHdrErrors)"),
    IP6_HOP_BY_HOP_NOT_FIRST("hop-by-hop options header anywhere but right after the IPv6 header: an unknown next header to the receiver, answered with a parameter problem code 1 (ip6_protocol_deliver_rcu; Ip6InUnknownProtos)"),
    IP6_ROUTING_TO_MULTICAST("routing header in a packet to a multicast destination (ipv6_rthdr_rcv; Ip6InAddrErrors)"),
    IP6_SOURCE_ROUTE("routing header with segments left: a host forwards nothing; type 0 (deprecated, RFC 5095) and unknown types are answered with a parameter problem code 0 at the type (ipv6_rthdr_rcv; Ip6InHdrErrors)"),
    IP6_MOBILITY_ROUTING("type 2 routing header with no mobility binding for its home address (ipv6_rthdr_rcv; Ip6InAddrErrors)"),
    IP6_SEGMENT_ROUTING_DISABLED("segment routing header (type 3 RPL, type 4 SRv6) while seg6_enabled and rpl_seg_enabled are 0, Linux's defaults (ipv6_srh_rcv, ipv6_rpl_srh_rcv; no counter)"),
    IP6_BAD_FRAGMENT("fragment header malformed: in a jumbogram, a second one, past 65535 bytes, or a non-last fragment not a multiple of 8 bytes (ipv6_frag_rcv, ip6_frag_queue; Ip6InHdrErrors)"),
    IP6_INCOMPLETE_HEADER_CHAIN("first fragment without the whole header chain through the upper-layer header, RFC 8200 §4.5 (ipv6frag_thdr_truncated; Ip6InHdrErrors)"),
    IP6_NO_NEXT_HEADER("next header 59, no next header: nothing to deliver (dst_discard; Linux counts it in Ip6InDelivers)"),
    // TCP decoding
    TCP_TRUNCATED("segment shorter than its TCP header"),
    TCP_BAD_DATA_OFFSET("data offset below 5 or past the segment"),
    TCP_BAD_CHECKSUM("TCP checksum mismatch"),
    // ICMP
    ICMP_TRUNCATED("ICMP or ICMPv6 message shorter than its 8-byte header (IcmpInErrors, Icmp6InErrors)"),
    ICMP_BAD_CHECKSUM("ICMP or ICMPv6 checksum mismatch (IcmpInCsumErrors, Icmp6InCsumErrors)"),
    ICMP_QUOTE_TRUNCATED("ICMP error quoting less than the IP header and 8 bytes after it (icmp_unreach's pskb_may_pull; IcmpInErrors)"),
    ICMP_QUOTE_BAD_VERSION("ICMP error quoting a packet of the other IP version, or no IP packet at all"),
    ICMP_QUOTE_BAD_HEADER_LENGTH("ICMP error quoting an IPv4 header whose IHL is below 5 (icmp_unreach; IcmpInErrors)"),
    ICMP_QUOTE_NO_TRANSPORT("ICMPv6 error quoting extension headers that run past the quote or a non-first fragment (ipv6_skip_exthdr in icmpv6_notify)"),
    // Demultiplexing
    NO_SOCKET("no connection or listener for the 4-tuple"),
    LISTEN_OVERFLOW("listener's SYN or accept queue is full"),
    LISTEN_SYN_FIN("SYN with FIN to a listening socket (Linux's tcp_rcv_state_process, SKB_DROP_REASON_TCP_FLAGS)"),
    FORWARD_PENDING("SYN retransmitted while the forwarder decides about the first"),
    FORWARD_BACKLOG("SYN to a forwarded destination while too many wait for the forwarder's decision"),
    PAWS_PASSIVE("SYN's timestamp is behind the one tcp_tw_recycle remembers for its host (PAWSPassive)"),
    // UDP (Linux's Udp/Udp6 MIB counters in nstat: UdpInErrors, UdpInCsumErrors, UdpNoPorts, UdpRcvbufErrors)
    UDP_TRUNCATED("datagram shorter than the 8-byte UDP header (InErrors; __udp4_lib_rcv's short_packet)"),
    UDP_BAD_LENGTH("UDP length field below 8 or past the IP payload (InErrors; __udp4_lib_rcv's short_packet)"),
    UDP_BAD_CHECKSUM("UDP checksum mismatch (InCsumErrors, InErrors)"),
    UDP_ZERO_CHECKSUM_V6("UDP over IPv6 with checksum 0, invalid by RFC 8200 8.1 (InErrors; udp6_csum_init)"),
    UDP_NO_PORT("no socket for the datagram's destination: the host answers with ICMP port unreachable (NoPorts)"),
    UDP_IGNORED_MULTI("broadcast or multicast datagram no socket wants: dropped without an ICMP error (IgnoredMulti)"),
    UDP_RCVBUF_FULL("the socket's receive queue holds SO_RCVBUF bytes already (RcvbufErrors, InErrors; __udp_enqueue_schedule_skb)"),
    // UDP forwarding (forwarding mode's flows waiting for the forwarder; gVisor's udp.Forwarder, no Linux counter)
    UDP_FORWARD_HELD_FULL("datagram of a forwarded UDP flow the forwarder has not decided yet, past the flow's held datagrams"),
    UDP_FORWARD_BACKLOG("datagram opening a forwarded UDP flow while too many flows already wait for the forwarder"),
    // Engine (RFC 9293 §3.10.7)
    OLD_SEQUENCE("segment lies entirely before RCV.NXT"),
    OUT_OF_WINDOW("segment not acceptable: outside the receive window"),
    RST_OUT_OF_WINDOW("RST outside the receive window"),
    RST_IN_WINDOW("RST in window but not at RCV.NXT (challenge ACK sent, RFC 5961 §3)"),
    SYN_IN_SYNCHRONIZED_STATE("SYN in a synchronized state (challenge ACK sent, RFC 5961 §4)"),
    ACK_UNACCEPTABLE("ACK acknowledges something not yet sent or too old (RFC 5961 §5)"),
    NO_ACK("segment without ACK in a synchronized state"),
    BAD_SYN_ACK("SYN-ACK whose ACK does not acknowledge our SYN"),
    LISTEN_ACK("ACK to a listening socket (RST sent)"),
    LISTEN_RST("RST to a listening socket"),
    UNEXPECTED_SEGMENT("segment without SYN, ACK or RST where only those make sense"),
    PAWS("timestamp older than the last one seen (RFC 7323 §5)"),
    DATA_AFTER_FIN("data beyond the peer's FIN"),
    RECEIVE_SHUT_DOWN("data for a receive side that was shut down"),
    REASSEMBLY_FULL("too many out-of-order ranges held already"),
    RECEIVE_QUEUE_FULL("in-sequence data the receive buffer has no room for (TCPRcvQDrop)"),
    TIME_WAIT("segment absorbed by TIME_WAIT"),
    DEFER_ACCEPT("final ACK without data held back by TCP_DEFER_ACCEPT (Linux's TCPDeferAcceptDrop)"),
    CLOSED("connection is closed");

    private final String description;

    DropReason(String description) { this.description = description; }

    public String description() { return description; }
}
