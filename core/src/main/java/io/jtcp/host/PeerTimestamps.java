package io.jtcp.host;

import io.jtcp.wire.IpAddress;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last timestamp a host's connections accepted from each peer address, kept for
 * {@code tcp_tw_recycle} as Linux up to 4.11 kept it in the TCP metrics cache
 * (tcpm_ts and tcpm_ts_stamp in tcp_metrics.c; Van Jacobson's per-host PAWS). It is
 * written when a connection with timestamps enters TIME_WAIT ({@link #remember},
 * tcp_remember_stamp) and read when a SYN arrives at a listener ({@link #rejects},
 * tcp_peer_is_proven with its PAWS check).
 *
 * <p>Keyed by address alone, not by 4-tuple: that is the whole idea (a SYN from a new
 * port of the same host can be judged by the old connection's clock) and the whole
 * flaw (hosts behind one NAT share an address but not a clock).
 *
 * <p>Bounded: past {@code capacity} peers the one updated least recently is forgotten,
 * as Linux reclaims the oldest entry of a full metrics hash chain. Not thread-safe:
 * the stack's thread owns it.
 */
final class PeerTimestamps {
    /** How long a remembered stamp is trusted (Linux's TCP_PAWS_MSL), in seconds. */
    static final long PAWS_MSL_SECONDS = 60;
    /** How far back a SYN's TSval may lie and still pass (Linux's TCP_PAWS_WINDOW), in timestamp ticks. */
    static final int PAWS_WINDOW = 1;
    /** Peers remembered by default: Linux's metrics hash has 16 Ki buckets on any machine past 512 MB. */
    static final int DEFAULT_CAPACITY = 16_384;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** A peer's last timestamp and, in whole seconds of the stack's clock, when it was taken. */
    record Stamp(int tsVal, long seconds) {}

    private final Map<IpAddress, Stamp> peers;

    PeerTimestamps(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        this.peers = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<IpAddress, Stamp> eldest) {
                return size() > capacity;
            }
        };
    }

    int size() { return peers.size(); }

    Stamp stamp(IpAddress peer) { return peers.get(peer); }

    /**
     * A connection to {@code peer} whose TS.Recent is {@code tsRecent}, taken at
     * {@code tsRecentAt}, enters TIME_WAIT (tcp_remember_stamp). The stamp replaces the
     * remembered one if it is not older, or if the remembered one is past
     * {@link #PAWS_MSL_SECONDS} and not newer than it. A peer seen for the first time
     * takes the stamp as it is: Linux's new entry starts at stamp 0 of a wall clock far
     * past 60 s, which the second rule always lets through.
     */
    void remember(IpAddress peer, int tsRecent, long tsRecentAt, long now) {
        long at = tsRecentAt / NANOS_PER_SECOND;
        Stamp old = peers.get(peer);
        if (old == null || tsRecent - old.tsVal() >= 0
                || now / NANOS_PER_SECOND - old.seconds() > PAWS_MSL_SECONDS && old.seconds() <= at) {
            peers.remove(peer);     // re-inserted last: eviction takes the peer updated least recently
            peers.put(peer, new Stamp(tsRecent, at));
        }
    }

    /**
     * The per-host PAWS check of a SYN from {@code peer} (tcp_peer_is_proven with
     * paws_check): true, reject it, when the peer's stamp is less than
     * {@link #PAWS_MSL_SECONDS} old and the SYN has no timestamp or one more than
     * {@link #PAWS_WINDOW} behind it (wrapping comparison, RFC 7323 §5.2).
     */
    boolean rejects(IpAddress peer, boolean hasTimestamp, int tsVal, long now) {
        Stamp s = peers.get(peer);
        return s != null && now / NANOS_PER_SECOND - s.seconds() < PAWS_MSL_SECONDS
                && (!hasTimestamp || s.tsVal() - tsVal > PAWS_WINDOW);
    }
}
