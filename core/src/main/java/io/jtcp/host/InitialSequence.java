package io.jtcp.host;

import io.jtcp.wire.FourTuple;

/**
 * Initial sequence numbers as RFC 9293 §3.4.1 and RFC 6528 ask: a clock that
 * ticks every 4 microseconds plus a keyed hash of the 4-tuple, so numbers grow
 * for one 4-tuple (old duplicates stay behind) yet cannot be guessed across
 * 4-tuples. The timestamp offset (RFC 7323 §5.4) comes from the same kind of
 * hash under another key, of the address pair only, as Linux's secure_tcp_ts_off:
 * every connection between two hosts shares one timestamp clock, which per-host
 * PAWS (tcp_tw_recycle) relies on.
 */
final class InitialSequence {
    private final SipHash isnKey;
    private final SipHash tsKey;

    InitialSequence(long secret0, long secret1) {
        isnKey = new SipHash(secret0, secret1);
        tsKey = new SipHash(~secret1, secret0 * 31 + 7);
    }

    /**
     * A key of its own for another use of the stack's secret (SYN cookies): SipHash is a
     * PRF, so its output under the ISN key for a distinct label is an independent key.
     */
    SipHash deriveKey(long label) {
        return new SipHash(isnKey.hash(label, 0x6b6579_30L), isnKey.hash(label, 0x6b6579_31L));
    }

    int isn(FourTuple t, long now) {
        return (int) (now / 4_000L) + fixedIsn(t);
    }

    /**
     * The keyed hash alone, without RFC 6528's clock: the same number for every incarnation
     * of a 4-tuple. Only for {@code tcp_isn_mode = fixed}, a lesson in why the clock is there.
     */
    int fixedIsn(FourTuple t) {
        return (int) isnKey.hash(t.localAddr(), t.remoteAddr(), words1(t));
    }

    int tsOffset(FourTuple t) {
        return tsOffset(t.localAddr(), t.remoteAddr());
    }

    /** The same from the two addresses, for a SYN answered without making a 4-tuple (a cookie). */
    int tsOffset(io.jtcp.wire.IpAddress local, io.jtcp.wire.IpAddress remote) {
        return (int) tsKey.hash(local, remote, 0);
    }

    private static long words1(FourTuple t) {
        return (long) t.localPort() << 16 | t.remotePort();
    }
}
