package io.jtcp.packetdrill;

import io.jtcp.config.CongestionAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * TCP_CONGESTION's value as Linux passes it: a name in a buffer of optlen bytes. setsockopt
 * reads at most TCP_CA_NAME_MAX - 1 bytes of it up to a NUL (do_tcp_setsockopt's
 * strncpy_from_sockptr), so a short optlen names a prefix; getsockopt copies
 * min(optlen, TCP_CA_NAME_MAX) bytes of the NUL-padded name and reports that length
 * (do_tcp_getsockopt). A script compares the bytes with a string, as upstream packetdrill does.
 */
final class CongestionName {
    private CongestionName() {}

    static final int TCP_CONGESTION = 13;
    /** The size of the kernel's name buffer, NUL included. */
    private static final int TCP_CA_NAME_MAX = 16;

    /** The algorithm setsockopt names with {@code value} and {@code optlen}, or null if none has that name (ENOENT). */
    static CongestionAlgorithm named(Expr value, long optlen) throws UnsupportedFeature {
        if (!(value instanceof Expr.Str s)) throw new UnsupportedFeature("TCP_CONGESTION set from " + Args.describe(value));
        byte[] bytes = SocketCalls.cEscapes(s.value());
        int n = (int) Math.min(Math.min(optlen, TCP_CA_NAME_MAX - 1), bytes.length);
        int end = 0;
        while (end < n && bytes[end] != 0) end++;
        try {
            return CongestionAlgorithm.named(new String(bytes, 0, end, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** getsockopt's answer for a connection running {@code live}, checked against the script's string and optlen. */
    static CallResult.Done check(CongestionAlgorithm live, Expr expected, Expr optlenArg) throws UnsupportedFeature {
        long optlen = Args.integer(optlenArg, TCP_CA_NAME_MAX);
        if (optlen < 0) return CallResult.fail("EINVAL");
        byte[] name = Arrays.copyOf(live.linuxName().getBytes(StandardCharsets.US_ASCII), TCP_CA_NAME_MAX);
        byte[] got = Arrays.copyOf(name, (int) Math.min(optlen, TCP_CA_NAME_MAX));
        if (expected instanceof Expr.Ellipsis) return CallResult.ok(0);
        if (!(expected instanceof Expr.Str s)) throw new UnsupportedFeature("TCP_CONGESTION compared with " + Args.describe(expected));
        if (got.length != optlen) return CallResult.checked(0, "Bad getsockopt optlen: expected: " + optlen + " actual: " + got.length);
        byte[] want = SocketCalls.cEscapes(s.value());
        if (want.length != optlen) {
            return CallResult.checked(0, "Bad getsockopt optval: expected optlen (" + optlen
                    + " bytes) does not match length of expected optval string '" + s.value() + "' (" + want.length + " bytes)");
        }
        if (!Arrays.equals(want, got)) {
            return CallResult.checked(0, "Bad getsockopt optval: expected: '" + s.value() + "' actual: '"
                    + new String(got, StandardCharsets.US_ASCII).replace("\0", "\\0") + "'");
        }
        return CallResult.ok(0);
    }
}
