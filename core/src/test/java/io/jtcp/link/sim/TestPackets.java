package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;
import java.nio.ByteBuffer;

/** Minimal IPv4+TCP packets for driving the simulator; checksums are left zero (the wire does not care). */
final class TestPackets {
    private TestPackets() {}

    static byte[] tcp(IpAddress src, IpAddress dst, int flags, int payloadLength) {
        return tcp(src, dst, 1000, 80, flags, payloadLength, 0);
    }

    /** {@code id} goes in the TCP sequence number field so tests can tell packets apart. */
    static byte[] tcp(IpAddress src, IpAddress dst, int srcPort, int dstPort, int flags, int payloadLength, int id) {
        int total = 40 + payloadLength;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total)
         .putShort((short) 0).putShort((short) 0x4000)
         .put((byte) 64).put((byte) 6).putShort((short) 0)
         .putInt(src.v4()).putInt(dst.v4());
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(id).putInt(0)
         .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    /** The id {@link #tcp} stored in the sequence number field. */
    static int id(byte[] p) {
        return ByteBuffer.wrap(p).getInt(24);
    }

    static byte[] swapAddresses(byte[] p, int off, int len) {
        byte[] r = java.util.Arrays.copyOfRange(p, off, off + len);
        System.arraycopy(p, off + 16, r, 12, 4);
        System.arraycopy(p, off + 12, r, 16, 4);
        return r;
    }
}
