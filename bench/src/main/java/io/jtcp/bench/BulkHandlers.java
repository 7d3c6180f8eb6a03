package io.jtcp.bench;

import io.jtcp.host.SocketHandler;
import io.jtcp.tcp.Connection;
import io.jtcp.api.ErrnoException;

/** The two ends of a one-way bulk transfer, shared by the bulk and lossy benchmarks. */
final class BulkHandlers {
    private BulkHandlers() {}

    /** Reads and discards everything, counting the bytes. */
    static final class Reader implements SocketHandler {
        private final byte[] dst = new byte[1 << 20];
        long received;

        @Override
        public void readable(Connection c, long t) {
            try {
                for (int n; (n = c.receive(dst, 0, dst.length, t)) > 0; ) received += n;
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Keeps the send buffer full until {@code bytes} have been written (Long.MAX_VALUE: forever). */
    static final class Writer implements SocketHandler {
        private final byte[] src = new byte[1 << 20];
        private long remaining;

        Writer(long bytes) {
            remaining = bytes;
            for (int i = 0; i < src.length; i++) src[i] = (byte) (i * 31);
        }

        @Override
        public void established(Connection c, long t) {
            writable(c, t);
        }

        @Override
        public void writable(Connection c, long t) {
            try {
                while (remaining > 0) {
                    int n = c.send(src, 0, (int) Math.min(src.length, remaining), t);
                    if (n == 0) return;
                    remaining -= n;
                }
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
