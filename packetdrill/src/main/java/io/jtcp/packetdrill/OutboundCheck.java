package io.jtcp.packetdrill;

import io.jtcp.packetdrill.WireFormat.Captured;
import io.jtcp.packetdrill.WireFormat.RawOption;
import java.util.List;

/**
 * Compares an outbound packet, mapped to script space, with the scripted one, field by
 * field in the order packetdrill's verify_outbound_live_packet does, with its messages:
 * IPv4 total length (IPv6 payload length), TCP data offset, the flags, seq, ack, window, urgent pointer, then
 * the options one by one (TS val only under --tcp_ts_tick_usecs; TS ecr never).
 */
final class OutboundCheck {
    private OutboundCheck() {}

    /** The first difference, or null when the packet is the scripted one. */
    static String compare(ScriptPacket want, Captured got, SocketUnderTest sut, RunnerOptions opts, long elapsedUsecs)
            throws UnsupportedFeature {
        boolean syn = got.flag('S');
        List<RawOption> scriptOptions = want.options() == null ? null : InboundPackets.rawOptions(want.options(), sut, false);
        int scriptOptLen = scriptOptions == null ? 0 : WireFormat.encodeOptions(scriptOptions).length;
        int allowance = scriptOptions == null ? got.dataOffset() * 4 - 20 : 0;
        String e;
        int tcpLength = 20 + scriptOptLen + want.length() + allowance;
        e = got.ipv6() ? field("ipv6_payload_len", tcpLength, got.ipLength()) : field("ipv4_total_length", 20 + tcpLength, got.ipLength());
        if (e != null) return e;
        if ((e = field("tcp_data_offset", (20 + scriptOptLen + allowance) / 4, got.dataOffset())) != null) return e;
        String[] names = {"tcp_fin", "tcp_syn", "tcp_rst", "tcp_psh", "tcp_ack", "tcp_urg", "tcp_ece", "tcp_cwr"};
        for (int i = 0; i < names.length; i++) {
            char f = WireFormat.FLAG_ORDER.charAt(i);
            if ((e = field(names[i], want.has(f) ? 1 : 0, got.flag(f) ? 1 : 0)) != null) return e;
        }
        if ((e = field("tcp_seq", want.seq(), sut.localSeqToScript(got.seq(), syn))) != null) return e;
        long ack = got.flag('.') ? sut.remoteSeqToScript(got.ack(), syn) : Integer.toUnsignedLong(got.ack());
        if ((e = field("tcp_ack_seq", want.ack() == null ? 0 : want.ack(), ack)) != null) return e;
        if (want.window() != null && (e = field("tcp_window", want.window(), got.window())) != null) return e;
        if ((e = field("tcp_urg_ptr", want.urgent() == null ? 0 : want.urgent(), got.urgent())) != null) return e;
        return scriptOptions == null ? null : options(want, scriptOptions, got, sut, opts, elapsedUsecs);
    }

    private static String options(ScriptPacket want, List<RawOption> script, Captured got, SocketUnderTest sut,
                                  RunnerOptions opts, long elapsedUsecs) {
        List<RawOption> live = got.options();
        for (int i = 0; i < Math.max(script.size(), live.size()); i++) {
            if (i >= script.size() || i >= live.size() || script.get(i).kind() != live.get(i).kind()) return "bad outbound TCP options";
            RawOption s = script.get(i);
            RawOption a = live.get(i);
            if (a.kind() == 8) {
                long tolerance = Math.max(opts.toleranceUsecs, (long) (opts.tolerancePercent / 100.0 * elapsedUsecs));
                long scriptVal = u32(s.data(), 0);
                long actualVal = sut.outboundTsVal(scriptVal, (int) u32(a.data(), 0));
                if (opts.tcpTsTickUsecs > 0 && Math.abs((int) (actualVal - scriptVal)) * opts.tcpTsTickUsecs > tolerance) {
                    return "bad outbound TCP timestamp value, tolerance " + tolerance;
                }
                continue;
            }
            byte[] actualData = a.kind() == 5 ? sackToScript(a.data(), sut) : a.data();
            String err = null;
            if (s.length() != a.length()) err = "bad length";
            else if (!java.util.Arrays.equals(s.data(), actualData)) err = "bad value";
            if (err != null) {
                return err + " in outbound TCP option (kind=" + s.kind() + "): expected: " + describe(s.kind(), s.data())
                        + " actual: " + describe(a.kind(), actualData);
            }
        }
        return null;
    }

    private static byte[] sackToScript(byte[] data, SocketUnderTest sut) {
        byte[] out = data.clone();
        for (int i = 0; i + 4 <= out.length; i += 4) {
            long v = sut.remoteSeqToScript((int) u32(out, i), false);
            for (int k = 0; k < 4; k++) out[i + k] = (byte) (v >>> (24 - 8 * k));
        }
        return out;
    }

    private static String describe(int kind, byte[] d) {
        return switch (kind) {
            case 2 -> d.length == 2 ? "mss " + ((d[0] & 0xff) << 8 | (d[1] & 0xff)) : "mss ?";
            case 3 -> d.length == 1 ? "wscale " + (d[0] & 0xff) : "wscale ?";
            case 4 -> "sackOK";
            case 5 -> {
                StringBuilder b = new StringBuilder("sack");
                for (int i = 0; i + 8 <= d.length; i += 8) b.append(' ').append(u32(d, i)).append(':').append(u32(d, i + 4));
                yield b.toString();
            }
            case 34 -> "FO " + java.util.HexFormat.of().formatHex(d);
            case 254 -> "FOEXP " + java.util.HexFormat.of().formatHex(d);
            default -> "kind " + kind;
        };
    }

    static String field(String name, long expected, long actual) {
        if (expected == actual) return null;
        return String.format("live packet field %s: expected: %d (0x%x) vs actual: %d (0x%x)", name, expected, expected, actual, actual);
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff)) & 0xFFFFFFFFL;
    }
}
