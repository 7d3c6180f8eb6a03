package io.jtcp.shard;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A listener on every shard of a {@link ShardedHost}, accepting from all of them: the
 * application sees one accept queue, as with one SO_REUSEPORT socket per core merged
 * into one. Each accept waits on every shard at once and takes the first connection
 * ready, starting its search one shard further each time so no shard's queue starves.
 * Each accepted socket belongs to the shard that accepted it, for life.
 */
public final class ShardedServerSocket implements AutoCloseable {
    private final List<TcpServerSocket> shards;
    private final Runnable onClose;
    /** The accept outstanding on each shard, kept across calls so no connection is taken and lost. */
    private final CompletableFuture<TcpSocket>[] pending;
    private int start;
    /**
     * Accepts take turns on this lock, not the socket's monitor: an accept waits while it
     * holds it, and close(2) from another thread must get through to wake it.
     */
    private final Object acceptLock = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @SuppressWarnings("unchecked")
    ShardedServerSocket(List<TcpServerSocket> shards, Runnable onClose) {
        this.shards = List.copyOf(shards);
        this.onClose = onClose;
        this.pending = new CompletableFuture[shards.size()];
    }

    /** The shards' listeners, by shard. */
    public List<TcpServerSocket> shards() { return shards; }

    public int localPort() { return shards.getFirst().localPort(); }

    /** accept(2) on the whole host: the next connection any shard established. */
    public TcpSocket accept() throws IOException {
        synchronized (acceptLock) {
            return acceptNext();
        }
    }

    private TcpSocket acceptNext() throws IOException {
        for (int i = 0; i < pending.length; i++) if (pending[i] == null) pending[i] = shards.get(i).acceptAsync();
        try {
            CompletableFuture.anyOf(pending).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("accept interrupted");
        } catch (ExecutionException e) {
            // the failed shard is found below and its failure thrown
        }
        for (int n = 0; n < pending.length; n++) {
            int i = (start + n) % pending.length;
            CompletableFuture<TcpSocket> f = pending[i];
            if (!f.isDone()) continue;
            pending[i] = null;
            start = (i + 1) % pending.length;
            try {
                return f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                throw e;
            }
        }
        throw new IllegalStateException("an accept completed but none was found done");
    }

    /** Closes every shard's listener (connections not yet accepted are reset, as close(2) of a listener does). */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) return;
        IOException first = null;
        for (TcpServerSocket s : shards) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        onClose.run();
        if (first != null) throw first;
    }
}
