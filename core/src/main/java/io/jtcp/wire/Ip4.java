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

    public static boolean isLoopback(int addr) {
        return addr >>> 24 == 127;
    }
}
