package io.jtcp.wire;

/** IPv4 addresses carried as {@code int}s in network order (the first octet in the top byte). */
public final class Ip4 {
    private Ip4() {}

    public static int parse(String dotted) {
        String[] parts = dotted.trim().split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        int addr = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted, e);
            }
            if (octet < 0 || octet > 255 || p.isEmpty() || p.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            addr = addr << 8 | octet;
        }
        return addr;
    }

    public static String format(int addr) {
        return (addr >>> 24) + "." + (addr >>> 16 & 0xff) + "." + (addr >>> 8 & 0xff) + "." + (addr & 0xff);
    }


    /**
     * Whether a packet arriving from a link (not the loopback device) may not come from
     * {@code addr}: Linux's martian sources in ip_route_input_slow (0.0.0.0/8, 127.0.0.0/8
     * without route_localnet, multicast, the limited broadcast) and the rest of 240.0.0.0/4,
     * which no route leads back to.
     */
    public static boolean isMartianSource(int addr) {
        int first = addr >>> 24;
        return first == 0 || first == 127 || first >= 224;
    }
}
