package io.jtcp.tcp;

/**
 * TCP_INFO's retransmission-timeout counters (Linux's total_rto, total_rto_recoveries,
 * total_rto_time and rto_stamp, kept by tcp_update_rto_stats and tcp_update_rto_time).
 * {@link TcpStats} makes one at a connection's first timeout: most connections never time
 * out, and until one does every counter reads zero. Times are nanoseconds of the
 * connection's clock.
 */
final class RtoEpisodes {
    /** Timeouts, and the episodes of consecutive timeouts they started. */
    int timeouts, episodes;
    /** Time spent in finished episodes. */
    private long finishedTime;
    /** When the running episode began; {@link Connection#NEVER} when none runs. */
    private long startedAt = Connection.NEVER;

    /** A timeout, the first of an episode starting its clock. */
    void timedOut(long now) {
        if (startedAt == Connection.NEVER) {
            startedAt = now;
            episodes++;
        }
        timeouts++;
    }

    /** Progress ended the running episode, if one runs. */
    void recovered(long now) {
        if (startedAt == Connection.NEVER) return;
        finishedTime += now - startedAt;
        startedAt = Connection.NEVER;
    }

    /** The time spent in timeouts, the running episode included. */
    long time(long now) {
        return finishedTime + (startedAt == Connection.NEVER ? 0 : now - startedAt);
    }
}
