package io.jtcp.host;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.ip.IcmpErrno;
import io.jtcp.ip.IcmpRateLimit;
import io.jtcp.ip.PathMtuCache;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IcmpMessage;
import io.jtcp.wire.IcmpSendRules;
import io.jtcp.wire.IcmpWriter;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The host's ICMP and ICMPv6 (RFC 792, RFC 1122 §3.2.2, RFC 4443): echo replies, the errors
 * it sends under Linux's rules and rate limits (icmp_send, icmp6_send), and the errors it
 * receives, handed to the socket whose packet they quote (icmp_unreach → tcp_v4_err,
 * icmpv6_notify → tcp_v6_err) after RFC 5927's checks, with "fragmentation needed" and
 * "packet too big" feeding path MTU discovery (RFC 1191, RFC 8201).
 */
final class HostIcmp {
    /** Bytes an error takes at most: IPv6's minimum MTU (IPv4 errors stop at 576). */
    private static final int MAX_MESSAGE = 1280;

    private final Stack stack;
    private final IcmpMessage in = new IcmpMessage();
    private final IcmpRateLimit limit;
    final PathMtuCache pathMtu = new PathMtuCache();
    private final byte[] out = new byte[MAX_MESSAGE];
    private int nextIpId;
    private long inMsgs, inErrors, inEchos, outEchoReps, outOfWindow, in6Msgs, in6Errors, in6Echos, out6EchoReps;

    HostIcmp(Stack stack, long seed) {
        this.stack = stack;
        this.limit = new IcmpRateLimit(new SplittableRandom(seed));
    }

    /** An ICMP (IPv4) or ICMPv6 packet for this host. */
    void arrives(IpPacket ip) {
        boolean v6 = ip.isV6();
        if (v6) in6Msgs++;
        else inMsgs++;
        DropReason bad = Icmp.parse(ip, in);
        if (bad != null) {
            if (v6) in6Errors++;
            else inErrors++;
            stack.countDrop(bad, null, stack.now);
            return;
        }
        switch (in.kind) {
            case ECHO_REQUEST -> echo(ip);
            case ERROR -> error();
            case ECHO_REPLY, OTHER -> stack.countDrop(DropReason.ICMP_UNHANDLED, null, stack.now);
        }
    }

    /** icmp_echo / icmpv6_echo_reply: the same identifier, sequence and data, back from the address asked. */
    private void echo(IpPacket request) {
        boolean v6 = request.isV6();
        Sysctls cfg = stack.sysctls();
        // icmp_echo_ignore_broadcasts (1, Linux's default): no smurf amplifier.
        if (cfg.ip(v6 ? IpSysctl.ICMPV6_ECHO_IGNORE_ALL : IpSysctl.ICMP_ECHO_IGNORE_ALL) == 1
                || stack.addresses().isBroadcast(request.dst)) {
            stack.countDrop(DropReason.ICMP_ECHO_IGNORED, null, stack.now);
            return;
        }
        if (v6) in6Echos++;
        else inEchos++;
        IpAddress to = request.src;
        if (!limit.allow(to, v6 ? Icmp.V6_ECHO_REPLY : Icmp.V4_ECHO_REPLY, 0, 128, to.isLoopback(), stack.now, cfg)) return;
        int n = IcmpWriter.echoReply(request, in, request.dst, ttl(v6), nextIpId++, out, 0);
        if (v6) out6EchoReps++;
        else outEchoReps++;
        send(to, n);
    }

    /** An error quoting one of our packets: to the socket it concerns, if the quote holds up. */
    private void error() {
        if (in.quotedProtocol == Checksum.PROTO_TCP) tcpError();
        else if (in.quotedProtocol == Checksum.PROTO_UDP) stack.udpIcmpError(in, IcmpErrno.of(in.isV6(), in.type, in.code));
        else stack.countDrop(DropReason.ICMP_UNHANDLED, null, stack.now);
    }

    /** tcp_v4_err / tcp_v6_err: the quoted segment must be a live connection's and in flight. */
    private void tcpError() {
        FourTuple t = new FourTuple(in.quotedSrc, in.quotedSrcPort(), in.quotedDst, in.quotedDstPort());
        Endpoint ep = stack.connection(t);
        if (ep == null) {
            stack.countDrop(DropReason.ICMP_NO_SOCKET, t, stack.now);
            return;
        }
        boolean v6 = in.isV6();
        int seq = in.quotedTcpSequence();
        if (IcmpErrno.isPathMtu(v6, in.type, in.code)) {
            if (!inFlight(ep, seq, t)) return;
            int mtu = pathMtu.learn(t.remoteAddr(), in.mtu, Checksum.PROTO_TCP, stack.sysctls().mtu(), stack.now, stack.sysctls());
            ep.conn.pathMtuReduced(mtu, stack.now);
            return;
        }
        IcmpErrno meaning = IcmpErrno.of(v6, in.type, in.code);
        if (meaning == null) {
            stack.countDrop(DropReason.ICMP_UNHANDLED, t, stack.now);
            return;
        }
        if (!ep.conn.icmpError(meaning.errno(), meaning.fatal(), seq, stack.now)) outOfWindow(t);
    }

    private boolean inFlight(Endpoint ep, int seq, FourTuple t) {
        if (ep.conn.sequenceInFlight(seq)) return true;
        outOfWindow(t);
        return false;
    }

    private void outOfWindow(FourTuple t) {
        outOfWindow++;
        stack.countDrop(DropReason.ICMP_OUT_OF_WINDOW, t, stack.now);
    }

    // ---- errors we send ----

    /** Port unreachable for a UDP datagram nobody takes (IPv4 3/3, ICMPv6 1/4). */
    void portUnreachable(IpPacket offending) {
        sendError(offending, offending.isV6() ? Icmp.V6_DEST_UNREACHABLE : Icmp.V4_DEST_UNREACHABLE,
                offending.isV6() ? Icmp.V6_PORT_UNREACHABLE : Icmp.V4_PORT_UNREACHABLE, 0);
    }

    /**
     * A protocol nothing here speaks: IPv4's protocol unreachable (3/2), IPv6's parameter
     * problem "unrecognized next header" pointing at the field that named it (ip6_input_finish).
     */
    void protocolUnreachable(IpPacket offending, int nextHeaderPointer) {
        if (offending.isV6()) {
            sendError(offending, Icmp.V6_PARAMETER_PROBLEM, Icmp.V6_UNRECOGNIZED_NEXT_HEADER, nextHeaderPointer);
        } else {
            sendError(offending, Icmp.V4_DEST_UNREACHABLE, Icmp.V4_PROTOCOL_UNREACHABLE, 0);
        }
    }

    /** An IPv6 header the host refused: parameter problem with its code and pointer. */
    void parameterProblem(IpPacket offending, int code, int pointer) {
        sendError(offending, Icmp.V6_PARAMETER_PROBLEM, code, pointer);
    }

    /** A datagram whose reassembly timed out, quoting its first fragment (ip_expire, ip6_expire_frag_queue). */
    void reassemblyTimeExceeded(IpPacket firstFragment) {
        sendError(firstFragment, firstFragment.isV6() ? Icmp.V6_TIME_EXCEEDED : Icmp.V4_TIME_EXCEEDED,
                firstFragment.isV6() ? Icmp.V6_REASSEMBLY_TIME_EXCEEDED : Icmp.V4_REASSEMBLY_TIME_EXCEEDED, 0);
    }

    /** Destination unreachable of {@code code} (the forwarder's refusal): codes of the offending packet's family. */
    void unreachable(IpPacket offending, int code) {
        sendError(offending, offending.isV6() ? Icmp.V6_DEST_UNREACHABLE : Icmp.V4_DEST_UNREACHABLE, code, 0);
    }

    /** icmp_send / icmp6_send: the rules on what never gets an error, the rate limits, then the message. */
    private void sendError(IpPacket offending, int type, int code, int info) {
        if (!IcmpSendRules.mayAnswerWithError(offending, type, code, info, false)) return;
        IpAddress to = offending.src;
        boolean v6 = offending.isV6();
        if (!limit.allow(to, type, code, 128, stack.addresses().isLocal(to), stack.now, stack.sysctls())) return;
        // The error comes from the address the offending packet was sent to when it is ours,
        // else (a forwarded destination) from that address too, as a router on the path would answer.
        int n = IcmpWriter.error(offending, type, code, info, offending.dst, ttl(v6), nextIpId++, out, 0);
        send(to, n);
    }

    private void send(IpAddress to, int length) {
        limit.sent(to);
        stack.emitPacket(out, 0, length, to);
    }

    private int ttl(boolean v6) {
        return stack.sysctls().ip(v6 ? IpSysctl.HOP_LIMIT : IpSysctl.IP_DEFAULT_TTL);
    }

    /** The counters under nstat's names (Icmp and Icmp6 MIBs, TcpExtOutOfWindowIcmps). */
    Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("IcmpInMsgs", inMsgs);
        m.put("IcmpInErrors", inErrors);
        m.put("IcmpInEchos", inEchos);
        m.put("IcmpOutEchoReps", outEchoReps);
        m.put("Icmp6InMsgs", in6Msgs);
        m.put("Icmp6InErrors", in6Errors);
        m.put("Icmp6InEchos", in6Echos);
        m.put("Icmp6OutEchoReplies", out6EchoReps);
        m.putAll(limit.counters());
        m.put("TcpExtOutOfWindowIcmps", outOfWindow);
        return m;
    }
}
