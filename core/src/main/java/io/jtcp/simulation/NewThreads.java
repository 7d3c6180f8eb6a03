package io.jtcp.simulation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Platform threads started while the simulation runs, which the simulation did not
 * start: the JDK's HTTP server starts its dispatcher, its HTTP client a selector thread.
 * Such a thread takes part in the simulation from its first jtcp call; until it gets
 * there it runs on its own, so the driver counts each new thread as holding the
 * simulation until it blocks in jtcp, ends, or is seen blocked elsewhere long enough to
 * be taken for a thread that has nothing to do with the network (a timer thread). Only
 * platform threads are counted ({@link ThreadMXBean#getTotalStartedThreadCount()}), and
 * only when that count moved, so this costs nothing while no thread starts.
 */
final class NewThreads {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Set<Thread> known = Collections.newSetFromMap(new WeakHashMap<>());
    private long started;

    NewThreads() {
        started = mx.getTotalStartedThreadCount();
        known.addAll(Thread.getAllStackTraces().keySet());
    }

    /** The platform threads started since the last look. */
    List<Thread> since() {
        long now = mx.getTotalStartedThreadCount();
        if (now == started) return List.of();
        started = now;
        List<Thread> fresh = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (known.add(t) && t != Thread.currentThread()) fresh.add(t);
        }
        return fresh;
    }
}
