package io.jtcp.wire;

/**
 * The one description of how jtcp lays out the options it sends. It copies
 * Linux's tcp_options_write() ordering so our traces look like the kernel's:
 *
 * <pre>
 *  SYN-type segment (SYN set, or carrying MSS / window scale / SACK-permitted):
 *    MSS(4)
 *    then  SACK_PERM(2) TS(10)        if timestamps and SACK-permitted
 *      or  NOP NOP TS(10)             if timestamps only
 *      or  NOP NOP SACK_PERM(2)       if SACK-permitted only
 *    then  NOP WSCALE(3)              if window scale
 *  any other segment:
 *    NOP NOP TS(10)                   if timestamps
 *  then, on either:
 *    NOP NOP SACK(2 + 8n)             as many of the SACK blocks as still fit
 *  then, if set:
 *    FO(2 + n) or EXP(4 + n) [NOP NOP] Fast Open cookie, padded to 4 bytes
 * </pre>
 *
 * Every group is a multiple of 4 bytes, so no trailing padding is ever needed.
 * The encoder writes through {@link #write}; the tcpdump formatter renders the
 * very bytes {@link #write} produces, so the two cannot disagree.
 */
public final class OptionLayout {
    private OptionLayout() {}

    /** Bytes of options {@link #write} produces for {@code s}: a multiple of 4, at most 40. */
    public static int length(Segment s) {
        return layout(s, null, 0);
    }

    /** Writes the options of {@code s} at {@code out[off]}; returns the bytes written ({@link #length}). */
    public static int write(Segment s, byte[] out, int off) {
        return layout(s, out, off);
    }

    /** How many of {@code s}'s SACK blocks fit beside its other options (the rest are not sent, as in Linux). */
    public static int sackBlocksThatFit(Segment s) {
        return blocksThatFit(s, fixedPart(s, null, 0) + fastOpenLength(s));
    }

    /** Whether {@code s} gets the SYN-type layout. */
    public static boolean synLayout(Segment s) {
        return s.syn() || s.mss >= 0 || s.windowScale >= 0 || s.sackPermitted;
    }

    private static int blocksThatFit(Segment s, int used) {
        int room = TcpOptions.MAX_SPACE - used - 4; // NOP NOP kind len
        return Math.max(0, Math.min(s.sackCount, room / TcpOptions.SACK_BLOCK_LENGTH));
    }

    /** Measures when {@code out} is null, writes otherwise: one walk, so length and bytes always agree. */
    private static int layout(Segment s, byte[] out, int off) {
        int p = off + fixedPart(s, out, off);
        int blocks = blocksThatFit(s, p - off + fastOpenLength(s));
        if (blocks > 0) {
            p = nops(out, p, 2);
            p = kindLen(out, p, TcpOptions.SACK, 2 + blocks * TcpOptions.SACK_BLOCK_LENGTH);
            for (int i = 0; i < blocks; i++) {
                if (out != null) {
                    Bytes.put32(out, p, s.sackLeft(i));
                    Bytes.put32(out, p + 4, s.sackRight(i));
                }
                p += TcpOptions.SACK_BLOCK_LENGTH;
            }
        }
        return fastOpen(s, out, p) - off;
    }

    /** The Fast Open option's bytes with its padding (Linux's tcp_options_write pads a length of 2 mod 4 with two NOPs). */
    private static int fastOpenLength(Segment s) {
        if (s.fastOpenLength < 0) return 0;
        return (s.fastOpenLength + (s.fastOpenExp ? 4 : 2) + 3) & ~3;
    }

    private static int fastOpen(Segment s, byte[] out, int p) {
        if (s.fastOpenLength < 0) return p;
        int start = p;
        if (s.fastOpenExp) {
            p = kindLen(out, p, TcpOptions.EXPERIMENTAL, 4 + s.fastOpenLength);
            if (out != null) Bytes.put16(out, p, TcpOptions.FASTOPEN_MAGIC);
            p += 2;
        } else {
            p = kindLen(out, p, TcpOptions.FASTOPEN, 2 + s.fastOpenLength);
        }
        if (out != null) System.arraycopy(s.fastOpenCookie, 0, out, p, s.fastOpenLength);
        p += s.fastOpenLength;
        return nops(out, p, start + fastOpenLength(s) - p);
    }

    /** Everything before the SACK blocks; returns its length. */
    private static int fixedPart(Segment s, byte[] out, int off) {
        int p = off;
        if (synLayout(s)) {
            if (s.mss >= 0) {
                p = kindLen(out, p, TcpOptions.MSS, TcpOptions.MSS_LENGTH);
                if (out != null) Bytes.put16(out, p, s.mss);
                p += 2;
            }
            if (s.hasTimestamps) {
                // SACK_PERM (2 bytes) takes the place of the two NOPs that align TS.
                p = s.sackPermitted
                        ? kindLen(out, p, TcpOptions.SACK_PERMITTED, TcpOptions.SACK_PERMITTED_LENGTH)
                        : nops(out, p, 2);
                p = timestamps(s, out, p);
            } else if (s.sackPermitted) {
                p = nops(out, p, 2);
                p = kindLen(out, p, TcpOptions.SACK_PERMITTED, TcpOptions.SACK_PERMITTED_LENGTH);
            }
            if (s.windowScale >= 0) {
                p = nops(out, p, 1);
                p = kindLen(out, p, TcpOptions.WSCALE, TcpOptions.WSCALE_LENGTH);
                if (out != null) out[p] = (byte) s.windowScale;
                p += 1;
            }
        } else if (s.hasTimestamps) {
            p = nops(out, p, 2);
            p = timestamps(s, out, p);
        }
        return p - off;
    }

    private static int timestamps(Segment s, byte[] out, int p) {
        p = kindLen(out, p, TcpOptions.TIMESTAMPS, TcpOptions.TIMESTAMPS_LENGTH);
        if (out != null) {
            Bytes.put32(out, p, s.tsVal);
            Bytes.put32(out, p + 4, s.tsEcr);
        }
        return p + 8;
    }

    private static int kindLen(byte[] out, int p, int kind, int len) {
        if (out != null) {
            out[p] = (byte) kind;
            out[p + 1] = (byte) len;
        }
        return p + 2;
    }

    private static int nops(byte[] out, int p, int count) {
        for (int i = 0; i < count; i++) {
            if (out != null) out[p] = TcpOptions.NOP;
            p++;
        }
        return p;
    }
}
