package io.jtcp.packetdrill;

import io.jtcp.packetdrill.WireFormat.RawOption;
import java.util.ArrayList;
import java.util.List;

/** Turns a scripted inbound segment into the live packet (map_inbound_packet): ports, mapped numbers, options in order. */
final class InboundPackets {
    private InboundPackets() {}

    static byte[] build(ScriptPacket p, SocketUnderTest sut, RunnerOptions opts) throws UnsupportedFeature, ScriptMappingException {
        int tos = p.ipInfo() == null ? 0 : TosSpec.parse(p.ipInfo()).inboundTos();
        if (p.has('A')) throw new UnsupportedFeature("AccECN flag A");
        boolean syn = p.has('S');
        int seq = sut.remoteSeqToLive(p.seq(), syn);
        int ack = p.ack() != null && p.has('.') ? sut.localSeqToLive(p.ack(), syn) : 0;
        List<RawOption> options = rawOptions(p.options(), sut, true);
        if (p.has('.')) options = mapTsEcr(options, sut);
        return WireFormat.packet(opts.remoteIp(), opts.localIp(), sut.remotePort, sut.localPort, seq, ack,
                WireFormat.flagBits(p.flags()), p.window(), p.urgent() == null ? 0 : p.urgent(),
                WireFormat.encodeOptions(options), p.length(), tos);
    }

    /** An inbound TS ecr names an outbound TS val in script space; the stack must see the live one. */
    private static List<RawOption> mapTsEcr(List<RawOption> options, SocketUnderTest sut) throws ScriptMappingException {
        List<RawOption> out = new ArrayList<>();
        for (RawOption o : options) {
            if (o.kind() == 8) {
                long scriptEcr = OutboundCheck.u32(o.data(), 4);
                Integer live = sut.inboundTsEcr(scriptEcr);
                if (live == null) {
                    throw new ScriptMappingException("unable to infer live TS ecr for script TS ecr " + scriptEcr
                            + ";  no matching or preceding outbound TS val");
                }
                byte[] d = o.data().clone();
                put32(d, 4, live);
                out.add(new RawOption(8, d));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * The options as wire bytes. SACK edges are script numbers relative to the local ISN:
     * inbound ({@code toLive}) they are mapped to live numbers; for comparing outbound
     * options they stay in script space.
     */
    static List<RawOption> rawOptions(List<TcpOption> options, SocketUnderTest sut, boolean toLive) throws UnsupportedFeature {
        List<RawOption> out = new ArrayList<>();
        for (TcpOption o : options) {
            switch (o) {
                case TcpOption.Nop n -> out.add(new RawOption(1, new byte[0]));
                case TcpOption.Eol e -> out.add(new RawOption(0, new byte[0]));
                case TcpOption.Mss m -> out.add(new RawOption(2, new byte[] {(byte) (m.value() >> 8), (byte) m.value()}));
                case TcpOption.WindowScale w -> out.add(new RawOption(3, new byte[] {(byte) w.shift()}));
                case TcpOption.SackPermitted s -> out.add(new RawOption(4, new byte[0]));
                case TcpOption.Timestamp t -> {
                    byte[] d = new byte[8];
                    put32(d, 0, (int) t.val());
                    put32(d, 4, (int) t.ecr());
                    out.add(new RawOption(8, d));
                }
                case TcpOption.Sack s -> {
                    byte[] d = new byte[8 * s.blocks().size()];
                    for (int i = 0; i < s.blocks().size(); i++) {
                        long[] b = s.blocks().get(i);
                        put32(d, 8 * i, toLive ? sut.localSeqToLive(b[0], false) : (int) b[0]);
                        put32(d, 8 * i + 4, toLive ? sut.localSeqToLive(b[1], false) : (int) b[1]);
                    }
                    out.add(new RawOption(5, d));
                }
                case TcpOption.FastOpen f -> {
                    byte[] cookie = f.cookie();
                    int head = f.exp() ? 2 : 0;
                    byte[] d = new byte[head + cookie.length];
                    if (f.exp()) {
                        d[0] = (byte) 0xF9;
                        d[1] = (byte) 0x89;
                    }
                    System.arraycopy(cookie, 0, d, head, cookie.length);
                    out.add(new RawOption(f.exp() ? 254 : 34, d));
                }
                case TcpOption.Unsupported u -> throw new UnsupportedFeature("TCP option " + u.name());
            }
        }
        return out;
    }

    private static void put32(byte[] d, int i, int v) {
        d[i] = (byte) (v >>> 24);
        d[i + 1] = (byte) (v >>> 16);
        d[i + 2] = (byte) (v >>> 8);
        d[i + 3] = (byte) v;
    }

    /** A scripted inbound packet that cannot be mapped to live numbers. */
    static final class ScriptMappingException extends Exception {
        ScriptMappingException(String message) {
            super(message);
        }
    }
}
