package io.jtcp.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/** Random but valid segments: any flags except the impossible ones, any options, payload up to 1460. */
final class SegmentArbitraries {
    private SegmentArbitraries() {}

    static Arbitrary<Segment> segments() {
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 0xff);
        // An MSS of 0 reads as no MSS (Linux's tcp_parse_options), so it cannot round-trip.
        Arbitrary<Integer> mss = Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(1, 0xffff));
        Arbitrary<Integer> wscale = Arbitraries.integers().between(-1, 14);
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<List<Integer>> sack = ints.list().ofMaxSize(2 * Segment.MAX_SACK_BLOCKS).filter(l -> l.size() % 2 == 0);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(1460);

        Arbitrary<Segment> header = Combinators.combine(ints, ints, u16, u16, ints, ints, flags, u16)
                .as((src, dst, sp, dp, seq, ack, f, win) -> {
                    Segment s = new Segment();
                    s.srcAddr = IpAddress.v4(src); s.dstAddr = IpAddress.v4(dst); s.srcPort = sp; s.dstPort = dp;
                    s.seq = seq; s.ack = ack; s.flags = f; s.window = win;
                    return s;
                });
        return Combinators.combine(header, u16, mss, wscale, bool, bool, ints, ints)
                .as((s, urg, m, ws, sackOk, ts, tsVal, tsEcr) -> {
                    s.urgent = urg; s.mss = m; s.windowScale = ws; s.sackPermitted = sackOk;
                    s.hasTimestamps = ts;
                    if (ts) { s.tsVal = tsVal; s.tsEcr = tsEcr; }
                    return s;
                })
                .flatMap(s -> Combinators.combine(sack, payload).as((blocks, data) -> {
                    for (int i = 0; i < blocks.size(); i += 2) s.addSack(blocks.get(i), blocks.get(i + 1));
                    return s.payload(data, 0, data.length);
                }));
    }
}
