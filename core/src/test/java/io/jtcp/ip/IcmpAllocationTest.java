package io.jtcp.ip;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.Icmp;
import io.jtcp.wire.IcmpMessage;
import io.jtcp.wire.IcmpSendRules;
import io.jtcp.wire.IcmpWriter;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpHeaders;
import io.jtcp.wire.IpPacket;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steady state of the ICMP path allocates nothing: parsing an error (its quoted
 * addresses reuse the last ones), dropping a bad one, asking the send rules and the
 * limits about a known destination, looking up its path MTU, and writing the answer.
 */
class IcmpAllocationTest {
    private static final IpAddress US = IpAddress.parse("10.0.0.1"), PEER = IpAddress.parse("10.0.0.2");

    @Test
    void steadyStateAllocatesNothing() {
        // An ICMP port unreachable from PEER about a UDP datagram US -> PEER, built by our own writer.
        byte[] udp = new byte[28];
        IpHeaders.writeIpv4(udp, 0, US, PEER, Checksum.PROTO_UDP, 8, 64, 0, false, 1);
        Bytes.put32(udp, 20, 0x30390035);
        IpPacket offending = packet(udp, US, PEER, Checksum.PROTO_UDP);
        byte[] error = new byte[600];
        int n = IcmpWriter.portUnreachable(offending, PEER, 64, 2, error, 0);
        IpPacket good = packet(error, PEER, US, Checksum.PROTO_ICMP);
        good.payloadLength = n - 20;
        byte[] corrupt = error.clone();
        corrupt[30] ^= 1;
        IpPacket bad = packet(corrupt, PEER, US, Checksum.PROTO_ICMP);
        bad.payloadLength = n - 20;

        IcmpMessage m = new IcmpMessage();
        IcmpRateLimit limit = new IcmpRateLimit(RandomGenerator.of("L64X128MixRandom"));
        PathMtuCache mtus = new PathMtuCache();
        Sysctls sysctls = Sysctls.linux();
        byte[] out = new byte[600];
        mtus.learn(US, 1400, Checksum.PROTO_UDP, 1500, 0, sysctls);

        long[] sink = new long[1];
        Runnable round = () -> {
            if (Icmp.parse(good, m) != null) throw new AssertionError();
            if (Icmp.parse(bad, m) != DropReason.ICMP_BAD_CHECKSUM) throw new AssertionError();
            if (IcmpSendRules.mayAnswerWithError(offending, 3, 3, 0, false)) sink[0]++;
            if (limit.allow(PEER, Icmp.V4_ECHO_REPLY, 0, 32, false, 0, sysctls)) sink[0]++;
            if (limit.allow(PEER, 3, 3, 32, false, sink[0], sysctls)) sink[0]++;
            sink[0] += mtus.mtu(US, 1500, 1);
            sink[0] += IcmpWriter.portUnreachable(offending, PEER, 64, 2, out, 0);
        };
        for (int i = 0; i < 20_000; i++) round.run();
        // The reading itself boxes its result: measure that and take it off.
        allocatedBytes();
        long overhead = -allocatedBytes() + allocatedBytes();
        long before = allocatedBytes();
        for (int i = 0; i < 10_000; i++) round.run();
        long allocated = allocatedBytes() - before - overhead;
        // An object a round would be at least 16 bytes each, 160,000 in all; under one byte a
        // round leaves only one-off JVM activity (the reading's reflection, deoptimization).
        assertThat(allocated).as("bytes allocated by 10,000 rounds").isLessThan(10_000);
        assertThat(sink[0]).isPositive();
    }

    /** HotSpot's per-thread allocation counter, through reflection: the module does not read jdk.management. */
    private static long allocatedBytes() {
        try {
            return (Long) ALLOCATED_BYTES.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static final Object THREADS = ManagementFactory.getThreadMXBean();
    private static final Method ALLOCATED_BYTES;

    static {
        try {
            ALLOCATED_BYTES = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static IpPacket packet(byte[] b, IpAddress src, IpAddress dst, int protocol) {
        IpPacket p = new IpPacket();
        p.version = 4;
        p.buf = b;
        p.src = src;
        p.dst = dst;
        p.protocol = protocol;
        p.payloadOffset = 20;
        p.payloadLength = b.length - 20;
        return p;
    }
}
