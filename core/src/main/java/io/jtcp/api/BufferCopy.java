package io.jtcp.api;

import io.jtcp.tcp.Connection;
import java.nio.ByteBuffer;

/**
 * Moves bytes between a connection and the caller's {@link ByteBuffer}s, as readv(2)
 * and writev(2) do: heap buffers are copied straight from and into their arrays, direct
 * ones through a scratch array of the loop's thread. Loop thread only; the buffers
 * belong to the socket for the duration of the call.
 */
final class BufferCopy {
    private static final int SCRATCH_BYTES = 64 * 1024;
    /** One per loop thread: only loop threads call in here. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    private BufferCopy() {}

    /**
     * Fills {@code dsts[off, off+len)} in order with what is queued: the count read, 0 when
     * nothing was, -1 at end of stream. The connection's error is thrown only when nothing
     * was read, so a reset after data leaves the data readable first, as on Linux.
     */
    static long receive(Connection c, ByteBuffer[] dsts, int off, int len, long now) throws ErrnoException {
        long total = 0;
        for (int i = off; i < off + len; i++) {
            ByteBuffer b = dsts[i];
            while (b.hasRemaining()) {
                if (total > 0 && c.available() == 0) return total;
                int n;
                if (b.hasArray()) {
                    n = c.receive(b.array(), b.arrayOffset() + b.position(), b.remaining(), false, now);
                    if (n > 0) b.position(b.position() + n);
                } else {
                    byte[] s = SCRATCH.get();
                    n = c.receive(s, 0, Math.min(s.length, b.remaining()), false, now);
                    if (n > 0) b.put(s, 0, n);
                }
                if (n <= 0) return total > 0 ? total : n;
                total += n;
            }
        }
        return total;
    }

    /**
     * Queues as much of {@code srcs[off, off+len)} as the send buffer takes and returns
     * the count. Every piece but the last is sent with MSG_MORE, so a gathering write
     * pushes once, as writev(2) does, instead of once per buffer.
     */
    static long send(Connection c, ByteBuffer[] srcs, int off, int len, boolean more, long now) throws ErrnoException {
        int last = off + len - 1;
        while (last >= off && !srcs[last].hasRemaining()) last--;
        long total = 0;
        for (int i = off; i <= last; i++) {
            ByteBuffer b = srcs[i];
            while (b.hasRemaining()) {
                int n, want;
                try {
                    if (b.hasArray()) {
                        want = b.remaining();
                        n = c.send(b.array(), b.arrayOffset() + b.position(), want, more || i < last, now);
                    } else {
                        byte[] s = SCRATCH.get();
                        int space = c.sendSpace();
                        want = Math.min(b.remaining(), Math.min(s.length, space > 0 ? space : s.length));
                        b.get(b.position(), s, 0, want);
                        boolean tail = i == last && want == b.remaining();
                        n = c.send(s, 0, want, more || !tail, now);
                    }
                } catch (ErrnoException e) {
                    if (total > 0) return total;
                    throw e;
                }
                b.position(b.position() + n);
                total += n;
                if (n < want) return total;
            }
        }
        return total;
    }

    /** Bytes left in {@code bufs[off, off+len)}. */
    static long remaining(ByteBuffer[] bufs, int off, int len) {
        long r = 0;
        for (int i = off; i < off + len; i++) r += bufs[i].remaining();
        return r;
    }
}
