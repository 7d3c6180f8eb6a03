package io.jtcp.tun;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device (IFF_TUN | IFF_NO_PI): each read gives one whole IP packet, each
 * write sends one. The descriptor is non-blocking; {@link #awaitReadable} waits with
 * poll(2). The device is created in the network namespace of the thread that opens it
 * (see {@link NetNs#call}) and disappears when it is closed.
 *
 * <p>One thread may read while another writes: each direction has its own native
 * buffer. Reads must come from one thread, writes from one thread.
 */
public final class TunDevice implements Closeable {
    private final int fd;
    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollfd;
    private final MemorySegment rbuf;
    private final MemorySegment wbuf;
    private volatile boolean closed;

    public static final int MAX_PACKET = 65535;

    private TunDevice(int fd, String name) {
        this.fd = fd;
        this.name = name;
        this.pollfd = arena.allocate(8, 4);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, Native.POLLIN);
        this.rbuf = arena.allocate(MAX_PACKET);
        this.wbuf = arena.allocate(MAX_PACKET);
    }

    /**
     * Creates (or attaches to a persistent) TUN device named {@code name} in the calling
     * thread's network namespace.
     *
     * @throws NativeException with "needs root or CAP_NET_ADMIN" or "no /dev/net/tun" when that is why
     */
    public static TunDevice open(String name) throws NativeException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= Native.IFNAMSIZ) {
            throw new IllegalArgumentException("a device name has 1 to 15 characters: '" + name + "'");
        }
        int fd;
        try {
            fd = Native.open("/dev/net/tun", Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC);
        } catch (NativeException e) {
            throw switch (e.errno()) {
                case Native.ENOENT -> new NativeException("open /dev/net/tun", e.errno(),
                        "no /dev/net/tun: load the tun module or give the container the device");
                case Native.EPERM, Native.EACCES -> new NativeException("open /dev/net/tun", e.errno(),
                        "needs root or CAP_NET_ADMIN");
                default -> e;
            };
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(Native.IFREQ_SIZE);
            MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
            ifr.set(ValueLayout.JAVA_SHORT, Native.IFNAMSIZ, (short) (Native.IFF_TUN | Native.IFF_NO_PI));
            int err = Native.ioctl(fd, Native.TUNSETIFF, ifr);
            if (err != 0) {
                Native.close(fd);
                String hint = switch (err) {
                    case Native.EPERM, Native.EACCES -> "needs root or CAP_NET_ADMIN";
                    case Native.EBUSY -> "device " + name + " exists and is in use";
                    case Native.EINVAL -> "device " + name + " exists and is not a TUN device";
                    default -> null;
                };
                throw new NativeException("ioctl TUNSETIFF " + name, err, hint);
            }
            return new TunDevice(fd, ifr.getString(0, StandardCharsets.US_ASCII));
        }
    }

    /** The interface name the kernel gave the device. */
    public String name() { return name; }

    /** Waits up to {@code timeoutMillis} (-1: forever) for a packet; true if one can be read. */
    public boolean awaitReadable(int timeoutMillis) throws NativeException {
        int r = Native.poll(pollfd, timeoutMillis);
        if (r == -Native.EINTR) return false;
        if (r < 0) throw new NativeException("poll " + name, -r, null);
        return r > 0;
    }

    /**
     * Reads one packet into {@code dst} (from offset 0; at most {@link #MAX_PACKET} bytes).
     * Returns its length, or 0 when none is waiting (EAGAIN).
     */
    public int read(byte[] dst) throws NativeException {
        if (closed) throw new NativeException("read " + name + ": device closed", false);
        long n = Native.read(fd, rbuf, Math.min(dst.length, MAX_PACKET));
        if (n == -Native.EAGAIN || n == -Native.EINTR) return 0;
        if (n < 0) throw new NativeException("read " + name, (int) -n, null);
        MemorySegment.copy(rbuf, ValueLayout.JAVA_BYTE, 0, dst, 0, (int) n);
        return (int) n;
    }

    /** Writes one packet; false when the device's queue is full (EAGAIN) and the packet was not sent. */
    public boolean write(byte[] src, int off, int len) throws NativeException {
        if (closed) throw new NativeException("write " + name + ": device closed", false);
        MemorySegment.copy(src, off, wbuf, ValueLayout.JAVA_BYTE, 0, len);
        long n = Native.write(fd, wbuf, len);
        if (n == -Native.EAGAIN) return false;
        if (n < 0) throw new NativeException("write " + name, (int) -n, null);
        return true;
    }

    /** Closes the descriptor; the (non-persistent) device goes away with it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Native.close(fd);
        arena.close();
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + " fd " + fd + "]";
    }
}
