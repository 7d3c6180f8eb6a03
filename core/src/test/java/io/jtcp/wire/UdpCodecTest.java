package io.jtcp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UdpCodecTest {
    private static final IpAddress A4 = IpAddress.parse("10.0.0.1"), B4 = IpAddress.parse("10.0.0.2");
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");
    private final Udp udp = new Udp();

    /** A packet whose payload is the datagram at offset 20 of its buffer, as the IP layer leaves it. */
    private static IpPacket packet(IpAddress src, IpAddress dst, byte[] datagram, int payloadLength) {
        IpPacket p = new IpPacket();
        p.version = src.isV4() ? 4 : 6;
        p.src = src;
        p.dst = dst;
        p.protocol = Checksum.PROTO_UDP;
        p.buf = new byte[20 + Math.max(datagram.length, payloadLength)];
        System.arraycopy(datagram, 0, p.buf, 20, datagram.length);
        p.payloadOffset = 20;
        p.payloadLength = payloadLength;
        return p;
    }

    private static byte[] datagram(IpAddress src, IpAddress dst, String text) {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Udp.HEADER_LENGTH + data.length];
        assertEquals(out.length, Udp.encode(src, 5353, dst, 53, data, 0, data.length, out, 0));
        return out;
    }

    private byte[] data(IpPacket p) {
        return Arrays.copyOfRange(p.buf, udp.dataOffset, udp.dataOffset + udp.dataLength);
    }

    @Test
    void roundTripsBothFamilies() {
        for (IpAddress[] pair : new IpAddress[][] {{A4, B4}, {A6, B6}}) {
            byte[] d = datagram(pair[0], pair[1], "hello, world");
            IpPacket p = packet(pair[0], pair[1], d, d.length);
            assertNull(udp.decode(p, true));
            assertEquals(5353, udp.srcPort);
            assertEquals(53, udp.dstPort);
            assertArrayEquals("hello, world".getBytes(StandardCharsets.US_ASCII), data(p));
        }
    }

    @Test
    void checksumCoversThePseudoHeader() {
        byte[] d = datagram(A4, B4, "x");
        assertEquals(DropReason.UDP_BAD_CHECKSUM, udp.decode(packet(A4, IpAddress.parse("10.0.0.3"), d, d.length), true));
        byte[] d6 = datagram(A6, B6, "x");
        assertEquals(DropReason.UDP_BAD_CHECKSUM, udp.decode(packet(A6, IpAddress.parse("fd00::3"), d6, d6.length), true));
    }

    @Test
    void flippedDataBitFailsTheChecksumUnlessOffloaded() {
        byte[] d = datagram(A6, B6, "payload");
        d[10] ^= 0x40;
        assertEquals(DropReason.UDP_BAD_CHECKSUM, udp.decode(packet(A6, B6, d, d.length), true));
        assertNull(udp.decode(packet(A6, B6, d, d.length), false));
    }

    @Test
    void zeroChecksumMeansNoneOnIpv4AndIsInvalidOnIpv6() {
        byte[] d = datagram(A4, B4, "no checksum");
        d[6] = d[7] = 0;
        d[9] ^= 1; // any data: nothing is verified
        assertNull(udp.decode(packet(A4, B4, d, d.length), true));
        byte[] d6 = datagram(A6, B6, "no checksum");
        d6[6] = d6[7] = 0;
        assertEquals(DropReason.UDP_ZERO_CHECKSUM_V6, udp.decode(packet(A6, B6, d6, d6.length), false));
    }

    @Test
    void computedZeroGoesOutAsAllOnes() {
        // Find data whose checksum computes to 0: the sum over everything else must be 0xffff.
        byte[] out = new byte[Udp.HEADER_LENGTH + 2];
        byte[] data = new byte[2];
        Udp.encode(A4, 1, B4, 2, data, 0, 2, out, 0);
        int sum = Bytes.u16(out, 6);
        // Adding the current checksum value to the data makes the total sum 0xffff, the checksum 0.
        Bytes.put16(data, 0, sum);
        Udp.encode(A4, 1, B4, 2, data, 0, 2, out, 0);
        assertEquals(0xffff, Bytes.u16(out, 6));
        assertNull(udp.decode(packet(A4, B4, out, out.length), true));
    }

    @Test
    void lengthFieldBelowHeaderOrPastPayloadDrops() {
        byte[] d = datagram(A4, B4, "abcd");
        Bytes.put16(d, 4, 7);
        assertEquals(DropReason.UDP_BAD_LENGTH, udp.decode(packet(A4, B4, d, d.length), false));
        Bytes.put16(d, 4, d.length + 1);
        assertEquals(DropReason.UDP_BAD_LENGTH, udp.decode(packet(A4, B4, d, d.length), false));
        assertEquals(DropReason.UDP_TRUNCATED, udp.decode(packet(A4, B4, d, 7), false));
    }

    @Test
    void lengthFieldShorterThanPayloadTrimsIt() {
        byte[] d = datagram(A4, B4, "abcd");
        // Ethernet padding after the datagram: the IP payload is longer than the UDP length says.
        IpPacket p = packet(A4, B4, d, d.length + 6);
        p.buf[20 + d.length] = 0x55;
        assertNull(udp.decode(p, true));
        assertArrayEquals("abcd".getBytes(StandardCharsets.US_ASCII), data(p));
    }

    @Test
    void hostileLengthsNeverThrow() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            byte[] d = new byte[r.nextInt(0, 40)];
            r.nextBytes(d);
            IpAddress src = r.nextBoolean() ? A4 : A6, dst = src.isV4() ? B4 : B6;
            DropReason why = udp.decode(packet(src, dst, d, d.length), r.nextBoolean());
            if (why == null) assertEquals(Bytes.u16(d, 4) - 8, udp.dataLength);
        }
    }
}
