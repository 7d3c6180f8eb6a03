package io.jtcp.config;

/**
 * net.ipv4.tcp_mem: how much memory, in pages of {@link #PAGE_SIZE} bytes, the whole stack's
 * TCP sockets may hold for their send and receive queues. Below {@code min} nobody is
 * refused; above {@code pressure} the stack is "under memory pressure" and stops growing
 * buffers; above {@code max} new memory is refused (Linux's __sk_mem_raise_allocated).
 *
 * <p>Linux sizes it at boot from the free memory (tcp_init_mem: 1/16 of the free buffer pages
 * is the pressure level, three quarters of that the minimum, twice the minimum the maximum);
 * jtcp takes the JVM's maximum heap for the machine's free memory ({@link #linuxDefault}).
 */
public record TcpMem(long min, long pressure, long max) {
    /** Linux's page, the unit of tcp_mem and of tcp_memory_allocated. */
    public static final int PAGE_SIZE = 4096;

    public TcpMem {
        if (min < 0 || pressure < 0 || max < 0) throw new IllegalArgumentException("tcp_mem values must be >= 0");
    }

    /** tcp_init_mem for a machine whose free memory is {@code memoryBytes}: 4.68 %, 6.25 % and 9.37 % of it, at least 128 pages' pressure. */
    public static TcpMem linuxDefault(long memoryBytes) {
        long limit = Math.max(memoryBytes / PAGE_SIZE / 16, 128);
        long min = limit / 4 * 3;
        return new TcpMem(min, limit, min * 2);
    }

    /** The default of this JVM: its maximum heap stands for the machine's free memory. */
    public static TcpMem ofThisJvm() {
        return linuxDefault(Runtime.getRuntime().maxMemory());
    }

    /** Three numbers separated by blanks, as /proc/sys/net/ipv4/tcp_mem shows them. */
    public static TcpMem parse(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length != 3) throw new IllegalArgumentException("expected 'MIN PRESSURE MAX' (pages), got '" + text + "'");
        return new TcpMem(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    @Override
    public String toString() {
        return min + " " + pressure + " " + max;
    }
}
