package io.jtcp.wire;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;

import static io.jtcp.wire.Ip6Header.*;
import static io.jtcp.wire.Ip6Packets.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The receive path's promise: once the addresses repeat, decoding IPv6, options and drops included, allocates nothing. */
class Ip6DecodeAllocationTest {
    private static final int PACKETS = 20_000;

    @Test
    void steadyStateDecodingAllocatesNothing() throws ReflectiveOperationException {
        Method counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        allocatedBytes(counter);
        byte[] plain = packet(TCP, bytes(20));
        byte[] chained = packet(HOP_BY_HOP, options(DESTINATION_OPTIONS, 0, 0, 5, 2, 0, 0),
                options(FRAGMENT, 1, 4, 0, 0, 0, 0), fragment(UDP, 8, true, 3), bytes(16));
        byte[] dropped = packet(HOP_BY_HOP, options(TCP, 0x9e, 4, 0, 0, 0, 0), bytes(20));
        IpPacket p = new IpPacket();
        decodeAll(p, plain, chained, dropped, PACKETS); // warm up, and let the addresses settle
        long before = allocatedBytes(counter);
        int delivered = decodeAll(p, plain, chained, dropped, PACKETS);
        long allocated = allocatedBytes(counter) - before;
        assertThat(delivered).isEqualTo(2 * PACKETS);
        // Far less than one byte a packet: only the measurement's own noise.
        assertThat(allocated).isLessThan(PACKETS / 10);
    }

    /** HotSpot's per-thread allocation counter; core's module does not read jdk.management, so it is reached reflectively. */
    private static long allocatedBytes(Method counter) throws ReflectiveOperationException {
        return (long) counter.invoke(ManagementFactory.getThreadMXBean());
    }

    private static int decodeAll(IpPacket p, byte[] plain, byte[] chained, byte[] dropped, int n) {
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            if (Ip6Header.decode(plain, 0, plain.length, p) == null) delivered++;
            if (Ip6Header.decode(chained, 0, chained.length, p) == null) delivered++;
            if (Ip6Header.decode(dropped, 0, dropped.length, p) == null) delivered++;
        }
        return delivered;
    }
}
