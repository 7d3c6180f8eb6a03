package io.jtcp.tcp;

import io.jtcp.config.IpSysctl;
import io.jtcp.config.Sysctls;
import io.jtcp.config.TcpMem;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One stack's socket memory, as Linux keeps it for TCP: tcp_memory_allocated (what every
 * socket's queues hold, in pages, checked against {@code tcp_mem}), tcp_memory_pressure and
 * tcp_orphan_count (checked against {@code tcp_max_orphans}).
 *
 * <p>What is charged is exact: every array a {@link ReceiveBuffer} or {@link SendBuffer} holds
 * (the rings, the send buffer's scratch copy, the out-of-order range table) is charged its
 * length in bytes when it is allocated and released when it is dropped, so {@link #bytes()}
 * is the payload memory the stack's sockets hold at this moment. Linux charges each socket
 * in whole pages ahead of use (sk_forward_alloc); jtcp keeps exact bytes and rounds the total
 * up to pages, so its figure is at most one page above the bytes.
 *
 * <p>The decision for new memory is {@link #raise} (Linux's __sk_mem_raise_allocated): under
 * {@code tcp_mem[0]} always yes; over {@code tcp_mem[2]} no; in between yes for a socket still
 * under its tcp_rmem[0] / tcp_wmem[0] minimum, yes when the stack is not under pressure, and
 * under pressure only for a socket within its fair share ({@code tcp_mem[2]} divided by the
 * number of sockets). Crossing {@code tcp_mem[1]} enters memory pressure (TCPMemoryPressures);
 * falling under {@code tcp_mem[0]} leaves it (TCPMemoryPressuresChrono adds the milliseconds).
 *
 * <p>Not thread-safe: owned by the stack's event-loop thread, like the connections.
 */
public final class TcpMemory {
    /**
     * Linux's SOCK_MIN_SNDBUF on 64-bit machines, two minimal segments (2 x (2048 + 256)): an
     * orphan whose send queue holds more is "out of memory" once tcp_mem[2] is passed.
     */
    static final int SOCK_MIN_SNDBUF = 4608;
    private static final long NOT_UNDER_PRESSURE = Long.MIN_VALUE;

    private final Supplier<Sysctls> cfg;
    private final LongSupplier clock;
    private final LongSupplier sockets;
    private long bytes;
    private long pressureSince = NOT_UNDER_PRESSURE;
    /** Connections their application closed that are not yet CLOSED or in TIME_WAIT (tcp_orphan_count). */
    private final Set<Connection> orphans = Collections.newSetFromMap(new IdentityHashMap<>());

    /** tcp_prune_queue ran (PruneCalled); ... */
    long pruneCalled;
    /** ... it could not make room and the segment was dropped (RcvPruned); ... */
    long rcvPruned;
    /** ... tcp_prune_ofo_queue dropped out-of-order data (OfoPruned). */
    long ofoPruned;
    private long memoryPressures, memoryPressuresChronoMs;

    /**
     * @param cfg the stack's current sysctls (tcp_mem and tcp_max_orphans are live, as on Linux)
     * @param clock the stack's time in nanoseconds, for TCPMemoryPressuresChrono
     * @param sockets how many TCP sockets the stack has (tcp_sockets_allocated), for the fair share
     */
    public TcpMemory(Supplier<Sysctls> cfg, LongSupplier clock, LongSupplier sockets) {
        this.cfg = cfg;
        this.clock = clock;
        this.sockets = sockets;
    }

    /** Bytes charged: the sum of the lengths of every array the stack's socket buffers hold. */
    public long bytes() { return bytes; }

    /** tcp_memory_allocated: {@link #bytes()} in pages, rounded up; what tcp_mem is compared with. */
    public long pages() { return pagesOf(bytes); }

    public boolean underPressure() { return pressureSince != NOT_UNDER_PRESSURE; }

    /** tcp_orphan_count. */
    public int orphans() { return orphans.size(); }

    /** The TcpExt counters this accountant keeps, under nstat's names. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("TcpExtPruneCalled", pruneCalled);
        m.put("TcpExtRcvPruned", rcvPruned);
        m.put("TcpExtOfoPruned", ofoPruned);
        m.put("TcpExtTCPMemoryPressures", memoryPressures);
        m.put("TcpExtTCPMemoryPressuresChrono", memoryPressuresChronoMs + (underPressure() ? elapsedMs() : 0));
        return m;
    }

    /**
     * __sk_mem_raise_allocated: may a socket whose buffer of this kind already holds
     * {@code socketBytes} take {@code amount} more? Charged when yes, not when no. An amount
     * of 0 asks whether the socket could take any more at all (sk_rmem_schedule failing is what
     * sends tcp_try_rmem_schedule to prune).
     */
    boolean raise(long amount, boolean receive, long socketBytes) {
        Sysctls s = cfg.get();
        TcpMem limits = s.tcpMem();
        long pages = pagesOf(bytes + amount);
        if (pages <= limits.min()) {
            leavePressure();
            bytes += amount;
            return true;
        }
        if (pages > limits.pressure()) enterPressure();
        if (pages > limits.max()) return false;
        int guaranteed = receive ? s.tcpRmem().min() : s.tcpWmem().min();
        if (socketBytes < guaranteed || !underPressure()
                || limits.max() > sockets.getAsLong() * pagesOf(socketBytes + amount)) {
            bytes += amount;
            return true;
        }
        return false;
    }

    /** sk_forced_mem_schedule: memory a socket takes whatever the limits say, so that it can always make progress. */
    void force(long amount) {
        bytes += amount;
    }

    /** __sk_mem_reduce_allocated: memory given back; falling under tcp_mem[0] ends memory pressure. */
    void release(long amount) {
        bytes -= amount;
        if (bytes < 0) throw new IllegalStateException("socket memory released twice: " + bytes);
        if (underPressure() && pages() < cfg.get().tcpMem().min()) leavePressure();
    }

    /** tcp_wmem[0]: what any socket may always queue for sending (tcp_wmem_schedule). */
    int sendGuarantee() { return cfg.get().tcpWmem().min(); }

    /**
     * __tcp_close: the application let go of {@code c}, which lives on to finish its close;
     * counts it an orphan and answers tcp_check_oom(sk, 0): should it be reset instead?
     * Always false for a connection outside a stack, or one already in TIME_WAIT.
     */
    static boolean orphanedOutOfResources(Connection c) {
        TcpMemory m = c.sendBuf.memory();
        if (m == null || c.state == State.TIME_WAIT || c.state == State.CLOSED) return false;
        m.orphans.add(c);
        return m.outOfResources(c, 0);
    }

    /**
     * {@code c} reached CLOSED or TIME_WAIT: it is no longer an orphan, and if its application
     * has let go, its queues are freed and their memory given back (inet_csk_destroy_sock).
     */
    static void ended(Connection c) {
        TcpMemory m = c.sendBuf.memory();
        if (m != null) m.orphans.remove(c);
        if (!c.orphan) return;
        c.sendBuf.consume(c.sendBuf.size());
        c.sendBuf.trim();
        c.recvBuf.clear();
    }

    /**
     * tcp_check_oom: too many orphans (tcp_too_many_orphans, the count shifted left by
     * {@code shift}, as tcp_out_of_resources penalizes a long-silent or ICMP-troubled one),
     * or out of memory (tcp_out_of_memory: the stack is over tcp_mem[2] and the orphan's
     * send queue holds more than SOCK_MIN_SNDBUF).
     */
    boolean outOfResources(Connection c, int shift) {
        boolean tooManyOrphans = (long) orphans.size() << shift > cfg.get().ip(IpSysctl.TCP_MAX_ORPHANS);
        boolean outOfMemory = c.sendBuf.allocatedBytes() > SOCK_MIN_SNDBUF && pages() > cfg.get().tcpMem().max();
        return tooManyOrphans || outOfMemory;
    }

    /** Linux's TCP_TIMEWAIT_LEN: an orphan that sent within it is reset rather than dropped silently. */
    private static final long TIMEWAIT_LEN = 60_000_000_000L;

    /**
     * tcp_out_of_resources, from an orphan's retransmission or zero-window probe timeout: with
     * the orphan count doubled for one silent for two TCP_RTO_MAX or whose RTO has reached
     * TCP_RTO_MAX, and again after an ICMP error (sk_err_soft), tcp_check_oom decides; an
     * orphan it condemns is reset (if it sent within TCP_TIMEWAIT_LEN, its RTO is still short,
     * or the peer's window is closed with nothing in flight) or dropped silently, and counted
     * as TCPAbortOnMemory. Returns true when it ended the connection.
     */
    static boolean orphanTimedOutOfResources(Connection c) {
        TcpMemory m = c.sendBuf.memory();
        if (m == null || !c.orphan || !c.state.isSynchronized()) return false;
        long rtoMax = c.cfg.rtoMax().toNanos();
        long silent = c.now - c.recovery.w.lastDataSentAt;
        boolean reset = c.rtt.rto() < rtoMax;
        int shift = (silent > 2 * rtoMax || !reset ? 1 : 0) + (c.softError != null ? 1 : 0);
        if (!m.outOfResources(c, shift)) return false;
        if (reset || silent <= TIMEWAIT_LEN || c.sndWnd == 0 && c.board.isEmpty()) c.resetAndClose(Cause.ABORT_ON_MEMORY);
        else c.setState(State.CLOSED, Cause.ABORT_ON_MEMORY);
        return true;
    }

    static long pagesOf(long bytes) {
        return (bytes + TcpMem.PAGE_SIZE - 1) / TcpMem.PAGE_SIZE;
    }

    /** tcp_enter_memory_pressure. */
    private void enterPressure() {
        if (underPressure()) return;
        memoryPressures++;
        pressureSince = clock.getAsLong();
    }

    /** tcp_leave_memory_pressure. */
    private void leavePressure() {
        if (!underPressure()) return;
        memoryPressuresChronoMs += elapsedMs();
        pressureSince = NOT_UNDER_PRESSURE;
    }

    private long elapsedMs() {
        return Math.max(0, clock.getAsLong() - pressureSince) / 1_000_000L;
    }
}
