package io.jtcp.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.config.IpSysctl;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class UdpSocketsTest {
    private static final IpAddress A4 = IpAddress.parse("10.0.0.1"), B4 = IpAddress.parse("10.0.0.2");
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");

    private final LoopbackDatagramHost a = new LoopbackDatagramHost(1, "10.0.0.1", "fd00::1");
    private final LoopbackDatagramHost b = new LoopbackDatagramHost(2, "10.0.0.2", "fd00::2");
    private final Map<UdpSock, Integer> wakeups = new HashMap<>();
    private final UdpHandler counting = (s, now) -> wakeups.merge(s, 1, Integer::sum);

    {
        a.peer = b;
        b.peer = a;
    }

    private UdpSock open(LoopbackDatagramHost h, boolean ipv6) {
        return h.udp.open(ipv6, counting);
    }

    private UdpSock bound(LoopbackDatagramHost h, boolean ipv6, IpAddress addr, int port) throws ErrnoException {
        UdpSock s = open(h, ipv6);
        h.udp.bind(s, addr, port);
        return s;
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    private static String text(UdpDatagram d) { return new String(d.data(), StandardCharsets.US_ASCII); }

    private static void assertErrno(Errno expected, Executable call) {
        assertEquals(expected, assertThrows(ErrnoException.class, call).errno());
    }

    private void send(LoopbackDatagramHost h, UdpSock s, IpAddress dst, int port, String data) throws ErrnoException {
        h.udp.send(s, dst, port, bytes(data), 0, data.length());
    }

    // ---- bind ----

    @Test
    void overlappingAddressesOnOnePortConflictUnlessBothReuse() throws Exception {
        bound(a, false, IpAddress.ANY4, 53);
        assertErrno(Errno.EADDRINUSE, () -> bound(a, false, A4, 53));
        assertErrno(Errno.EADDRINUSE, () -> bound(a, true, IpAddress.ANY6, 53)); // dual stack covers IPv4
        UdpSock v6only = open(a, true);
        a.udp.setV6only(v6only, true);
        a.udp.bind(v6only, IpAddress.ANY6, 53); // IPv6 only: no overlap with 0.0.0.0
        bound(a, true, A6, 54);
        bound(a, false, A4, 54); // a socket bound to an IPv6 address takes no IPv4

        UdpSock r1 = open(a, false), r2 = open(a, false);
        a.udp.setReuseAddr(r1, true);
        a.udp.setReuseAddr(r2, true);
        a.udp.bind(r1, IpAddress.ANY4, 55);
        a.udp.bind(r2, A4, 55);
        UdpSock notReusing = open(a, false);
        assertErrno(Errno.EADDRINUSE, () -> a.udp.bind(notReusing, IpAddress.LOOPBACK4, 55));
        // The failed bind left it unbound: it can bind elsewhere.
        assertEquals(0, notReusing.localPort());
        assertEquals(IpAddress.ANY4, notReusing.localAddress());
        a.udp.bind(notReusing, IpAddress.LOOPBACK4, 56);
    }

    @Test
    void specificAddressesOnOnePortCoexist() throws Exception {
        bound(a, false, A4, 53);
        bound(a, false, IpAddress.LOOPBACK4, 53);
        bound(a, true, A6, 53);
        bound(a, true, A4, 54); // IPv4-mapped on a dual-stack socket ...
        assertErrno(Errno.EADDRINUSE, () -> bound(a, false, A4, 54)); // ... is that IPv4 address
    }

    @Test
    void bindChecksAddressFamilyAndOwnership() throws Exception {
        assertErrno(Errno.EADDRNOTAVAIL, () -> bound(a, false, B4, 53));
        bound(a, false, IpAddress.parse("224.0.0.251"), 5353); // a group's address, as mDNS responders bind
        bound(a, true, IpAddress.parse("ff02::fb"), 5353);
        bound(a, false, LoopbackDatagramHost.BROADCAST, 67);
        assertErrno(Errno.EAFNOSUPPORT, () -> bound(a, false, A6, 53));
        UdpSock v6only = open(a, true);
        a.udp.setV6only(v6only, true);
        assertErrno(Errno.EINVAL, () -> a.udp.bind(v6only, A4, 53));
        UdpSock s = bound(a, false, A4, 53);
        assertErrno(Errno.EINVAL, () -> a.udp.bind(s, A4, 54));
        UdpSock v6 = bound(a, true, A6, 0);
        assertTrue(v6.v6only(), "bound to an IPv6 address, a socket is v6-only (__inet6_bind)");
        assertErrno(Errno.EINVAL, () -> a.udp.setV6only(v6, false));
    }

    @Test
    void ephemeralPortsComeFromTheRangeAndRunOut() throws Exception {
        a.sysctls = a.sysctls.set("ip_local_port_range", "40000 40001");
        UdpSock p1 = bound(a, false, IpAddress.ANY4, 0);
        UdpSock p2 = open(a, true);
        send(a, p2, A4, 9, "autobind"); // sendto on an unbound socket binds it
        assertTrue(p1.localPort() >= 40000 && p1.localPort() <= 40001);
        assertTrue(p2.localPort() >= 40000 && p2.localPort() <= 40001);
        assertNotEquals(p1.localPort(), p2.localPort());
        assertErrno(Errno.EADDRINUSE, () -> bound(a, true, A6, 0));
        assertErrno(Errno.EAGAIN, () -> send(a, open(a, false), A4, 9, "x"));
        assertErrno(Errno.EAGAIN, () -> a.udp.connect(open(a, false), B4, 9));
        a.udp.close(p1);
        assertEquals(0, p1.localPort(), "close unbinds");
        bound(a, false, IpAddress.ANY4, 0);
    }

    // ---- delivery ----

    @Test
    void datagramsTravelBothFamiliesWithTheirChecksums() throws Exception {
        UdpSock server4 = bound(b, false, IpAddress.ANY4, 53), server6 = bound(b, true, B6, 53);
        UdpSock client = open(a, true); // dual stack: reaches both
        send(a, client, B4, 53, "query v4");
        send(a, client, B6, 53, "query v6");
        assertEquals(java.util.Arrays.asList(null, null), a.deliver());
        UdpDatagram q4 = b.udp.receive(server4, false), q6 = b.udp.receive(server6, false);
        assertEquals("query v4", text(q4));
        assertEquals(A4, q4.source());
        assertEquals(B4, q4.destination());
        assertEquals(client.localPort(), q4.sourcePort());
        assertEquals("query v6", text(q6));
        assertEquals(A6, q6.source());
        assertEquals(1, wakeups.get(server4));
        // Replies to the sender's address reach the dual-stack socket in both families.
        send(b, server4, q4.source(), q4.sourcePort(), "answer v4");
        send(b, server6, q6.source(), q6.sourcePort(), "answer v6");
        b.deliver();
        assertEquals("answer v4", text(a.udp.receive(client, false)));
        assertEquals("answer v6", text(a.udp.receive(client, false)));
        assertNull(a.udp.receive(client, false));
        assertEquals(2, a.udp.counters().outDatagrams);
        assertEquals(2, b.udp.counters().inDatagrams);
    }

    @Test
    void theBestScoringSocketGetsTheDatagram() throws Exception {
        UdpSock dual = bound(b, true, IpAddress.ANY6, 53);
        UdpSock client = bound(a, false, A4, 5000);
        send(a, client, B4, 53, "1");
        a.deliver();
        assertEquals("1", text(b.udp.receive(dual, false)), "a dual-stack socket takes IPv4 when alone");

        UdpSock v4wild = open(b, false);
        b.udp.setReuseAddr(dual, true);
        b.udp.setReuseAddr(v4wild, true);
        b.udp.bind(v4wild, IpAddress.ANY4, 53);
        send(a, client, B4, 53, "2");
        a.deliver();
        assertEquals("2", text(b.udp.receive(v4wild, false)), "an IPv4 socket beats a dual-stack one for IPv4");

        UdpSock specific = open(b, false);
        b.udp.setReuseAddr(specific, true);
        b.udp.bind(specific, B4, 53);
        send(a, client, B4, 53, "3");
        a.deliver();
        assertEquals("3", text(b.udp.receive(specific, false)), "a bound address beats the wildcard");

        UdpSock connected = open(b, false);
        b.udp.setReuseAddr(connected, true);
        b.udp.bind(connected, IpAddress.ANY4, 53);
        b.udp.connect(connected, A4, 5000);
        send(a, client, B4, 53, "4");
        a.deliver();
        assertEquals("4", text(b.udp.receive(connected, false)), "a connected socket beats a bound one");
        assertEquals(0, dual.queued() + v4wild.queued() + specific.queued());
    }

    @Test
    void anIpv4SocketBeatsADualStackOneWhicheverBoundFirst() throws Exception {
        UdpSock v4wild = open(b, false), dual = open(b, true);
        b.udp.setReuseAddr(v4wild, true);
        b.udp.setReuseAddr(dual, true);
        b.udp.bind(v4wild, IpAddress.ANY4, 53);
        b.udp.bind(dual, IpAddress.ANY6, 53);
        send(a, open(a, false), B4, 53, "v4");
        send(a, open(a, true), B6, 53, "v6");
        a.deliver();
        assertEquals("v4", text(b.udp.receive(v4wild, false)));
        assertEquals("v6", text(b.udp.receive(dual, false)));
        assertNull(b.udp.receive(dual, false));
    }

    @Test
    void aV6onlySocketTakesNoIpv4() throws Exception {
        b.sysctls = b.sysctls.withIp(IpSysctl.BINDV6ONLY, 1);
        UdpSock v6only = bound(b, true, IpAddress.ANY6, 53);
        assertTrue(v6only.v6only(), "net.ipv6.bindv6only=1 is IPV6_V6ONLY's default");
        UdpSock client = open(a, false);
        send(a, client, B4, 53, "v4");
        assertEquals(List.of(DropReason.UDP_NO_PORT), a.deliver());
        assertEquals(1, b.udp.counters().noPorts);
        assertErrno(Errno.ENETUNREACH, () -> send(b, v6only, A4, 9, "to IPv4"));
    }

    @Test
    void aConnectedSocketTakesItsPeerAloneAndDisconnectForgetsIt() throws Exception {
        UdpSock s = open(b, false);
        b.udp.connect(s, A4, 7000);
        assertEquals(B4, s.localAddress(), "connect takes the route's source address");
        int port = s.localPort();
        assertTrue(port != 0);
        UdpSock peer = bound(a, false, A4, 7000), stranger = bound(a, false, A4, 7001);
        send(a, stranger, B4, port, "not you");
        send(a, peer, B4, port, "you");
        assertEquals(java.util.Arrays.asList(DropReason.UDP_NO_PORT, null), a.deliver());
        assertEquals("you", text(b.udp.receive(s, false)));
        b.udp.send(s, null, 0, bytes("default destination"), 0, 19);
        b.deliver();
        assertEquals("default destination", text(a.udp.receive(peer, false)));

        b.udp.disconnect(s);
        assertFalse(s.isConnected());
        assertEquals(0, s.localPort(), "an autobound port goes back at disconnect (__udp_disconnect)");
        assertEquals(IpAddress.ANY4, s.localAddress());
        assertErrno(Errno.EDESTADDRREQ, () -> b.udp.send(s, null, 0, new byte[1], 0, 1));

        UdpSock pinned = bound(b, false, B4, 8000);
        b.udp.connect(pinned, A4, 7000);
        b.udp.disconnect(pinned);
        assertEquals(8000, pinned.localPort(), "a bound port stays");
        assertEquals(B4, pinned.localAddress());
    }

    @Test
    void theReceiveQueueIsBoundedBySoRcvbuf() throws Exception {
        UdpSock s = bound(b, false, IpAddress.ANY4, 53);
        assertEquals(212_992, s.receiveBufferSize(), "net.core.rmem_default");
        b.udp.setReceiveBufferSize(s, 1);
        assertEquals(2304, s.receiveBufferSize(), "floored at SOCK_MIN_RCVBUF");
        UdpSock client = open(a, false);
        byte[] kb = new byte[1000];
        for (int i = 0; i < 3; i++) a.udp.send(client, B4, 53, kb, 0, kb.length);
        // 1576 bytes each: the second fits while 1576 <= 2304 is queued, the third finds 3152 queued.
        assertEquals(java.util.Arrays.asList(null, null, DropReason.UDP_RCVBUF_FULL), a.deliver());
        assertEquals(1, b.udp.counters().rcvbufErrors);
        assertEquals(2, s.queued());
        b.udp.receive(s, false);
        a.udp.send(client, B4, 53, kb, 0, kb.length);
        assertEquals(java.util.Arrays.asList((DropReason) null), a.deliver());

        UdpSock big = bound(b, false, IpAddress.ANY4, 54);
        b.udp.setReceiveBufferSize(big, 1);
        byte[] huge = new byte[60_000];
        a.udp.send(client, B4, 54, huge, 0, huge.length);
        assertEquals(java.util.Arrays.asList((DropReason) null), a.deliver(), "an empty queue takes one datagram of any size");
    }

    @Test
    void peekLeavesTheDatagramQueued() throws Exception {
        UdpSock s = bound(b, false, IpAddress.ANY4, 53);
        send(a, open(a, false), B4, 53, "twice");
        a.deliver();
        UdpDatagram peeked = b.udp.receive(s, true);
        assertSame(peeked, b.udp.receive(s, false));
        assertNull(b.udp.receive(s, true));
        assertEquals(0, s.queuedBytes());
    }

    @Test
    void broadcastNeedsSoBroadcastAndReachesEverySocketOnThePort() throws Exception {
        IpAddress bcast = IpAddress.parse("10.0.0.255");
        UdpSock sender = open(a, false);
        assertErrno(Errno.EACCES, () -> send(a, sender, bcast, 67, "discover"));
        a.udp.setBroadcast(sender, true);
        UdpSock one = open(a, false), two = open(a, false);
        a.udp.setReuseAddr(one, true);
        a.udp.setReuseAddr(two, true);
        a.udp.bind(one, IpAddress.ANY4, 67);
        a.udp.bind(two, IpAddress.ANY4, 67);
        send(a, sender, bcast, 67, "discover");
        send(a, sender, bcast, 68, "nobody");
        assertEquals(java.util.Arrays.asList(null, DropReason.UDP_IGNORED_MULTI), a.deliver());
        assertEquals("discover", text(a.udp.receive(one, false)));
        assertEquals("discover", text(a.udp.receive(two, false)));
        assertEquals(0, a.udp.counters().noPorts, "no port unreachable for broadcast");
    }

    @Test
    void aHandlerThatSendsDuringABroadcastDoesNotChangeWhatTheOthersGet() throws Exception {
        IpAddress bcast = IpAddress.parse("10.0.0.255");
        UdpSock sink = bound(a, false, IpAddress.LOOPBACK4, 99);
        UdpSock one = open(a, false);
        // A handler that answers at once, through an IP layer that delivers to this host synchronously.
        UdpHandler answering = (s, now) -> {
            try {
                send(a, s, IpAddress.LOOPBACK4, 99, "echo");
                a.deliver();
            } catch (ErrnoException e) {
                throw new AssertionError(e);
            }
        };
        UdpSock echo = a.udp.open(false, answering);
        a.udp.setReuseAddr(one, true);
        a.udp.setReuseAddr(echo, true);
        a.udp.bind(one, IpAddress.ANY4, 67);
        a.udp.bind(echo, IpAddress.ANY4, 67); // last bound: first on the port's chain
        UdpSock sender = bound(a, false, A4, 68);
        a.udp.setBroadcast(sender, true);
        send(a, sender, bcast, 67, "offer");
        a.deliver();
        UdpDatagram got = a.udp.receive(one, false);
        assertEquals("offer", text(got));
        assertEquals(68, got.sourcePort());
        assertEquals(67, got.destinationPort());
        assertEquals("echo", text(a.udp.receive(sink, false)));
    }

    @Test
    void oversizedDatagramsFailWithEmsgsize() throws Exception {
        UdpSock s = open(a, true);
        byte[] max = new byte[65_527];
        assertErrno(Errno.EMSGSIZE, () -> a.udp.send(s, B4, 9, max, 0, 65_508));
        a.udp.send(s, B4, 9, max, 0, 65_507);
        a.udp.send(s, B6, 9, max, 0, 65_527);
        assertErrno(Errno.EMSGSIZE, () -> a.udp.send(s, B6, 9, new byte[65_528], 0, 65_528));
        assertErrno(Errno.EAFNOSUPPORT, () -> a.udp.send(open(a, false), B6, 9, max, 0, 1));
    }

    // ---- ICMP errors ----

    @Test
    void aHardErrorReachesAConnectedSocketOnce() throws Exception {
        UdpSock s = open(a, false);
        a.udp.connect(s, B4, 53);
        assertTrue(a.udp.icmpError(A4, s.localPort(), B4, 53, Errno.ECONNREFUSED, true, 0));
        assertEquals(1, wakeups.get(s), "the error wakes the socket (POLLERR)");
        assertTrue(s.readable());
        assertErrno(Errno.ECONNREFUSED, () -> a.udp.send(s, null, 0, new byte[1], 0, 1));
        a.udp.send(s, null, 0, new byte[1], 0, 1);
        // The next one is reported by receive, before the datagram already queued.
        UdpSock server = bound(b, false, B4, 53);
        send(b, server, A4, s.localPort(), "late answer");
        b.deliver();
        assertTrue(a.udp.icmpError(A4, s.localPort(), B4, 53, Errno.ECONNREFUSED, true, 0));
        assertErrno(Errno.ECONNREFUSED, () -> a.udp.receive(s, false));
        assertEquals("late answer", text(a.udp.receive(s, false)));
    }

    @Test
    void softErrorsAndUnconnectedSocketsNeedIpRecverr() throws Exception {
        UdpSock connected = open(a, false);
        a.udp.connect(connected, B4, 53);
        assertFalse(a.udp.icmpError(A4, connected.localPort(), B4, 53, Errno.EHOSTUNREACH, false, 0));
        assertNull(connected.pendingError());

        UdpSock unconnected = bound(a, false, IpAddress.ANY4, 6000);
        assertFalse(a.udp.icmpError(A4, 6000, B4, 53, Errno.ECONNREFUSED, true, 0));
        assertNull(unconnected.pendingError());
        a.udp.setRecvErr(unconnected, true);
        assertTrue(a.udp.icmpError(A4, 6000, B4, 53, Errno.EHOSTUNREACH, false, 0));
        assertEquals(Errno.EHOSTUNREACH, a.udp.takeError(unconnected));
        assertNull(a.udp.takeError(unconnected), "SO_ERROR clears it");

        assertFalse(a.udp.icmpError(A4, 6001, B4, 53, Errno.ECONNREFUSED, true, 0), "no socket on that port");
    }

    @Test
    void anErrorForADifferentPeerDoesNotReachAConnectedSocket() throws Exception {
        UdpSock s = open(a, false);
        a.udp.connect(s, B4, 53);
        assertFalse(a.udp.icmpError(A4, s.localPort(), B4, 54, Errno.ECONNREFUSED, true, 0));
        assertNull(s.pendingError());
    }

    @Test
    void closedSocketsFailWithEbadf() throws Exception {
        UdpSock s = bound(a, false, IpAddress.ANY4, 53);
        a.udp.close(s);
        assertEquals(0, a.udp.size());
        assertErrno(Errno.EBADF, () -> a.udp.receive(s, false));
        assertErrno(Errno.EBADF, () -> send(a, s, B4, 9, "x"));
        bound(a, false, IpAddress.ANY4, 53); // the port is free again
    }
}
