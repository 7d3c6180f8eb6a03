package io.jtcp.nio;

import io.jtcp.api.StackLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What {@link JtcpSelector} needs of a jtcp channel: its ready operations now, in
 * {@link java.nio.channels.SelectionKey} terms, and a place for its keys, whose selectors
 * it wakes (from the loop's thread) when it becomes ready for what a key is interested in.
 */
abstract sealed class JtcpSelectable permits JtcpSocketChannel.Selectable, JtcpServerSocketChannel.Selectable, JtcpDatagramChannel.Selectable {
    private final List<JtcpSelectionKey> keys = new CopyOnWriteArrayList<>();

    /** The operations the channel is ready for, from the ready set its socket last published. */
    abstract int readyOps();

    /** The loop the channel's socket lives on: a selector waits through it (virtual time in a simulation). */
    abstract StackLoop loop();

    final void added(JtcpSelectionKey k) {
        keys.add(k);
    }

    final void removed(JtcpSelectionKey k) {
        keys.remove(k);
    }

    /** The socket's ready set changed (loop thread): wake the selectors whose keys now have work. */
    final void readinessChanged() {
        if (keys.isEmpty()) return;
        int ready = readyOps();
        if (ready == 0) return;
        for (JtcpSelectionKey k : keys) {
            if ((ready & k.interestOpsNow()) != 0) ((JtcpSelector) k.selector()).wake();
        }
    }
}
