package io.jtcp.wire;

/**
 * Why a segment was discarded, in the spirit of Linux's {@code skb_drop_reason}.
 * Every discard anywhere in the stack names one of these, so it can be counted
 * and shown in a trace. Decoding reasons come first, then the engine's.
 */
public enum DropReason {
    // IPv4 decoding
    IP_TRUNCATED("packet shorter than its IPv4 header or total length"),
    IP_BAD_VERSION("IP version is not 4"),
    IP_BAD_HEADER_LENGTH("IPv4 header length below 20 bytes or past the packet"),
    IP_BAD_CHECKSUM("IPv4 header checksum mismatch"),
    IP_BAD_OPTION("IPv4 option malformed or running past the header (ip_options_compile; IpInHdrErrors)"),
    IP_SOURCE_ROUTE("IPv4 source route option (LSRR/SSRR) refused, as accept_source_route=0 does"),
    IP_FRAGMENT("IPv4 fragment (reassembly is not supported)"),
    IP_NOT_TCP("IP protocol is not TCP"),
    IP_INVALID_SOURCE("source address no host can send from: 0/8, 127/8 off loopback, multicast, 240/4, broadcast (ip_route_input_slow)"),
    IP_LOCAL_SOURCE("our own address as the source, arriving from the link: a LAND attack (fib_validate_source)"),
    IP_NOT_FOR_US("destination address is not this host's"),
    // TCP decoding
    TCP_TRUNCATED("segment shorter than its TCP header"),
    TCP_BAD_DATA_OFFSET("data offset below 5 or past the segment"),
    TCP_BAD_CHECKSUM("TCP checksum mismatch"),
    // Demultiplexing
    NO_SOCKET("no connection or listener for the 4-tuple"),
    LISTEN_OVERFLOW("listener's SYN or accept queue is full"),
    LISTEN_SYN_FIN("SYN with FIN to a listening socket (Linux's tcp_rcv_state_process, SKB_DROP_REASON_TCP_FLAGS)"),
    PAWS_PASSIVE("SYN's timestamp is behind the one tcp_tw_recycle remembers for its host (PAWSPassive)"),
    // UDP (Linux's Udp/Udp6 MIB counters in nstat: UdpInErrors, UdpInCsumErrors, UdpNoPorts, UdpRcvbufErrors)
    UDP_TRUNCATED("datagram shorter than the 8-byte UDP header (InErrors; __udp4_lib_rcv's short_packet)"),
    UDP_BAD_LENGTH("UDP length field below 8 or past the IP payload (InErrors; __udp4_lib_rcv's short_packet)"),
    UDP_BAD_CHECKSUM("UDP checksum mismatch (InCsumErrors, InErrors)"),
    UDP_ZERO_CHECKSUM_V6("UDP over IPv6 with checksum 0, invalid by RFC 8200 8.1 (InErrors; udp6_csum_init)"),
    UDP_NO_PORT("no socket for the datagram's destination: the host answers with ICMP port unreachable (NoPorts)"),
    UDP_IGNORED_MULTI("broadcast or multicast datagram no socket wants: dropped without an ICMP error (IgnoredMulti)"),
    UDP_RCVBUF_FULL("the socket's receive queue holds SO_RCVBUF bytes already (RcvbufErrors, InErrors; __udp_enqueue_schedule_skb)"),
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
    TIME_WAIT("segment absorbed by TIME_WAIT"),
    DEFER_ACCEPT("final ACK without data held back by TCP_DEFER_ACCEPT (Linux's TCPDeferAcceptDrop)"),
    CLOSED("connection is closed");

    private final String description;

    DropReason(String description) { this.description = description; }

    public String description() { return description; }
}
