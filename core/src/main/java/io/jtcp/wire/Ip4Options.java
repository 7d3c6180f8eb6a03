package io.jtcp.wire;

/**
 * Checks the options of an arriving IPv4 header (RFC 791 §3.1) the way Linux's
 * ip_options_compile and ip_rcv_options do on receive: a malformed option drops the
 * packet (IpInHdrErrors; Linux also answers ICMP parameter problem), and so does a
 * source route, because accept_source_route is 0. jtcp uses no option, so nothing
 * is kept.
 */
final class Ip4Options {
    private Ip4Options() {}

    private static final int EOL = 0;
    private static final int NOP = 1;
    private static final int RECORD_ROUTE = 7;
    private static final int TIMESTAMP = 68;
    private static final int LOOSE_SOURCE_ROUTE = 131;
    private static final int STRICT_SOURCE_ROUTE = 137;
    /** The timestamp option's flag values RFC 791 defines: stamps only, stamps with addresses, prespecified. */
    private static final int TS_ONLY = 0, TS_AND_ADDRESS = 1, TS_PRESPECIFIED = 3;

    /** Why the options in {@code b[from, to)} refuse the packet, or null if they do not. */
    static DropReason check(byte[] b, int from, int to) {
        boolean sourceRoute = false, recordRoute = false, timestamp = false;
        int i = from;
        while (i < to) {
            int kind = Bytes.u8(b, i);
            if (kind == EOL) break;
            if (kind == NOP) {
                i++;
                continue;
            }
            if (to - i < 2) return DropReason.IP_BAD_OPTION;
            int len = Bytes.u8(b, i + 1);
            if (len < 2 || len > to - i) return DropReason.IP_BAD_OPTION;
            // The pointer (third byte) is 1-based from the option's start and points past its own header.
            int pointer = len > 2 ? Bytes.u8(b, i + 2) : 0;
            switch (kind) {
                case LOOSE_SOURCE_ROUTE, STRICT_SOURCE_ROUTE -> {
                    if (len < 3 || pointer < 4 || sourceRoute) return DropReason.IP_BAD_OPTION;
                    sourceRoute = true;
                }
                case RECORD_ROUTE -> {
                    if (len < 3 || pointer < 4 || recordRoute) return DropReason.IP_BAD_OPTION;
                    if (pointer <= len && pointer + 3 > len) return DropReason.IP_BAD_OPTION; // no room for the next address
                    recordRoute = true;
                }
                case TIMESTAMP -> {
                    if (len < 4 || pointer < 5 || timestamp) return DropReason.IP_BAD_OPTION;
                    int flag = Bytes.u8(b, i + 3) & 0x0f;
                    if (flag != TS_ONLY && flag != TS_AND_ADDRESS && flag != TS_PRESPECIFIED) return DropReason.IP_BAD_OPTION;
                    int entry = flag == TS_ONLY ? 4 : 8;
                    if (pointer <= len && pointer + entry - 1 > len) return DropReason.IP_BAD_OPTION;
                    timestamp = true;
                }
                default -> { } // skipped by its length
            }
            i += len;
        }
        return sourceRoute ? DropReason.IP_SOURCE_ROUTE : null;
    }
}
