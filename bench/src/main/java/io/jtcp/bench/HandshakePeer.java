package io.jtcp.bench;

import io.jtcp.host.Stack;
import io.jtcp.link.PacketSink;

/**
 * A stateless client for opening millions of connections to one stack: it writes a SYN
 * from a fresh (address, port) pair, and answers the stack's SYN-ACK with the final ACK
 * computed from the SYN-ACK alone (its ACK number is our next sequence number, its
 * sequence number plus one is what we acknowledge), the way a SYN-cookie tester keeps no
 * per-connection state. So the only TCBs in the heap are the server's.
 *
 * <p>The SYN offers MSS 1460, window scaling and SACK, not timestamps: the ACK must then
 * carry no option and stays a pure function of the SYN-ACK. Checksums are left to the
 * link (the server stack runs with checksum offload, as on {@link MemLink}); the IPv4
 * header checksum is computed, as the stack verifies it.
 *
 * <p>Not thread-safe; one thread drives the peer and the stack.
 */
final class HandshakePeer implements PacketSink {
    private static final int IP = 20, TCP_SYN = 32, TCP_ACK = 20;
    private static final int FIRST_PORT = 1024, PORTS = 65536 - FIRST_PORT;
    private final int server, firstClient, serverPort;
    private final byte[] out = new byte[IP + TCP_SYN];
    /** The ACK owed for the last SYN-ACK: sent after the stack returns, never from inside its send. */
    private final byte[] ack = new byte[IP + TCP_ACK];
    private boolean ackOwed;
    private long synAcks;

    /** Clients are {@code firstClient}, {@code firstClient + 1}, ... with ports 1024-65535 each. */
    HandshakePeer(int server, int serverPort, int firstClient) {
        this.server = server;
        this.serverPort = serverPort;
        this.firstClient = firstClient;
    }

    /** Opens the {@code i}th connection: SYN in, SYN-ACK out, ACK in; true if the SYN-ACK came. */
    boolean open(Stack s, long i, long now) {
        int client = firstClient + (int) (i / PORTS);
        int port = FIRST_PORT + (int) (i % PORTS);
        int iss = (int) (i * 0x9E3779B9L);
        ipHeader(out, IP + TCP_SYN, client);
        tcpHeader(out, port, iss, 0, TCP_SYN, 0x02);
        int o = IP + 20;
        out[o] = 2; out[o + 1] = 4; out[o + 2] = (byte) (1460 >> 8); out[o + 3] = (byte) 1460; // MSS
        out[o + 4] = 1; out[o + 5] = 3; out[o + 6] = 3; out[o + 7] = 7;                       // NOP, window scale 7
        out[o + 8] = 1; out[o + 9] = 1; out[o + 10] = 4; out[o + 11] = 2;                     // NOP, NOP, SACK permitted
        long before = synAcks;
        s.packetArrives(out, 0, IP + TCP_SYN, now);
        if (!ackOwed) return false;
        ackOwed = false;
        s.packetArrives(ack, 0, IP + TCP_ACK, now);
        return synAcks > before;
    }

    /** The stack's output: a SYN-ACK earns the ACK that completes its handshake; anything else is ignored. */
    @Override
    public void send(byte[] p, int off, int len) {
        int ihl = (p[off] & 0x0f) * 4;
        int t = off + ihl;
        if ((p[t + 13] & 0x12) != 0x12) return; // not a SYN-ACK
        int client = get32(p, off + 16);
        int clientPort = (p[t + 2] & 0xff) << 8 | p[t + 3] & 0xff;
        int seq = get32(p, t + 4), ackNo = get32(p, t + 8);
        ipHeader(ack, IP + TCP_ACK, client);
        tcpHeader(ack, clientPort, ackNo, seq + 1, TCP_ACK, 0x10);
        ackOwed = true;
        synAcks++;
    }

    private void ipHeader(byte[] b, int total, int src) {
        b[0] = 0x45; b[1] = 0;
        b[2] = (byte) (total >> 8); b[3] = (byte) total;
        b[4] = b[5] = 0;
        b[6] = 0x40; b[7] = 0;       // DF
        b[8] = 64; b[9] = 6;         // TTL, TCP
        b[10] = b[11] = 0;
        put32(b, 12, src);
        put32(b, 16, server);
        int sum = 0;
        for (int i = 0; i < IP; i += 2) sum += (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        sum = ~sum & 0xffff;
        b[10] = (byte) (sum >> 8); b[11] = (byte) sum;
    }

    private void tcpHeader(byte[] b, int srcPort, int seq, int ackNo, int len, int flags) {
        int t = IP;
        b[t] = (byte) (srcPort >> 8); b[t + 1] = (byte) srcPort;
        b[t + 2] = (byte) (serverPort >> 8); b[t + 3] = (byte) serverPort;
        put32(b, t + 4, seq);
        put32(b, t + 8, ackNo);
        b[t + 12] = (byte) ((len / 4) << 4);
        b[t + 13] = (byte) flags;
        b[t + 14] = (byte) 0xff; b[t + 15] = (byte) 0xff; // window 65535 (unscaled on the SYN; << 7 after)
        b[t + 16] = b[t + 17] = 0;                        // checksum: offloaded
        b[t + 18] = b[t + 19] = 0;
    }

    private static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24); b[o + 1] = (byte) (v >>> 16); b[o + 2] = (byte) (v >>> 8); b[o + 3] = (byte) v;
    }

    private static int get32(byte[] b, int o) {
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | b[o + 3] & 0xff;
    }
}
