package io.jtcp.observe;

/** Trace timestamps: nanoseconds shown as seconds with six decimals, as tcpdump shows them. */
public final class TraceTime {
    private TraceTime() {}

    /** {@code 512_345L} becomes {@code "0.000512"}: truncated to the microsecond. */
    public static String seconds(long nanos) {
        StringBuilder b = new StringBuilder(16);
        appendSeconds(b, nanos);
        return b.toString();
    }

    public static void appendSeconds(StringBuilder b, long nanos) {
        long micros = Math.floorDiv(nanos, 1_000L);
        long whole = Math.floorDiv(micros, 1_000_000L);
        long frac = Math.floorMod(micros, 1_000_000L);
        if (whole < 0 && frac != 0) {
            // floor division leaves a positive fraction; show -0.25 s as "-0.250000", not "-1.750000"
            whole += 1;
            frac = 1_000_000L - frac;
            if (whole == 0) b.append('-');
        }
        b.append(whole).append('.');
        String f = Long.toString(frac);
        for (int i = f.length(); i < 6; i++) b.append('0');
        b.append(f);
    }
}
