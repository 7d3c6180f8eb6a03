package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.tcp.State;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IcmpMessage;
import io.jtcp.wire.IcmpWriter;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpHeaders;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ICMP and ICMPv6 on a host: echoes, the errors it sends, and what errors it receives do to connections. */
class HostIcmpTest {
    private static final Sysctls CFG = Sysctls.linux().set("tcp_retries2", "3");
    private static final IpAddress A4 = IpAddress.parse("10.0.0.1"), B4 = IpAddress.parse("10.0.0.2");
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");
    /** A router between the two hosts, in neither: where path errors come from. */
    private static final IpAddress ROUTER4 = IpAddress.parse("10.0.0.254"), ROUTER6 = IpAddress.parse("fd00::fe");

    private final PointToPoint link = new PointToPoint(CFG, "10.0.0.1", "10.0.0.2");

    HostIcmpTest() {
        link.a.addAddress(A6, 64);
        link.b.addAddress(B6, 64);
    }

    private static byte[] ipPacket(IpAddress src, IpAddress dst, int protocol, byte[] payload) {
        byte[] p = new byte[IpHeaders.headerLength(src) + payload.length];
        int h = IpHeaders.write(p, 0, src, dst, protocol, payload.length, 64, 0, true, 7);
        System.arraycopy(payload, 0, p, h, payload.length);
        return p;
    }

    private static byte[] echoRequest(IpAddress src, IpAddress dst, int id, int seq, byte[] data) {
        boolean v6 = src.isV6();
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) (v6 ? Icmp.V6_ECHO_REQUEST : Icmp.V4_ECHO_REQUEST);
        Bytes.put16(m, 4, id);
        Bytes.put16(m, 6, seq);
        System.arraycopy(data, 0, m, 8, data.length);
        int seed = v6 ? Checksum.pseudoHeader(src, dst, Checksum.PROTO_ICMPV6, m.length) : 0;
        Bytes.put16(m, 2, Checksum.finish(Checksum.partial(m, 0, m.length, seed)));
        return ipPacket(src, dst, v6 ? Checksum.PROTO_ICMPV6 : Checksum.PROTO_ICMP, m);
    }

    /** The ICMP messages {@code from} put on the link, parsed. */
    private List<IcmpMessage> icmpFrom(Stack from) {
        List<IcmpMessage> out = new ArrayList<>();
        for (PointToPoint.Packet p : link.crossed) {
            if (p.from() != from) continue;
            IpPacket ip = p.ip();
            if (ip.protocol != Checksum.PROTO_ICMP && ip.protocol != Checksum.PROTO_ICMPV6) continue;
            IcmpMessage m = new IcmpMessage();
            assertThat(Icmp.parse(ip, m)).as("a valid ICMP message").isNull();
            out.add(m);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anEchoRequestIsAnsweredWithItsIdSequenceAndData(boolean v6) {
        byte[] data = "ping payload".getBytes();
        link.inject(link.a, echoRequest(v6 ? B6 : B4, v6 ? A6 : A4, 0x1234, 7, data));
        link.runFor(1);
        assertThat(icmpFrom(link.a)).singleElement().satisfies(m -> {
            assertThat(m.kind).isEqualTo(IcmpMessage.Kind.ECHO_REPLY);
            assertThat(m.id).isEqualTo(0x1234);
            assertThat(m.sequence).isEqualTo(7);
            assertThat(Arrays.copyOfRange(m.buf, m.dataOffset, m.dataOffset + m.dataLength)).isEqualTo(data);
        });
        assertThat(link.a.snapshot(link.now).counters()).containsEntry(v6 ? "Icmp6InEchos" : "IcmpInEchos", 1L);
    }

    @Test
    void echoIgnoreAllSilencesTheHost() {
        link.a.setSysctls(CFG.set("net.ipv4.icmp_echo_ignore_all", "1"));
        link.inject(link.a, echoRequest(B4, A4, 1, 1, new byte[8]));
        link.runFor(1);
        assertThat(icmpFrom(link.a)).isEmpty();
        assertThat(link.a.counters().dropsByReason().get(io.jtcp.wire.DropReason.ICMP_ECHO_IGNORED)).isPositive();
    }

    @Test
    void anUnknownProtocolGetsProtocolUnreachableOrAnUnrecognizedNextHeader() {
        link.inject(link.a, ipPacket(B4, A4, 132, new byte[16]));
        link.inject(link.a, ipPacket(B6, A6, 132, new byte[16]));
        link.runFor(1);
        List<IcmpMessage> sent = icmpFrom(link.a);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).type).isEqualTo(Icmp.V4_DEST_UNREACHABLE);
        assertThat(sent.get(0).code).isEqualTo(Icmp.V4_PROTOCOL_UNREACHABLE);
        assertThat(sent.get(1).type).isEqualTo(Icmp.V6_PARAMETER_PROBLEM);
        assertThat(sent.get(1).code).isEqualTo(Icmp.V6_UNRECOGNIZED_NEXT_HEADER);
        assertThat(sent.get(1).pointer).as("the IPv6 header's next header field").isEqualTo(6);
    }

    @Test
    void errorsAreRateLimitedPerDestinationAsLinuxDoes() {
        // icmp_ratelimit 1000 ms with a burst of 6: the seventh protocol unreachable within the second is not sent.
        for (int i = 0; i < 10; i++) link.inject(link.a, ipPacket(B4, A4, 132, new byte[16]));
        link.runFor(1);
        assertThat(icmpFrom(link.a)).hasSize(6);
        assertThat(link.a.snapshot(link.now).counters()).containsEntry("IcmpOutRateLimitHost", 4L);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHardErrorInSynSentEndsTheConnectWithItsErrno(boolean v6) throws ErrnoException {
        link.path = (from, p) -> List.of();  // the SYN goes nowhere; a router answers
        Connection c = link.a.connect(v6 ? B6 : B4, 80, new SocketHandler() {}, link.now);
        link.runFor(1);
        IpPacket syn = link.sent.getFirst().ip();
        byte[] error = new byte[1280];
        int n = IcmpWriter.destinationUnreachable(syn, v6 ? Icmp.V6_ADDRESS_UNREACHABLE : Icmp.V4_HOST_UNREACHABLE,
                v6 ? ROUTER6 : ROUTER4, 64, 1, error, 0);
        link.inject(link.a, Arrays.copyOf(error, n));
        assertThat(c.state()).isEqualTo(State.CLOSED);
        assertThat(c.error()).isEqualTo(Errno.EHOSTUNREACH);
    }

    @Test
    void anErrorQuotingASequenceNumberNotInFlightIsIgnored() throws ErrnoException {
        link.path = (from, p) -> List.of();
        Connection c = link.a.connect(B4, 80, new SocketHandler() {}, link.now);
        link.runFor(1);
        byte[] syn = link.sent.getFirst().bytes().clone();
        // A blind attacker's guess: the quoted segment's sequence number is not one a sent.
        Bytes.put32(syn, 24, Bytes.i32(syn, 24) + 100_000);
        IpPacket forged = new IpPacket();
        PacketCodec.decodeIp(syn, 0, syn.length, forged);
        byte[] error = new byte[576];
        int n = IcmpWriter.portUnreachable(forged, ROUTER4, 64, 1, error, 0);
        link.inject(link.a, Arrays.copyOf(error, n));
        assertThat(c.state()).isEqualTo(State.SYN_SENT);
        assertThat(link.a.snapshot(link.now).counters()).containsEntry("TcpExtOutOfWindowIcmps", 1L);
    }

    @Test
    void aSoftErrorWhileEstablishedIsWhatTheTimeoutReports() throws ErrnoException {
        b().listen(80, (c, now) -> new SocketHandler() {});
        Connection c = link.a.connect(B4, 80, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(c.state()).isEqualTo(State.ESTABLISHED);
        link.path = (from, p) -> from == link.a ? List.of() : List.of(p);  // a's packets vanish from now on
        int sent = link.crossed.size();
        byte[] data = new byte[100];
        c.send(data, 0, data.length, link.now);
        link.runFor(1);
        assertThat(link.crossed).hasSize(sent);
        // The dropped segment never crossed; rebuild what a router would quote from a's next retransmission.
        Segment seg = new Segment();
        seg.srcAddr = A4;
        seg.dstAddr = B4;
        seg.srcPort = c.tuple().localPort();
        seg.dstPort = 80;
        seg.seq = c.status(link.now).sndUna();
        seg.flags = io.jtcp.wire.TcpFlags.ACK;
        byte[] quoted = new byte[60];
        int qn = PacketCodec.encode(seg, quoted, 0);
        IpPacket q = new IpPacket();
        PacketCodec.decodeIp(quoted, 0, qn, q);
        byte[] error = new byte[576];
        int n = IcmpWriter.destinationUnreachable(q, Icmp.V4_HOST_UNREACHABLE, ROUTER4, 64, 1, error, 0);
        link.inject(link.a, Arrays.copyOf(error, n));
        assertThat(c.state()).as("soft: the connection lives on").isEqualTo(State.ESTABLISHED);
        link.runFor(60_000);
        assertThat(c.state()).isEqualTo(State.CLOSED);
        assertThat(c.error()).as("Linux's tcp_write_err reports sk_err_soft").isEqualTo(Errno.EHOSTUNREACH);
    }

    private Stack b() {
        return link.b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSmallerPathMidTransferShrinksTheSegmentsAndEveryByteArrives(boolean v6) throws ErrnoException {
        int pathMtu = v6 ? 1280 : 1000;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        link.b.listen(v6 ? IpAddress.ANY6 : IpAddress.ANY4, 80, 16, new SocketOptions(CFG), (l, now) -> {
            while (l.accept((conn, t) -> new SocketHandler() {
                @Override
                public void readable(Connection c, long at) {
                    byte[] buf = new byte[65536];
                    try {
                        for (int n; (n = c.receive(buf, 0, buf.length, at)) > 0; ) got.write(buf, 0, n);
                    } catch (ErrnoException e) {
                        throw new AssertionError(e);
                    }
                }
            }) != null) {
                // accepted
            }
        });
        Connection c = link.a.connect(v6 ? B6 : B4, 80, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(c.state()).isEqualTo(State.ESTABLISHED);
        // From now on the path takes at most pathMtu bytes: bigger packets die at a router, which says why.
        List<byte[]> errors = new ArrayList<>();
        link.path = (from, p) -> {
            if (p.length <= pathMtu) return List.of(p);
            IpPacket big = new IpPacket();
            PacketCodec.decodeIp(p, 0, p.length, big);
            byte[] e = new byte[1280];
            int n = v6 ? IcmpWriter.packetTooBig(big, pathMtu, ROUTER6, 64, e, 0)
                    : IcmpWriter.fragmentationNeeded(big, pathMtu, ROUTER4, 64, 1, e, 0);
            errors.add(Arrays.copyOf(e, n));
            return List.of();
        };
        byte[] data = new byte[200_000];
        new java.util.Random(5).nextBytes(data);
        int off = 0;
        for (int round = 0; round < 400 && got.size() < data.length; round++) {
            off += c.send(data, off, data.length - off, link.now);
            link.runFor(5);
            for (byte[] e : errors) link.inject(link.a, e);
            errors.clear();
        }
        assertThat(got.toByteArray()).isEqualTo(data);
        assertThat(c.pathMtu()).isEqualTo(pathMtu);
        assertThat(c.status(link.now).sndMss()).isEqualTo(pathMtu - (v6 ? 60 : 40) - 12);
        // New connections to that destination start from the learned path MTU.
        Connection next = link.a.connect(v6 ? B6 : B4, 80, new SocketHandler() {}, link.now);
        assertThat(next.pathMtu()).isEqualTo(pathMtu);
    }
}
