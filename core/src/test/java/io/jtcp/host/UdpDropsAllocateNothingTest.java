package io.jtcp.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpPacket;
import io.jtcp.wire.Udp;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The drop paths of UDP input (no socket, bad checksum, full queue) allocate nothing: a flood of them costs no garbage. */
class UdpDropsAllocateNothingTest {
    /** com.sun.management.ThreadMXBean's counter, through reflection: jtcp's module does not read jdk.management. */
    private static long allocatedBytes() throws Exception {
        Object threads = ManagementFactory.getThreadMXBean();
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes").invoke(threads);
    }

    @Test
    void dropsAllocateNothing() throws Exception {
        LoopbackDatagramHost h = new LoopbackDatagramHost(1, "10.0.0.1");
        IpAddress src = IpAddress.parse("10.0.0.2"), dst = IpAddress.parse("10.0.0.1");
        UdpSock full = h.udp.open(false, (s, now) -> {});
        h.udp.bind(full, IpAddress.ANY4, 54);
        h.udp.setReceiveBufferSize(full, 1);
        byte[] d = new byte[Udp.HEADER_LENGTH + 3000];
        Udp.encode(src, 1000, dst, 54, d, Udp.HEADER_LENGTH, 3000, d, 0);
        IpPacket toFull = LoopbackDatagramHost.packet(src, dst, d);
        h.udp.datagramArrives(toFull, true, 0); // the one datagram an empty queue takes
        byte[] noPort = d.clone();
        Udp.encode(src, 1000, dst, 53, d, Udp.HEADER_LENGTH, 100, noPort, 0);
        IpPacket toNobody = LoopbackDatagramHost.packet(src, dst, java.util.Arrays.copyOf(noPort, Udp.HEADER_LENGTH + 100));
        byte[] corrupt = java.util.Arrays.copyOf(noPort, Udp.HEADER_LENGTH + 100);
        corrupt[20] ^= 1;
        IpPacket bad = LoopbackDatagramHost.packet(src, dst, corrupt);

        long[] drops = new long[3];
        for (int warm = 0; warm < 2; warm++) {
            long before = allocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                drops[0] += h.udp.datagramArrives(toNobody, true, 0) == DropReason.UDP_NO_PORT ? 1 : 0;
                drops[1] += h.udp.datagramArrives(bad, true, 0) == DropReason.UDP_BAD_CHECKSUM ? 1 : 0;
                drops[2] += h.udp.datagramArrives(toFull, true, 0) == DropReason.UDP_RCVBUF_FULL ? 1 : 0;
            }
            long allocated = allocatedBytes() - before;
            // Under a byte a drop: one object per drop would be 16 bytes or more. What is counted is the
            // measurement's own reflective call (about 1 KB).
            if (warm == 1) assertTrue(allocated < 60_000, allocated + " bytes allocated by 60,000 dropped datagrams");
        }
        assertEquals(40_000, drops[0]);
        assertEquals(40_000, drops[1]);
        assertEquals(40_000, drops[2]);
    }
}
