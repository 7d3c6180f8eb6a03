package io.jtcp.tcp;

/**
 * Linux's send chronographs (tcp_chrono_start / tcp_chrono_stop, TCP_INFO's busy_time
 * and rwnd_limited): one of them runs at a time, the most specific winning. BUSY runs
 * while the sender has data or a FIN queued, sent or not; RWND_LIMITED while data waits
 * because the peer's receive window has no room for it. When the queues empty every
 * chrono stops. Times are nanoseconds of the connection's clock.
 */
final class SendChrono {
    static final int NONE = 0, BUSY = 1, RWND_LIMITED = 2;

    private int running = NONE;
    private long startedAt;
    /** Time accumulated per chrono (two fields, not an array indexed by type: an array is another object per connection). */
    private long busyTotal, rwndLimitedTotal;

    /** tcp_chrono_start: a more specific chrono takes over; a less specific one changes nothing. */
    void start(int type, long now) {
        if (type > running) set(type, now);
    }

    /** tcp_chrono_stop: everything stops when the queues are empty, else BUSY resumes if {@code type} ran. */
    void stop(int type, boolean queuesEmpty, long now) {
        if (queuesEmpty) set(NONE, now);
        else if (type == running) set(BUSY, now);
    }

    private void set(int type, long now) {
        if (running == BUSY) busyTotal += now - startedAt;
        else if (running == RWND_LIMITED) rwndLimitedTotal += now - startedAt;
        running = type;
        startedAt = now;
    }

    /** The time {@code type} has run, its current run included. */
    long time(int type, long now) {
        return (type == BUSY ? busyTotal : rwndLimitedTotal) + (running == type ? now - startedAt : 0);
    }

    /** TCP_INFO's busy_time: every chrono's time together. */
    long busyTime(long now) {
        return time(BUSY, now) + time(RWND_LIMITED, now);
    }
}
