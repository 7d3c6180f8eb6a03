package io.jtcp.packetdrill;

import java.util.Locale;

/**
 * A packet's {@code [...]} or {@code (...)} IP annotation as packetdrill's tos_spec reads it:
 * an ECN codepoint ({@code noecn}, {@code ect0}, {@code ect1}, {@code ce}), {@code ect01}
 * (outbound only: either ECT codepoint) or a whole TOS byte ({@code tos 0x..}). Inbound, the
 * value is written into the TOS byte (IPv6's traffic class); outbound, it is checked as
 * packetdrill's verify_outbound_live_tos does. Without an annotation nothing is checked and
 * inbound packets carry TOS 0.
 */
record TosSpec(Check check, int value) {
    enum Check { ECN, ECT01, TOS }

    /** RFC 3168 §5's codepoints, the low two bits of the TOS byte. */
    static final int NOT_ECT = 0, ECT1 = 1, ECT0 = 2, CE = 3;

    /**
     * The annotation's meaning, from its text with the brackets; flow labels and TTLs (and
     * anything else) are not modelled and make the script unsupported.
     */
    static TosSpec parse(String text) throws UnsupportedFeature {
        String inner = text.substring(1, text.length() - 1).strip().toLowerCase(Locale.ROOT);
        switch (inner) {
            case "noecn" -> { return new TosSpec(Check.ECN, NOT_ECT); }
            case "ect0" -> { return new TosSpec(Check.ECN, ECT0); }
            case "ect1" -> { return new TosSpec(Check.ECN, ECT1); }
            case "ce" -> { return new TosSpec(Check.ECN, CE); }
            case "ect01" -> { return new TosSpec(Check.ECT01, 0); }
            default -> { }
        }
        if (inner.matches("tos 0x[0-9a-f]{1,2}")) return new TosSpec(Check.TOS, Integer.parseInt(inner.substring(6), 16));
        throw new UnsupportedFeature("IP annotation " + text);
    }

    /** The TOS byte of an inbound packet; {@code ect01} names no single codepoint and is refused, as by packetdrill's parser. */
    int inboundTos() throws UnsupportedFeature {
        if (check == Check.ECT01) throw new UnsupportedFeature("[ect01] on an inbound packet (packetdrill: outbound only)");
        return value;
    }

    /** The first difference from the live TOS byte, in packetdrill's words, or null. */
    String verify(int actualTos) {
        int ecn = actualTos & 3;
        return switch (check) {
            case ECT01 -> ecn == ECT0 || ecn == ECT1 ? null
                    : String.format("live packet field ip_ecn: expected: 0x1 or 0x2 vs actual: 0x%x", ecn);
            case ECN -> OutboundCheck.field("ip_ecn", value, ecn);
            case TOS -> OutboundCheck.field("tos", value, actualTos);
        };
    }
}
