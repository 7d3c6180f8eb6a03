package io.jtcp.scenario.soak;

import io.jtcp.link.sim.Fate;
import io.jtcp.link.sim.WireTap;
import io.jtcp.wire.IpAddress;

/**
 * Reads one host's TCP timestamp clock off the wire: the TSval of the first SYN it
 * sends, and when. A connection's TSval is its host's millisecond clock plus an offset
 * keyed by the address pair (RFC 7323 §5.4, Linux's secure_tcp_ts_off), so one sample
 * gives the clock for every later connection between the same two addresses.
 */
final class TimestampClock implements WireTap {
    private static final long NANOS_PER_MS = 1_000_000L;
    private final IpAddress from;
    private long sampleAt = -1;
    private long sampleTsVal;

    TimestampClock(IpAddress from) {
        this.from = from;
    }

    boolean sampled() { return sampleAt >= 0; }

    /** The TSval (unsigned) the host's connections to the same peer carry at {@code now}. */
    long tsValAt(long now) {
        return (sampleTsVal + (now - sampleAt) / NANOS_PER_MS) & 0xffff_ffffL;
    }

    /** How long from {@code now} until that TSval has climbed to {@code target} (mod 2^32), in nanoseconds. */
    long nanosUntil(long target, long now) {
        return ((target - tsValAt(now)) & 0xffff_ffffL) * NANOS_PER_MS;
    }

    @Override
    public void onPacket(long time, byte[] p, int off, int len, IpAddress fromAddr, IpAddress toAddr, Fate fate) {
        if (sampleAt >= 0 || !from.equals(fromAddr) || len < 20 || (p[off] >> 4) != 4 || p[off + 9] != 6) return;
        int tcp = off + (p[off] & 15) * 4;
        if (tcp + 20 > off + len || (p[tcp + 13] & 0x02) == 0) return;
        int end = Math.min(off + len, tcp + ((p[tcp + 12] >> 4) & 15) * 4);
        for (int i = tcp + 20; i < end; ) {
            int kind = p[i] & 0xff;
            if (kind == 0) return;
            if (kind == 1) { i++; continue; }
            if (i + 1 >= end) return;
            int optLen = p[i + 1] & 0xff;
            if (optLen < 2) return;
            if (kind == 8 && optLen == 10 && i + 6 <= end) {
                sampleTsVal = ((long) (p[i + 2] & 0xff) << 24 | (p[i + 3] & 0xff) << 16 | (p[i + 4] & 0xff) << 8 | p[i + 5] & 0xff);
                sampleAt = time;
                return;
            }
            i += optLen;
        }
    }
}
