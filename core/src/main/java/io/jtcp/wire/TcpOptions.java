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
     * Parses the options in {@code b[from, to)} into {@code s}, whose options must
     * already be cleared. Returns false if an option's length is malformed: below 2,
     * running past {@code to}, or wrong for a kind with a fixed length. Unknown kinds
     * are skipped by their length; EOL ends the list. Later duplicates win.
     */
    static boolean parse(byte[] b, int from, int to, Segment s) {
        int i = from;
        while (i < to) {
            int kind = Bytes.u8(b, i);
            if (kind == EOL) return true;
            if (kind == NOP) {
                i++;
                continue;
            }
            if (i + 1 >= to) return false;
            int len = Bytes.u8(b, i + 1);
            if (len < 2 || len > to - i) return false;
            switch (kind) {
                case MSS -> {
                    if (len != MSS_LENGTH) return false;
                    s.mss = Bytes.u16(b, i + 2);
                }
                case WSCALE -> {
                    if (len != WSCALE_LENGTH) return false;
                    s.windowScale = Math.min(Bytes.u8(b, i + 2), MAX_WSCALE);
                }
                case SACK_PERMITTED -> {
                    if (len != SACK_PERMITTED_LENGTH) return false;
                    s.sackPermitted = true;
                }
                case SACK -> {
                    int n = (len - 2) / SACK_BLOCK_LENGTH;
                    if ((len - 2) % SACK_BLOCK_LENGTH != 0 || n < 1 || n > Segment.MAX_SACK_BLOCKS) return false;
                    s.sackCount = 0;
                    for (int k = 0; k < n; k++) {
                        int at = i + 2 + k * SACK_BLOCK_LENGTH;
                        s.addSack(Bytes.i32(b, at), Bytes.i32(b, at + 4));
                    }
                }
                case TIMESTAMPS -> {
                    if (len != TIMESTAMPS_LENGTH) return false;
                    s.hasTimestamps = true;
                    s.tsVal = Bytes.i32(b, i + 2);
                    s.tsEcr = Bytes.i32(b, i + 6);
                }
                default -> { } // unknown: skipped by its length
            }
            i += len;
        }
        return true;
    }
}
