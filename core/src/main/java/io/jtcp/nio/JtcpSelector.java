package io.jtcp.nio;

import io.jtcp.api.StackLoop;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A selector over jtcp channels, on any number of hosts. It polls nothing: a selection
 * reads the ready sets the channels' loops publish, and when none is ready it parks on a
 * future that a channel's loop completes once a key's interest is met, or that
 * {@link #wakeup} completes. Timed selections wait with {@code Future.get(timeout)}, so
 * under the simulator they wait in virtual time.
 *
 * <p>Key-set semantics are the JDK's: the selected-key set accumulates until the caller
 * removes keys, a key already in it gains the newly ready operations, cancelled keys are
 * deregistered at the next selection operation, interest-set changes are seen at the next
 * selection operation, and {@link #wakeup} before a selection makes it return at once.
 */
final class JtcpSelector extends AbstractSelector {
    private final Set<JtcpSelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new Ungrowable(selected);
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile CompletableFuture<Void> waiter;
    /** The opening thread's host, else that of the first channel registered: selections wait through its loop, so a simulation sees them. */
    private volatile StackLoop loop;

    JtcpSelector(SelectorProvider provider, StackLoop loop) {
        super(provider);
        this.loop = loop;
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        wakeupPending.set(false);
        return doSelect(null, 0);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("Negative timeout");
        return doSelect(null, timeout == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout));
    }

    @Override
    public int select() throws IOException {
        return doSelect(null, -1);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        if (timeout < 0) throw new IllegalArgumentException("Negative timeout");
        return doSelect(Objects.requireNonNull(action), timeout == 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout));
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return doSelect(Objects.requireNonNull(action), -1);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        wakeupPending.set(false);
        return doSelect(Objects.requireNonNull(action), 0);
    }

    /**
     * One selection: {@code nanos} -1 waits for ever, 0 not at all. A timed selection that a
     * readiness change wakes but that finds nothing ready (the readiness went again before
     * the scan) returns 0, which its contract allows; an untimed one waits on.
     */
    private int doSelect(Consumer<SelectionKey> action, long nanos) throws IOException {
        synchronized (this) {
            ensureOpen();
            synchronized (selected) {
                deregisterCancelled();
                int n;
                try {
                    begin();
                    while (true) {
                        CompletableFuture<Void> w = new CompletableFuture<>();
                        waiter = w; // installed before the scan, so a readiness change after it is not missed
                        boolean woken = wakeupPending.getAndSet(false);
                        n = scan(action);
                        if (n > 0 || woken || nanos == 0 || !isOpen() || Thread.currentThread().isInterrupted()) break;
                        if (!park(w, nanos) || nanos > 0) {
                            wakeupPending.set(false);
                            n = scan(action);
                            break;
                        }
                    }
                } finally {
                    waiter = null;
                    end();
                }
                deregisterCancelled();
                return n;
            }
        }
    }

    /** Waits for {@code w}; false when the time ran out or the thread was interrupted. */
    private boolean park(CompletableFuture<Void> w, long nanos) {
        StackLoop via = loop;
        try {
            if (via != null) via.await(w, nanos);
            else if (nanos < 0) w.get();
            else w.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError("the waiter is only ever completed normally", e);
        }
    }

    /** Updates the ready sets of the keys whose interest is met; the count of keys updated. */
    private int scan(Consumer<SelectionKey> action) {
        int n = 0;
        for (JtcpSelectionKey k : keys) {
            if (!k.isValid()) continue;
            int ready = k.selectable().readyOps() & k.interestOpsNow();
            if (ready == 0) continue;
            if (action != null) {
                k.readyOps(ready);
                action.accept(k);
                ensureOpen();
                n++;
            } else if (selected.add(k)) {
                k.readyOps(ready);
                n++;
            } else if ((ready & ~k.readyOpsNow()) != 0) {
                k.readyOps(k.readyOpsNow() | ready);
                n++;
            }
        }
        return n;
    }

    private void deregisterCancelled() {
        Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled) {
            for (SelectionKey k : cancelled) drop((JtcpSelectionKey) k);
            cancelled.clear();
        }
    }

    private void drop(JtcpSelectionKey k) {
        keys.remove(k);
        selected.remove(k);
        k.selectable().removed(k);
        deregister(k);
    }

    /** A channel's loop saw readiness a key is interested in: end the selection in progress. */
    void wake() {
        CompletableFuture<Void> w = waiter;
        if (w != null) w.complete(null);
    }

    @Override
    public Selector wakeup() {
        wakeupPending.set(true);
        wake();
        return this;
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        JtcpSelectable s = switch (ch) {
            case JtcpSocketChannel c -> c.selectable();
            case JtcpServerSocketChannel c -> c.selectable();
            case JtcpDatagramChannel c -> c.selectable();
            default -> throw new IllegalSelectorException();
        };
        if (loop == null) loop = s.loop();
        JtcpSelectionKey k = new JtcpSelectionKey(ch, s, this);
        k.attach(att);
        k.interestOps(ops);
        keys.add(k);
        s.added(k);
        return k;
    }

    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (this) {
            synchronized (selected) {
                deregisterCancelled();
                for (JtcpSelectionKey k : keys) {
                    k.cancel();
                }
                deregisterCancelled();
                keys.clear();
                selected.clear();
            }
        }
    }

    private void ensureOpen() {
        if (!isOpen()) throw new ClosedSelectorException();
    }

    /** The selected-key set as users see it: keys may be removed, never added. */
    private static final class Ungrowable extends AbstractSet<SelectionKey> {
        private final Set<SelectionKey> s;

        Ungrowable(Set<SelectionKey> s) { this.s = s; }

        @Override public int size() { return s.size(); }
        @Override public boolean contains(Object o) { return s.contains(o); }
        @Override public boolean remove(Object o) { return s.remove(o); }
        @Override public void clear() { s.clear(); }
        @Override public Iterator<SelectionKey> iterator() { return s.iterator(); }
        @Override public boolean add(SelectionKey k) { throw new UnsupportedOperationException(); }
    }
}
