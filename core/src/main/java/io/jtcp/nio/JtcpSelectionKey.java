package io.jtcp.nio;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelectionKey;

/** A jtcp channel's registration with a {@link JtcpSelector}. */
final class JtcpSelectionKey extends AbstractSelectionKey {
    private final AbstractSelectableChannel channel;
    private final JtcpSelectable selectable;
    private final JtcpSelector selector;
    private volatile int interestOps;
    /** Written by the selecting thread (under the selector's lock), read by anyone. */
    private volatile int readyOps;

    JtcpSelectionKey(AbstractSelectableChannel channel, JtcpSelectable selectable, JtcpSelector selector) {
        this.channel = channel;
        this.selectable = selectable;
        this.selector = selector;
    }

    @Override
    public SelectableChannel channel() { return channel; }

    @Override
    public Selector selector() { return selector; }

    JtcpSelectable selectable() { return selectable; }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    /** The interest set without the validity check, for the loop's wake-up test. */
    int interestOpsNow() { return interestOps; }

    /** Takes effect at the selector's next selection operation, as in the JDK. */
    @Override
    public SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) throw new IllegalArgumentException("Invalid interest ops: " + ops);
        interestOps = ops;
        return this;
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    int readyOpsNow() { return readyOps; }

    void readyOps(int ops) { readyOps = ops; }

    private void ensureValid() {
        if (!isValid()) throw new CancelledKeyException();
    }
}
