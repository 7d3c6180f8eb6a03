package io.jtcp.bench;

/**
 * The Mathis et al. (1997) ceiling on the goodput of one Reno-style connection at a
 * random loss rate p: MSS/RTT * C/sqrt(p), C = sqrt(3/2) for an ACK per segment. The
 * issue's bar for loss recovery: at 1 % and 5 % jtcp's goodput reaches at least it.
 */
final class Mathis {
    static final double C = Math.sqrt(1.5);

    private Mathis() {}

    /** Bits per second; {@code mssBytes} of payload per segment, {@code rttSeconds}, {@code loss} in (0, 1). */
    static double ceiling(int mssBytes, double rttSeconds, double loss) {
        return mssBytes * 8 / rttSeconds * C / Math.sqrt(loss);
    }
}
