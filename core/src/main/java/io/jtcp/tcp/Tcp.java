package io.jtcp.tcp;

/** Protocol constants shared by the engine's files. */
final class Tcp {
    private Tcp() {}

    /** The MSS assumed when a SYN carries no MSS option (RFC 9293 §3.7.1). */
    static final int DEFAULT_MSS = 536;
    /** Linux's floor for a peer's MSS (TCP_MIN_MSS): an absurd MSS option is clamped, not trusted. */
    static final int MIN_MSS = 88;
    /** Linux's floor for the MSS we send with, however small the path MTU (tcp_min_snd_mss). */
    static final int MIN_SND_MSS = 48;
    /** The bytes a timestamp option takes in every segment once negotiated (NOP, NOP, TS). */
    static final int TIMESTAMP_OPTION_BYTES = 12;
    /** RFC 7323 §2.3: shifts above 14 are treated as 14. */
    static final int MAX_WINDOW_SCALE = 14;
    /** RFC 7323 §5.5: a TS.Recent older than 24 days is too old for PAWS to judge by. */
    static final long PAWS_IDLE_LIMIT_NANOS = 24L * 24 * 3600 * 1_000_000_000L;

    /** Linux's TCP_TIMEOUT_MIN, two clock ticks (jtcp's tick is 1 ms): the soonest a timer is set to resend. */
    static final long TIMEOUT_MIN_NANOS = 2_000_000L;

    /** Linux's tcp_invalid_ratelimit: at most one ACK per 500 ms answers data-less out-of-window segments. */
    static final long OUT_OF_WINDOW_ACK_INTERVAL_NANOS = 500_000_000L;
}
