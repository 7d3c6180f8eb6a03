package io.jtcp.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls jtcp needs, as java.lang.foreign downcalls: open, ioctl, read,
 * write, ppoll, eventfd, close and setns. Each captures errno through
 * {@link Linker.Option#captureCallState}, so a failure becomes an {@link NativeException}
 * naming the errno, read on the calling thread before anything else could change it.
 * No JNI, no JNA. Linux x86-64 and aarch64 (the constants are the generic ones).
 */
final class Native {
    private Native() {}

    static final int O_RDWR = 2, O_RDONLY = 0, O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    static final long TUNSETIFF = 0x400454caL;
    /** _IOW('T', 208, unsigned int): the offload flags, passed by value. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** _IOW('T', 216, int): the virtio-net header's size, passed by pointer. */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final short IFF_TUN = 0x0001, IFF_NO_PI = 0x1000, IFF_MULTI_QUEUE = 0x0100, IFF_VNET_HDR = 0x4000;
    static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    static final int CLONE_NEWNET = 0x40000000;
    static final short POLLIN = 0x1;
    static final int EFD_NONBLOCK = 04000, EFD_CLOEXEC = 02000000;
    /** sizeof(struct pollfd): int fd, short events, short revents. */
    static final int POLLFD_SIZE = 8;
    static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EAGAIN = 11, EACCES = 13, EBUSY = 16, EINVAL = 22;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(INT, PTR, INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_VALUE = handle("ioctl", FunctionDescriptor.of(INT, INT, LONG, LONG), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle PPOLL = handle("ppoll", FunctionDescriptor.of(INT, PTR, LONG, PTR, PTR));
    private static final MethodHandle EVENTFD = handle("eventfd", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(PTR, INT));

    /** Each thread's errno slot, reused by every call it makes. */
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] opts = new Linker.Option[extra.length + 1];
        System.arraycopy(extra, 0, opts, 0, extra.length);
        opts[extra.length] = ERRNO_OPT;
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)), fd, opts);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** open(2); throws with a hint for the errors a TUN user meets. */
    static int open(String path, int flags) throws NativeException {
        MemorySegment st = STATE.get();
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags);
            if (fd < 0) throw new NativeException("open " + path, errno(st), null);
            return fd;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(fd, request, arg); returns errno (0 on success). */
    static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) IOCTL.invokeExact(st, fd, request, arg);
            return r < 0 ? errno(st) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(fd, request, value) for the requests that take their argument by value (TUNSETOFFLOAD); returns errno (0 on success). */
    static int ioctlValue(int fd, long request, long value) {
        MemorySegment st = STATE.get();
        try {
            int r = (int) IOCTL_VALUE.invokeExact(st, fd, request, value);
            return r < 0 ? errno(st) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2): bytes read, 0 at EOF, or -errno. */
    static long read(int fd, MemorySegment buf, long len) {
        MemorySegment st = STATE.get();
        try {
            long n = (long) READ.invokeExact(st, fd, buf, len);
            return n < 0 ? -errno(st) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2): bytes written or -errno. */
    static long write(int fd, MemorySegment buf, long len) {
        MemorySegment st = STATE.get();
        try {
            long n = (long) WRITE.invokeExact(st, fd, buf, len);
            return n < 0 ? -errno(st) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ppoll(2) on {@code nfds} pollfds with the timeout in {@code timespec} (16 bytes, seconds
     * then nanoseconds; NULL for none): nanosecond timeouts where poll(2) has milliseconds.
     * Returns the ready count, 0 on timeout, or -errno.
     */
    static int ppoll(MemorySegment pollfds, int nfds, MemorySegment timespec) {
        MemorySegment st = STATE.get();
        try {
            int n = (int) PPOLL.invokeExact(st, pollfds, (long) nfds, timespec, MemorySegment.NULL);
            return n < 0 ? -errno(st) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** eventfd(2): a new descriptor, or a thrown NativeException. */
    static int eventfd(int flags) throws NativeException {
        MemorySegment st = STATE.get();
        try {
            int fd = (int) EVENTFD.invokeExact(st, 0, flags);
            if (fd < 0) throw new NativeException("eventfd", errno(st), null);
            return fd;
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(STATE.get(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setns(2) for the calling thread only. */
    static void setns(int fd, int nstype, String what) throws NativeException {
        MemorySegment st = STATE.get();
        try {
            int r = (int) SETNS.invokeExact(st, fd, nstype);
            if (r < 0) {
                int e = errno(st);
                throw new NativeException("setns " + what, e, e == EPERM ? "needs root or CAP_SYS_ADMIN" : null);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
