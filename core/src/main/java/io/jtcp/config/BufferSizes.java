package io.jtcp.config;

/**
 * A tcp_rmem or tcp_wmem triple, as Linux writes it ({@code "4096 131072 33554432"}):
 * the least a socket's buffer may be cut to, the size it starts with, and the most
 * autotuning may grow it to (SO_RCVBUF / SO_SNDBUF are bounded by rmem_max / wmem_max
 * instead).
 */
public record BufferSizes(int min, int initial, int max) {
    public BufferSizes {
        if (min < 1 || initial < 1 || max < 1) throw new IllegalArgumentException("buffer sizes must be positive");
        if (min > initial || initial > max) throw new IllegalArgumentException("buffer sizes need min <= default <= max");
    }

    /** Three numbers separated by blanks, as /proc/sys/net/ipv4/tcp_rmem shows them. */
    public static BufferSizes parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 3) throw new IllegalArgumentException("expected 'MIN DEFAULT MAX', got '" + text + "'");
        return new BufferSizes(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    @Override
    public String toString() {
        return min + " " + initial + " " + max;
    }
}
