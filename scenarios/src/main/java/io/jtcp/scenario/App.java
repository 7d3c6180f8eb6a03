package io.jtcp.scenario;

import io.jtcp.host.SocketHandler;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An application on one end of a connection, as scenarios and tests script it: it writes a payload as the send
 * buffer allows, then shuts down its sending side (a half-close) or closes, reads
 * everything that arrives into a digest, and reacts to end of stream by closing,
 * at once or after some think time.
 */
public final class App implements SocketHandler {
    public enum AfterSending { NOTHING, SHUTDOWN_OUTPUT, CLOSE }

    private final SimNetwork net;
    private byte[] payload = new byte[0];
    private AfterSending afterSending = AfterSending.NOTHING;
    private long closeOnEofAfter = -1;
    private long closeAfterBytes = -1;
    private int written;
    private boolean finishedSending, closeScheduled;
    private final MessageDigest digest;
    private final byte[] buf = new byte[16384];
    public Connection conn;
    public long receivedBytes;
    public boolean endOfStream;
    public Errno error;
    public boolean closedNotice;

    public App(SimNetwork net) {
        this.net = net;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public App sends(byte[] data, AfterSending then) {
        payload = data;
        afterSending = then;
        return this;
    }

    /** On end of stream, close after {@code delayNanos} (0: at once). */
    public App closesOnEof(long delayNanos) {
        closeOnEofAfter = delayNanos;
        return this;
    }

    /** Close once {@code bytes} have been read (a client that has its whole reply). */
    public App closesAfterReceiving(long bytes) {
        closeAfterBytes = bytes;
        return this;
    }

    public byte[] digest() {
        return digest.digest();
    }

    @Override
    public void established(Connection c, long now) {
        conn = c;
        pump(c, now);
    }

    @Override
    public void writable(Connection c, long now) {
        pump(c, now);
    }

    @Override
    public void readable(Connection c, long now) {
        try {
            for (int n; !endOfStream && (n = c.receive(buf, 0, buf.length, now)) != 0; ) {
                if (n < 0) {
                    endOfStream = true;
                    break;
                }
                digest.update(buf, 0, n);
                receivedBytes += n;
            }
        } catch (ErrnoException e) {
            error = e.errno();
            return;
        }
        if (closeAfterBytes >= 0 && receivedBytes >= closeAfterBytes && !closeScheduled) {
            closeScheduled = true;
            c.close(now);
        }
        if (endOfStream && closeOnEofAfter >= 0 && !closeScheduled) {
            closeScheduled = true;
            if (closeOnEofAfter == 0) c.close(now);
            else net.at(now + closeOnEofAfter, () -> c.close(net.now()));
        }
    }

    @Override
    public void closed(Connection c, Errno err, long now) {
        closedNotice = true;
        if (err != null) error = err;
    }

    private void pump(Connection c, long now) {
        if (finishedSending) return;
        try {
            while (written < payload.length) {
                int n = c.send(payload, written, payload.length - written, now);
                if (n == 0) return;
                written += n;
            }
            finishedSending = true;
            switch (afterSending) {
                case SHUTDOWN_OUTPUT -> c.shutdownOutput(now);
                case CLOSE -> c.close(now);
                case NOTHING -> { }
            }
        } catch (ErrnoException e) {
            error = e.errno();
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
