package io.jtcp.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A raw IPv4 socket that sends whole packets, IP header included
 * ({@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)}, see raw(7)): the flood generator's way to
 * send SYNs from an address no socket owns. Like any socket it belongs to the network
 * namespace of the thread that opens it, so it must be opened on a thread inside the
 * flood's namespace ({@link NetNs#newThread}); it can reach no address outside it.
 * One thread uses it; the packet and address buffers are its own, allocated once.
 * Needs CAP_NET_RAW. Downcalls through java.lang.foreign, as {@link Native}'s.
 */
final class RawSocket implements AutoCloseable {
    private static final int AF_INET = 2, SOCK_RAW = 3, IPPROTO_RAW = 255, SOCK_CLOEXEC = 02000000;
    private static final int SOCKADDR_IN = 16;
    static final int ENOBUFS = 105;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
    private static final MethodHandle SOCKET = LINKER.downcallHandle(LINKER.defaultLookup().find("socket").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ERRNO_OPT);
    private static final MethodHandle SENDTO = LINKER.downcallHandle(LINKER.defaultLookup().find("sendto").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO_OPT);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = arena.allocate(CAPTURE);
    private final MemorySegment to = arena.allocate(SOCKADDR_IN, 4);
    private final MemorySegment buf;
    private final int fd;

    /** Opens the socket in the calling thread's namespace, to send packets of up to {@code maxLength} bytes to {@code dstV4}. */
    RawSocket(int dstV4, int maxLength) throws NativeException {
        buf = arena.allocate(maxLength, 8);
        to.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        to.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4, dstV4);
        int r;
        try {
            r = (int) SOCKET.invokeExact(state, AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        if (r < 0) {
            int e = errno();
            arena.close();
            throw new NativeException("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)", e, e == Native.EPERM ? "needs root or CAP_NET_RAW" : null);
        }
        fd = r;
    }

    /** Sends {@code packet[0, length)} as it is; returns 0 or the errno (ENOBUFS when the device queue is full). */
    int send(byte[] packet, int length) {
        MemorySegment.copy(packet, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
        try {
            long n = (long) SENDTO.invokeExact(state, fd, buf, (long) length, 0, to, SOCKADDR_IN);
            return n < 0 ? errno() : 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    @Override
    public void close() {
        Native.close(fd);
        arena.close();
    }
}
