package io.jtcp.link.sim;

import io.jtcp.api.ErrnoException;
import io.jtcp.host.SocketHandler;
import io.jtcp.tcp.Connection;

/** A byte stream whose every byte is a function of its offset, so the reader can check it. */
final class Pattern {
    private Pattern() {}

    static byte at(long offset) {
        return (byte) (offset * 31 + (offset >>> 11));
    }

    static final class Writer implements SocketHandler {
        private final byte[] chunk = new byte[64 * 1024];
        private long sent;

        @Override
        public void established(Connection c, long t) {
            writable(c, t);
        }

        @Override
        public void writable(Connection c, long t) {
            try {
                while (true) {
                    for (int i = 0; i < chunk.length; i++) chunk[i] = at(sent + i);
                    int n = c.send(chunk, 0, chunk.length, t);
                    sent += n;
                    if (n < chunk.length) return;
                }
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final class Reader implements SocketHandler {
        private final byte[] buf = new byte[64 * 1024];
        long received;
        boolean intact = true;

        @Override
        public void readable(Connection c, long t) {
            try {
                for (int n; (n = c.receive(buf, 0, buf.length, t)) > 0; ) {
                    for (int i = 0; i < n; i++) if (buf[i] != at(received + i)) intact = false;
                    received += n;
                }
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
