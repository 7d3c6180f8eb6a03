package io.jtcp.scenario.soak;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.host.SocketHandler;
import io.jtcp.tcp.Connection;

/**
 * Either end of a soak transfer: sends its stream as space allows and half-closes,
 * checks every byte it reads against the peer's stream, and closes once it has sent
 * everything and read to end of stream. A server learns its transfer from the first
 * 4 bytes of the request.
 */
public final class SoakPeer implements SocketHandler {
    private static final int CHUNK = 16384;

    private final SoakLedger ledger;
    private final boolean isClient;
    private final byte[] buf = new byte[CHUNK];
    private final byte[] out = new byte[CHUNK];
    private final byte[] head = new byte[4];
    private SoakTransfer t;
    private long sentPos, received;
    private int chunkLen, chunkOff;
    private boolean sent, endOfStream;

    /** A client for transfer {@code t}. */
    public static SoakPeer client(SoakLedger ledger, SoakTransfer t) {
        SoakPeer p = new SoakPeer(ledger, true);
        p.t = t;
        return p;
    }

    /** A server, which learns its transfer from the request. */
    public static SoakPeer server(SoakLedger ledger) {
        return new SoakPeer(ledger, false);
    }

    private SoakPeer(SoakLedger ledger, boolean isClient) {
        this.ledger = ledger;
        this.isClient = isClient;
    }

    @Override
    public void established(Connection c, long now) { pump(c, now); }

    @Override
    public void writable(Connection c, long now) { pump(c, now); }

    @Override
    public void readable(Connection c, long now) {
        try {
            for (int n; !endOfStream && (n = c.receive(buf, 0, buf.length, now)) != 0; ) {
                if (n < 0) {
                    finishReading(c, now);
                    break;
                }
                if (t == null) identify(n);
                if (t != null) check(n);
                received += n;
            }
            pump(c, now);
        } catch (ErrnoException e) {
            if (t != null) t.errors.add(e.errno());
        }
    }

    private void identify(int n) {
        int have = (int) Math.min(4, received);
        System.arraycopy(buf, 0, head, have, Math.min(4 - have, n));
        if (received + n >= 4) t = ledger.get(SoakPayload.idOf(head));
    }

    /** Compares what was read with the stream the other end sends (a server reads the request). */
    private void check(int n) {
        if (t.firstBadOffset >= 0) return;
        int bad = SoakPayload.firstMismatch(t.id, t.key(!isClient), received, buf, 0, n);
        if (bad >= 0) t.firstBadOffset = received + bad;
    }

    private void finishReading(Connection c, long now) {
        endOfStream = true;
        if (t == null) return;
        if (isClient) t.replyReceived = received;
        else t.requestReceived = received;
        if (sent) c.close(now);
    }

    private void pump(Connection c, long now) {
        if (sent || t == null) return;
        long size = isClient ? t.requestSize : t.replySize;
        try {
            while (true) {
                if (chunkOff == chunkLen) {
                    chunkLen = (int) Math.min(CHUNK, size - sentPos);
                    chunkOff = 0;
                    if (chunkLen == 0) {
                        sent = true;
                        c.shutdownOutput(now);
                        if (endOfStream) c.close(now);
                        return;
                    }
                    SoakPayload.fill(t.id, t.key(isClient), sentPos, out, 0, chunkLen);
                    sentPos += chunkLen;
                }
                int n = c.send(out, chunkOff, chunkLen - chunkOff, now);
                if (n == 0) return;
                chunkOff += n;
            }
        } catch (ErrnoException e) {
            t.errors.add(e.errno());
        }
    }

    @Override
    public void closed(Connection c, Errno error, long now) {
        if (t == null) return;
        // A reset after this end has sent and read everything costs no data: under heavy loss a FIN's
        // retransmission can outlive the peer's TIME_WAIT and meet RST, as it would with Linux.
        if (error != null && !(sent && endOfStream)) t.errors.add(error);
        ledger.ended(t, isClient);
    }
}
