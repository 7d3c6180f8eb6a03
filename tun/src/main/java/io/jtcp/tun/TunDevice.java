package io.jtcp.tun;

import java.io.Closeable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A Linux TUN device (IFF_TUN | IFF_NO_PI): each read gives one whole IP packet, each
 * write sends one. The descriptor is non-blocking; {@link #awaitReadable} waits with
 * ppoll(2), together with a {@link Wakeup} other threads signal when a loop has other work. The device is created in the network namespace of the thread that opens it
 * (see {@link NetNs#call}) and disappears when it is closed.
 *
 * <p><b>Offloads.</b> Opened with a {@link TunOffloads} request, the descriptor speaks
 * virtio-net headers (IFF_VNET_HDR, TUNSETVNETHDRSZ 10) and asks TUNSETOFFLOAD for the
 * request's flags, stepping down {@link TunOffloads#ladder()} while the kernel answers
 * EINVAL, and reopening without the header if even IFF_VNET_HDR is refused (tun.c's
 * set_offload and tun_set_iff). {@link #offloads()} says what was agreed. The frame
 * methods ({@link #readFrame}, {@link #writeFrame}) see the header; {@link #read} and
 * {@link #write} hide it.
 *
 * <p><b>Queues.</b> {@link #openQueues} attaches several descriptors to one device with
 * IFF_MULTI_QUEUE; the kernel spreads arriving flows over them (tun_select_queue: a
 * flow written on a queue gets its replies there) and any queue may write.
 *
 * <p>One thread may read while another writes: each direction has its own native
 * buffer. Reads must come from one thread, writes from one thread.
 */
public final class TunDevice implements Closeable {
    private final int fd;
    private final String name;
    private final TunOffloads offloads;
    private final int headerSize;
    private final Arena arena = Arena.ofShared();
    /** Two pollfds, the device's and a wake-up's; the reading thread's alone. */
    private final MemorySegment pollfd;
    private final MemorySegment timespec;
    private final MemorySegment rbuf;
    private final MemorySegment wbuf;
    private volatile boolean closed;

    /** The largest IP packet a read or write carries. */
    public static final int MAX_PACKET = 65535;
    /** A frame's room: the header and the largest GSO packet (an IPv6 one may pass 64 KiB by its 40-byte header). */
    static final int MAX_FRAME = VnetHeader.SIZE + MAX_PACKET + 128;

    private TunDevice(int fd, String name, TunOffloads offloads) {
        this.fd = fd;
        this.name = name;
        this.offloads = offloads;
        this.headerSize = offloads.vnetHeader() ? VnetHeader.SIZE : 0;
        this.pollfd = arena.allocate(2 * Native.POLLFD_SIZE, 4);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, Native.POLLIN);
        pollfd.set(ValueLayout.JAVA_SHORT, Native.POLLFD_SIZE + 4, Native.POLLIN);
        this.timespec = arena.allocate(16, 8);
        this.rbuf = arena.allocate(MAX_FRAME, 8);
        this.wbuf = arena.allocate(MAX_FRAME, 8);
    }

    /**
     * Creates (or attaches to a persistent) TUN device named {@code name} in the calling
     * thread's network namespace, with TCP offloads if the kernel takes them
     * ({@link TunOffloads#TCP}).
     *
     * @throws NativeException with "needs root or CAP_NET_ADMIN" or "no /dev/net/tun" when that is why
     */
    public static TunDevice open(String name) throws NativeException {
        return open(name, TunOffloads.TCP);
    }

    /** As {@link #open(String)}, asking for at most {@code request} ({@link TunOffloads#NONE}: bare packets). */
    public static TunDevice open(String name, TunOffloads request) throws NativeException {
        return open(name, request, false, flags -> false);
    }

    /**
     * Opens {@code n} queues of one device named {@code name} (IFF_MULTI_QUEUE), each its
     * own descriptor with its own buffers, all with the offloads the first negotiated.
     * Closing every queue removes the device.
     */
    public static List<TunDevice> openQueues(String name, int n, TunOffloads request) throws NativeException {
        if (n < 1) throw new IllegalArgumentException("a device has at least one queue: " + n);
        List<TunDevice> queues = new ArrayList<>(n);
        try {
            TunDevice first = open(name, request, true, flags -> false);
            queues.add(first);
            // The kernel's TUNSETIFF takes the header flag from the queue attaching last:
            // every queue asks for exactly what the first one got.
            for (int i = 1; i < n; i++) queues.add(open(first.name(), first.offloads(), true, flags -> false));
        } catch (NativeException | RuntimeException e) {
            for (TunDevice q : queues) q.close();
            throw e;
        }
        return List.copyOf(queues);
    }

    /**
     * The opening itself; {@code refuses} lets a test play a kernel that answers EINVAL to
     * some TUNSETOFFLOAD flags (-1 stands for IFF_VNET_HDR itself), to walk the fallback.
     */
    static TunDevice open(String name, TunOffloads request, boolean multiQueue, IntPredicate refuses) throws NativeException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= Native.IFNAMSIZ) {
            throw new IllegalArgumentException("a device name has 1 to 15 characters: '" + name + "'");
        }
        if (request.vnetHeader()) {
            int fd = openFd();
            short flags = (short) (Native.IFF_TUN | Native.IFF_NO_PI | Native.IFF_VNET_HDR | (multiQueue ? Native.IFF_MULTI_QUEUE : 0));
            Iff r = refuses.test(-1) ? new Iff(Native.EINVAL, null) : setIff(fd, n, flags);
            if (r.errno() == 0) {
                TunOffloads got = negotiate(fd, name, request, refuses);
                return new TunDevice(fd, r.name(), got);
            }
            Native.close(fd);
            if (r.errno() != Native.EINVAL) throw iffFailure(name, r.errno());
            // A kernel without IFF_VNET_HDR: bare packets, like before offloads.
        }
        int fd = openFd();
        short flags = (short) (Native.IFF_TUN | Native.IFF_NO_PI | (multiQueue ? Native.IFF_MULTI_QUEUE : 0));
        Iff r = setIff(fd, n, flags);
        if (r.errno() != 0) {
            Native.close(fd);
            throw iffFailure(name, r.errno());
        }
        return new TunDevice(fd, r.name(), TunOffloads.NONE);
    }

    /** TUNSETVNETHDRSZ, then TUNSETOFFLOAD down the ladder until the kernel takes a step. */
    private static TunOffloads negotiate(int fd, String name, TunOffloads request, IntPredicate refuses) throws NativeException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocateFrom(ValueLayout.JAVA_INT, VnetHeader.SIZE);
            int err = Native.ioctl(fd, Native.TUNSETVNETHDRSZ, size);
            if (err != 0) {
                Native.close(fd);
                throw new NativeException("ioctl TUNSETVNETHDRSZ " + name, err, null);
            }
        }
        for (int flags : request.ladder()) {
            int err = refuses.test(flags) ? Native.EINVAL : Native.ioctlValue(fd, Native.TUNSETOFFLOAD, flags);
            if (err == 0) return new TunOffloads(true, flags);
            if (err != Native.EINVAL) {
                Native.close(fd);
                throw new NativeException("ioctl TUNSETOFFLOAD " + name, err, null);
            }
        }
        Native.close(fd);
        throw new NativeException("ioctl TUNSETOFFLOAD " + name + ": the kernel refused even no offloads", Native.EINVAL, null);
    }

    private static int openFd() throws NativeException {
        try {
            return Native.open("/dev/net/tun", Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC);
        } catch (NativeException e) {
            throw switch (e.errno()) {
                case Native.ENOENT -> new NativeException("open /dev/net/tun", e.errno(),
                        "no /dev/net/tun: load the tun module or give the container the device");
                case Native.EPERM, Native.EACCES -> new NativeException("open /dev/net/tun", e.errno(),
                        "needs root or CAP_NET_ADMIN");
                default -> e;
            };
        }
    }

    /** TUNSETIFF's outcome: 0 and the name the kernel gave, or the errno. */
    private record Iff(int errno, String name) {}

    private static Iff setIff(int fd, byte[] name, short flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(Native.IFREQ_SIZE);
            MemorySegment.copy(name, 0, ifr, ValueLayout.JAVA_BYTE, 0, name.length);
            ifr.set(ValueLayout.JAVA_SHORT, Native.IFNAMSIZ, flags);
            int err = Native.ioctl(fd, Native.TUNSETIFF, ifr);
            return new Iff(err, err == 0 ? ifr.getString(0, StandardCharsets.US_ASCII) : null);
        }
    }

    private static NativeException iffFailure(String name, int err) {
        String hint = switch (err) {
            case Native.EPERM, Native.EACCES -> "needs root or CAP_NET_ADMIN";
            case Native.EBUSY -> "device " + name + " exists and is in use";
            case Native.EINVAL -> "device " + name + " exists and is not a TUN device (or not one with these flags)";
            default -> null;
        };
        return new NativeException("ioctl TUNSETIFF " + name, err, hint);
    }

    /** What was negotiated: the vnet header or not, and the offload flags the kernel took. */
    public TunOffloads offloads() { return offloads; }

    /** Bytes of virtio-net header before each packet in a frame: 10, or 0 without IFF_VNET_HDR. */
    public int headerSize() { return headerSize; }

    /** The interface name the kernel gave the device. */
    public String name() { return name; }

    /** Waits up to {@code timeoutMillis} (-1: forever) for a packet; true if one can be read. */
    public boolean awaitReadable(int timeoutMillis) throws NativeException {
        return awaitReadable(timeoutMillis < 0 ? -1 : timeoutMillis * 1_000_000L, null);
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: forever) for a packet or for {@code wake}
     * (null: none) to be signalled, which this consumes. True if a packet can be read.
     */
    boolean awaitReadable(long timeoutNanos, Wakeup wake) throws NativeException {
        MemorySegment limit = MemorySegment.NULL;
        if (timeoutNanos >= 0) {
            timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            limit = timespec;
        }
        if (wake != null) pollfd.set(ValueLayout.JAVA_INT, Native.POLLFD_SIZE, wake.fd());
        int r = Native.ppoll(pollfd, wake == null ? 1 : 2, limit);
        if (r == -Native.EINTR) return false;
        if (r < 0) throw new NativeException("ppoll " + name, -r, null);
        if (r == 0) return false;
        if (wake != null && pollfd.get(ValueLayout.JAVA_SHORT, Native.POLLFD_SIZE + 6) != 0) wake.consume();
        return pollfd.get(ValueLayout.JAVA_SHORT, 6) != 0;
    }

    /**
     * Reads one frame (the vnet header, if any, then the packet) into {@link #readBuffer()}.
     * Returns its length, or 0 when none is waiting (EAGAIN). The buffer is the device's:
     * its contents last until the next read.
     */
    public int readFrame() throws NativeException {
        if (closed) throw new NativeException("read " + name + ": device closed", false);
        long n = Native.read(fd, rbuf, MAX_FRAME);
        if (n == -Native.EAGAIN || n == -Native.EINTR) return 0;
        if (n < 0) throw new NativeException("read " + name, (int) -n, null);
        return (int) n;
    }

    /** Where {@link #readFrame} puts a frame. */
    public MemorySegment readBuffer() { return rbuf; }

    /** Where a writer builds the frame {@link #writeFrame} sends (header first, when there is one). */
    public MemorySegment writeBuffer() { return wbuf; }

    /**
     * Writes the first {@code len} bytes of {@link #writeBuffer()}; false when the device
     * refuses the frame: its queue is full (EAGAIN), or the interface is down (EIO: the tun
     * driver takes no frame for a device without IFF_UP). Either way the frame is lost as
     * on a wire, and TCP retransmits; the loop must not fail because someone ran
     * {@code ip link set down}.
     */
    public boolean writeFrame(int len) throws NativeException {
        if (closed) throw new NativeException("write " + name + ": device closed", false);
        long n = Native.write(fd, wbuf, len);
        if (n == -Native.EAGAIN || n == -Native.EIO) return false;
        if (n < 0) throw new NativeException("write " + name, (int) -n, null);
        return true;
    }

    /**
     * Reads one packet into {@code dst} (from offset 0), without its vnet header. Returns its
     * length, or 0 when none is waiting (EAGAIN). A super-segment comes whole.
     */
    public int read(byte[] dst) throws NativeException {
        int n = readFrame();
        if (n == 0) return 0;
        int len = Math.min(n - headerSize, dst.length);
        MemorySegment.copy(rbuf, ValueLayout.JAVA_BYTE, headerSize, dst, 0, len);
        return len;
    }

    /** Writes one packet with complete checksums; false when the device's queue is full (EAGAIN) and the packet was not sent. */
    public boolean write(byte[] src, int off, int len) throws NativeException {
        if (headerSize != 0) VnetHeader.writePlain(wbuf);
        MemorySegment.copy(src, off, wbuf, ValueLayout.JAVA_BYTE, headerSize, len);
        return writeFrame(headerSize + len);
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
        return "TunDevice[" + name + " fd " + fd + " " + offloads + "]";
    }
}
