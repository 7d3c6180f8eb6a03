package io.jtcp.cli.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Inet4Address;
import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The client side of SOCKS version 5 (RFC 1928), as much as a tun2socks needs: the
 * "no authentication" method, CONNECT and UDP ASSOCIATE, addresses as IPv4 or IPv6
 * literals (the proxy always knows the destination's address, never a name).
 */
final class Socks5 {
    static final int VERSION = 5, NO_AUTH = 0, NO_ACCEPTABLE = 0xff;
    static final int CONNECT = 1, UDP_ASSOCIATE = 3;
    static final int ATYP_V4 = 1, ATYP_NAME = 3, ATYP_V6 = 4;

    private Socks5() {}

    /** Method negotiation (RFC 1928 §3): we offer "no authentication" alone. */
    static void greet(OutputStream out, DataInputStream in) throws IOException {
        out.write(new byte[] {VERSION, 1, NO_AUTH});
        out.flush();
        int version = in.readUnsignedByte(), method = in.readUnsignedByte();
        if (version != VERSION) throw new ProtocolException("SOCKS server answered version " + version);
        if (method != NO_AUTH) throw new UpstreamException(Verdict.PROHIBITED, "SOCKS server wants authentication (method " + method + ")");
    }

    /**
     * A request (§4) and its reply (§6): the address the server bound (CONNECT) or relays
     * datagrams at (UDP ASSOCIATE). A failure reply becomes the client's {@link Verdict}.
     */
    static InetSocketAddress request(OutputStream out, DataInputStream in, int command, InetSocketAddress target) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(22);
        b.put((byte) VERSION).put((byte) command).put((byte) 0);
        putAddress(b, target);
        out.write(b.array(), 0, b.position());
        out.flush();
        int version = in.readUnsignedByte(), reply = in.readUnsignedByte();
        in.readUnsignedByte();
        if (version != VERSION) throw new ProtocolException("SOCKS server answered version " + version);
        InetSocketAddress bound = readAddress(in);
        if (reply != 0) throw new UpstreamException(verdictOf(reply), "SOCKS server: " + describe(reply) + " (" + target + ")");
        return bound;
    }

    /** §6's reply codes as the client should hear them. */
    static Verdict verdictOf(int reply) {
        return switch (reply) {
            case 2 -> Verdict.PROHIBITED;
            case 3 -> Verdict.NETWORK_UNREACHABLE;
            case 5 -> Verdict.REFUSED;
            default -> Verdict.HOST_UNREACHABLE;  // 1 general failure, 4 host unreachable, 6 TTL expired, 7-8 unsupported
        };
    }

    private static String describe(int reply) {
        return switch (reply) {
            case 1 -> "general failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "reply " + reply;
        };
    }

    /** ATYP, DST.ADDR, DST.PORT. */
    static void putAddress(ByteBuffer b, InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        b.put((byte) (ip instanceof Inet4Address ? ATYP_V4 : ATYP_V6)).put(ip.getAddress()).putShort((short) a.getPort());
    }

    static InetSocketAddress readAddress(DataInputStream in) throws IOException {
        int atyp = in.readUnsignedByte();
        byte[] addr = switch (atyp) {
            case ATYP_V4 -> new byte[4];
            case ATYP_V6 -> new byte[16];
            case ATYP_NAME -> new byte[in.readUnsignedByte()];
            default -> throw new ProtocolException("SOCKS address type " + atyp);
        };
        in.readFully(addr);
        int port = in.readUnsignedShort();
        return atyp == ATYP_NAME ? InetSocketAddress.createUnresolved(new String(addr, java.nio.charset.StandardCharsets.US_ASCII), port)
                : new InetSocketAddress(InetAddress.getByAddress(addr), port);
    }

    /** A UDP request header (§7): RSV, FRAG 0, the address; returns where the data starts. */
    static int putUdpHeader(ByteBuffer b, InetSocketAddress a) {
        b.putShort((short) 0).put((byte) 0);
        putAddress(b, a);
        return b.position();
    }

    /** Where a relayed datagram's data starts, or -1 for a fragment or a header we cannot read (dropped, as §7 allows). */
    static int udpDataOffset(byte[] d, int len) {
        if (len < 4 || d[2] != 0) return -1;
        int off = switch (d[3]) {
            case ATYP_V4 -> 4 + 4 + 2;
            case ATYP_V6 -> 4 + 16 + 2;
            case ATYP_NAME -> len > 4 ? 4 + 1 + (d[4] & 0xff) + 2 : -1;
            default -> -1;
        };
        return off <= len ? off : -1;
    }
}
