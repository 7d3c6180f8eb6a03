package io.jtcp.wire;

/**
 * TCP option kinds (RFC 9293 §3.2, RFC 7323, RFC 2018) and the parser that
 * reads them from a header into a {@link Segment}. Writing lives in
 * {@link OptionLayout}, reading here: a peer may send any order, we write one.
 */
public final class TcpOptions {
    private TcpOptions() {}

    public static final int EOL = 0;
    public static final int NOP = 1;
    public static final int MSS = 2;
    public static final int WSCALE = 3;
    public static final int SACK_PERMITTED = 4;
    public static final int SACK = 5;
    public static final int TIMESTAMPS = 8;
    /** TCP Fast Open (RFC 7413 §4.1.1). */
    public static final int FASTOPEN = 34;
    /** The shared experimental kind (RFC 6994); Fast Open's pre-RFC form used it with {@link #FASTOPEN_MAGIC}. */
    public static final int EXPERIMENTAL = 254;
    public static final int FASTOPEN_MAGIC = 0xF989;
    /** Cookie lengths RFC 7413 §4.1.1 allows; Linux's TCP_FASTOPEN_COOKIE_MIN/MAX. */
    public static final int FASTOPEN_COOKIE_MIN = 4;
    public static final int FASTOPEN_COOKIE_MAX = 16;

    public static final int MSS_LENGTH = 4;
    public static final int WSCALE_LENGTH = 3;
    public static final int SACK_PERMITTED_LENGTH = 2;
    public static final int TIMESTAMPS_LENGTH = 10;
    /** Bytes per SACK block: left and right edge. */
    public static final int SACK_BLOCK_LENGTH = 8;
    /** The header has room for 40 bytes of options (data offset 15 words). */
    public static final int MAX_SPACE = 40;
    /** RFC 7323 §2.3: a shift above 14 is treated as 14. */
    public static final int MAX_WSCALE = 14;

    /**
     * Reads the options in {@code b[from, to)} into {@code s}, whose options must
     * already be cleared, the way Linux's tcp_parse_options does: a malformed option
     * never costs the segment. The walk stops at EOL, at a length below 2 or at an
     * option running past {@code to}, keeping what it read before; an option whose
     * length is wrong for its kind, and an MSS of 0, are skipped as if absent. Unknown
     * kinds are skipped by their length. Later duplicates win.
     *
     * <p>Which options count is the engine's business (Linux passes it the same
     * facts): MSS, window scale and SACK-permitted only on a SYN, timestamps and SACK
     * blocks only if the sysctls and the handshake allowed them.
     */
    static void parse(byte[] b, int from, int to, Segment s) {
        int i = from;
        while (i < to) {
            int kind = Bytes.u8(b, i);
            if (kind == EOL) return;
            if (kind == NOP) {
                i++;
                continue;
            }
            if (to - i < 2) return;
            int len = Bytes.u8(b, i + 1);
            if (len < 2 || len > to - i) return;
            switch (kind) {
                case MSS -> {
                    int mss = len == MSS_LENGTH ? Bytes.u16(b, i + 2) : 0;
                    if (mss != 0) s.mss = mss;
                }
                // RFC 7323 §2.3: a larger shift is used as 14 (Linux also logs it, rate-limited).
                case WSCALE -> {
                    if (len == WSCALE_LENGTH) s.windowScale = Math.min(Bytes.u8(b, i + 2), MAX_WSCALE);
                }
                case SACK_PERMITTED -> {
                    if (len == SACK_PERMITTED_LENGTH) s.sackPermitted = true;
                }
                case SACK -> {
                    // At most 40 bytes of options bound a well-formed SACK option to 4 blocks.
                    if (len >= 2 + SACK_BLOCK_LENGTH && (len - 2) % SACK_BLOCK_LENGTH == 0) {
                        s.sackCount = 0;
                        for (int at = i + 2; at < i + len; at += SACK_BLOCK_LENGTH) {
                            s.addSack(Bytes.i32(b, at), Bytes.i32(b, at + 4));
                        }
                    }
                }
                case TIMESTAMPS -> {
                    if (len == TIMESTAMPS_LENGTH) {
                        s.hasTimestamps = true;
                        s.tsVal = Bytes.i32(b, i + 2);
                        s.tsEcr = Bytes.i32(b, i + 6);
                    }
                }
                case FASTOPEN -> fastOpen(b, i + 2, len - 2, false, s);
                case EXPERIMENTAL -> {
                    if (len >= 4 && Bytes.u16(b, i + 2) == FASTOPEN_MAGIC) fastOpen(b, i + 4, len - 4, true, s);
                }
                default -> { } // unknown: skipped by its length
            }
            i += len;
        }
    }

    /**
     * Linux's tcp_parse_fastopen_option: an odd length is ignored, 0 is a cookie request,
     * a length outside 4..16 is an invalid cookie (kept as length 0 would ask for one, so it is
     * marked absent). Whether the segment is a SYN is the engine's question.
     */
    private static void fastOpen(byte[] b, int at, int len, boolean exp, Segment s) {
        if ((len & 1) != 0) return;
        if (len != 0 && (len < FASTOPEN_COOKIE_MIN || len > FASTOPEN_COOKIE_MAX)) {
            s.fastOpenLength = -1;
            return;
        }
        System.arraycopy(b, at, s.fastOpenCookie, 0, len);
        s.fastOpenLength = len;
        s.fastOpenExp = exp;
    }
}
