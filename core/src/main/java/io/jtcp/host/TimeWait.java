package io.jtcp.host;

import io.jtcp.observe.TraceEvent;
import io.jtcp.observe.TraceSink;
import io.jtcp.tcp.Cause;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.tcp.State;
import io.jtcp.tcp.TimeWaitFacts;
import io.jtcp.tcp.TimeWaitRules;
import io.jtcp.time.TimerWheel;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.List;

/**
 * A host's TIME_WAIT, in the manner of Linux's tcp_minisocks.c: a connection
 * that enters TIME_WAIT hands its few remaining facts to a compact
 * {@link TimeWaitTable} and the host forgets the Connection. From then on this
 * class answers the 4-tuple's segments with {@link TimeWaitRules} (the same rules
 * the engine's own TIME_WAIT state applies), ends entries after 2MSL (RFC 9293
 * §3.10.8), and lets an outgoing connection take a TIME_WAIT 4-tuple under
 * tcp_tw_reuse (Linux's tcp_twsk_unique).
 *
 * <p>The whole table has a single entry in the stack's timer wheel, armed at the
 * earlier expiry of its two queues' heads: see docs/architecture.md.
 */
final class TimeWait {
    /** Linux (tcp_timewait_state_process, tcp_twsk_unique): a new incarnation starts this far past the old SND.NXT. */
    static final int ISS_GAP = 65535 + 2;
    private static final long NANOS_PER_MS = 1_000_000L;
    /** tcp_tw_reuse waits until the entry's last timestamp is this old (Linux's tcp_tw_reuse_delay default). */
    private static final long REUSE_DELAY_MS = 1000;

    /** Entry handles of the IPv6 table carry this bit; the IPv4 table's do not. */
    private static final int V6 = 1 << 30;

    private final Stack stack;
    /** IPv4 entries in a narrow table, IPv6 ones in a wide one (see TimeWaitTable's budget). */
    private final TimeWaitTable v4 = new TimeWaitTable(false), v6 = new TimeWaitTable(true);
    /** What tcp_tw_recycle remembers of each peer; the listener reads it too. */
    final PeerTimestamps peers = new PeerTimestamps(PeerTimestamps.DEFAULT_CAPACITY);
    /** The table's one timer in the stack's wheel. */
    final TimerWheel.Entry timer = new TimerWheel.Entry() {};
    private final Segment ack = new Segment();

    TimeWait(Stack stack) {
        this.stack = stack;
    }

    int size() { return v4.size() + v6.size(); }

    /** The entry of a 4-tuple (an opaque handle for the other methods), or {@link TimeWaitTable#NONE}. */
    int find(IpAddress local, int localPort, IpAddress remote, int remotePort) {
        int l = stack.addresses().index(local);
        long k = key(localPort, remotePort, (int) remote.lo());
        if (remote.isV4()) return v4.find(k, l, 0, 0);
        int i = v6.find(k, l, remote.hi(), remote.lo());
        return i == TimeWaitTable.NONE ? i : i | V6;
    }

    int find(FourTuple t) {
        return find(t.localAddr(), t.localPort(), t.remoteAddr(), t.remotePort());
    }

    /**
     * The packed key: the remote address's low 32 bits above both ports, so the bits that vary
     * most between entries (ports, then addresses) sit where the table's multiplicative hash
     * mixes them into every bucket bit.
     */
    static long key(int localPort, int remotePort, int remoteLow) {
        return (long) remoteLow << 32 | (long) localPort << 16 | remotePort;
    }

    private static int localPort(long key) { return (int) (key >>> 16) & 0xffff; }

    private static int remotePort(long key) { return (int) key & 0xffff; }

    private static int remoteLow(long key) { return (int) (key >>> 32); }

    private TimeWaitTable table(int handle) {
        return (handle & V6) != 0 ? v6 : v4;
    }

    /**
     * The hand-off (Linux's tcp_time_wait). The connection has already left the
     * connection map and the wheel; its share of the local port passes to the entry,
     * so bind(2) still sees the port held. With tcp_max_tw_buckets entries already
     * held, the connection goes straight to CLOSED instead (TCPTimeWaitOverflow).
     *
     * <p>With tcp_tw_recycle and timestamps, the peer's last timestamp is remembered
     * first (even if the table then overflows, as Linux's tcp_remember_stamp runs before
     * inet_twsk_alloc), and the entry lives 3.5 RTO instead of 2MSL: Linux 4.11's
     * tcp_time_wait, trusting per-host PAWS to keep old duplicates out instead.
     */
    void enter(FourTuple t, boolean reuseAddr, TimeWaitFacts f, long now) {
        boolean recycled = stack.sysctls().tcpTwRecycle() && f.tsOk();
        if (recycled) peers.remember(t.remoteAddr(), f.tsRecent(), f.tsRecentAt(), now);
        if (size() >= stack.sysctls().tcpMaxTwBuckets()) {
            stack.counters().timeWaitOverflow++;
            trace(t, State.TIME_WAIT, State.CLOSED, Cause.TIME_WAIT_OVERFLOW, now);
            stack.ports.remove(t.localAddr(), t.localPort(), reuseAddr, false);
            return;
        }
        stack.counters().timeWait++;
        long life = recycled ? recycledLife(f.rto()) : stack.sysctls().timeWait().toNanos();
        IpAddress remote = t.remoteAddr();
        TimeWaitTable table = remote.isV4() ? v4 : v6;
        table.add(key(t.localPort(), t.remotePort(), (int) remote.lo()), stack.addresses().index(t.localAddr()),
                remote.hi(), remote.lo(), f.sndNxt(), f.rcvNxt(), f.window(), f.tsOk(), f.tsRecent(),
                (int) (f.tsRecentAt() / NANOS_PER_MS), f.tsOffset(), reuseAddr, now + life,
                recycled ? TimeWaitTable.RECYCLED : TimeWaitTable.FULL);
        arm();
    }

    /** tcp_tw_recycle's TIME_WAIT: 3.5 RTO, computed as Linux's tcp_time_wait does, {@code (rto << 2) - (rto >> 1)}. */
    static long recycledLife(long rto) {
        return (rto << 2) - (rto >> 1);
    }

    /**
     * A segment for entry {@code i} (RFC 9293 §3.10.7.4 for TIME_WAIT, RFC 1337,
     * RFC 6191, RFC 7323 §5, as {@link TimeWaitRules} classifies it). Returns false
     * when the segment is a SYN that starts a new incarnation: the entry is gone and
     * the caller hands the SYN to the port's listener with the ISS this sets.
     */
    boolean segmentArrives(int h, Segment seg, long now) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        switch (TimeWaitRules.classify(seg, table.rcvNxt(i), table.tsOk(i), table.tsRecent(i),
                stack.sysctls().tcpRfc1337())) {
            case ACK_AND_RESTART -> {
                sendAck(h, now);
                restart(h, now);
                if (seg.fin()) trace(tuple(h), State.TIME_WAIT, State.TIME_WAIT, Cause.TIME_WAIT_FIN_REACKED, now);
                else stack.countDrop(DropReason.TIME_WAIT, tuple(h), now);
            }
            case ACK -> {
                sendAck(h, now);
                stack.countDrop(DropReason.TIME_WAIT, tuple(h), now);
            }
            case RESTART -> {
                // An in-window bare ACK: Linux also takes its timestamp as TS.Recent.
                if (table.tsOk(i) && seg.hasTimestamps) table.updateTimestamp(i, seg.tsVal, (int) (now / NANOS_PER_MS));
                restart(h, now);
            }
            case KILL -> {
                stack.counters().timeWaitKilled++;
                trace(tuple(h), State.TIME_WAIT, State.CLOSED, Cause.RESET_TIME_WAIT, now);
                release(h);
            }
            case IGNORE -> stack.countDrop(DropReason.TIME_WAIT, tuple(h), now);
            case NEW_INCARNATION -> {
                if (!stack.ports.hasListener(seg.dstAddr, seg.dstPort)) {
                    // Linux (tcp_v4_rcv, TCP_TW_SYN without a listener) falls through to the TIME_WAIT ACK.
                    sendAck(i, now);
                    stack.countDrop(DropReason.TIME_WAIT, tuple(h), now);
                    return true;
                }
                int iss = table.sndNxt(i) + ISS_GAP;
                stack.overrideNextIss(iss == 0 ? 1 : iss);
                trace(tuple(h), State.TIME_WAIT, State.CLOSED, Cause.TIME_WAIT_NEW_INCARNATION, now);
                release(h);
                return false;
            }
        }
        return true;
    }

    /**
     * A segment restarts the entry's TIME_WAIT at the full 2MSL, a recycled one's too:
     * Linux 4.11's tcp_timewait_state_process reschedules with TCP_TIMEWAIT_LEN.
     */
    private void restart(int h, long now) {
        table(h).restart(h & ~V6, now + stack.sysctls().timeWait().toNanos(), TimeWaitTable.FULL);
        arm();
    }

    /** Ends every entry whose time has run out (2MSL, §3.10.8, or tcp_tw_recycle's 3.5 RTO), first due first, and re-arms the table's timer. */
    void expire(long now) {
        for (int h; (h = head()) != TimeWaitTable.NONE && expiry(h) <= now; ) {
            trace(tuple(h), State.TIME_WAIT, State.CLOSED, Cause.TIME_WAIT_EXPIRED, now);
            release(h);
        }
        arm();
    }

    /** The entry of either table that expires first, or {@link TimeWaitTable#NONE}. */
    private int head() {
        int a = v4.head(), b = v6.head();
        if (b == TimeWaitTable.NONE) return a;
        return a == TimeWaitTable.NONE || v6.expiry(b) < v4.expiry(a) ? b | V6 : a;
    }

    private long expiry(int h) {
        return table(h).expiry(h & ~V6);
    }

    /** The host shuts down: every entry goes at once, without a segment (the peer has nothing left to hear). */
    void clear(long now) {
        for (int h; (h = head()) != TimeWaitTable.NONE; ) {
            trace(tuple(h), State.TIME_WAIT, State.CLOSED, Cause.ABORT, now);
            release(h);
        }
    }

    /**
     * tcp_tw_reuse for an outgoing connection (Linux's tcp_twsk_unique): 1 allows it,
     * 2 only for loopback; either way only when timestamps were on, so PAWS (RFC 7323
     * §5) keeps old duplicates out of the new connection, and only once the entry's
     * last timestamp is a second old.
     */
    boolean reusable(int h, long now) {
        int reuse = stack.sysctls().tcpTwReuse();
        FourTuple t = tuple(h);
        // tcp_tw_reuse=2: loopback only (Linux checks the skb's device is lo: either end of the tuple loopback).
        if (reuse == 2 && !t.remoteAddr().isLoopback() && !t.localAddr().isLoopback()) return false;
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        return reuse != 0 && table.tsOk(i) && (int) (now / NANOS_PER_MS) - table.tsStampMs(i) >= REUSE_DELAY_MS;
    }

    /**
     * Whether a connect from an explicitly bound port may take entry {@code i}'s 4-tuple.
     * Linux's __inet_hash_connect calls tcp_twsk_unique without twp for a bound port, and
     * then only the entry's timestamps count: tcp_tw_reuse and its delay govern the choice
     * of ephemeral ports alone.
     */
    boolean reusableByBoundPort(int h) {
        return table(h).tsOk(h & ~V6);
    }

    /**
     * An outgoing connection takes entry {@code i}'s 4-tuple (TWRecycled). Returns the
     * entry's facts: the new connection's ISS is {@code sndNxt + 65535 + 2} and its
     * TS.Recent is seeded from them, as Linux does.
     */
    TimeWaitFacts recycle(int h, long now) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        long sinceStamp = (long) ((int) (now / NANOS_PER_MS) - table.tsStampMs(i)) * NANOS_PER_MS;
        TimeWaitFacts f = new TimeWaitFacts(table.sndNxt(i), table.rcvNxt(i), table.window(i), table.tsOk(i),
                table.tsRecent(i), now - sinceStamp, table.tsOffset(i), 0);  // rto: the table keeps none, and a successor starts afresh
        stack.counters().timeWaitRecycled++;
        trace(tuple(h), State.TIME_WAIT, State.CLOSED, Cause.TIME_WAIT_REUSED, now);
        release(h);
        return f;
    }

    /** STATUS of every entry, as ss shows a TIME_WAIT socket: timer "timewait" and the time left. */
    void statuses(List<ConnectionStatus> out, long now) {
        for (int q : new int[] {TimeWaitTable.FULL, TimeWaitTable.RECYCLED}) {
            for (int i = v4.first(q); i != TimeWaitTable.NONE; i = v4.next(i)) status(i, out, now);
            for (int i = v6.first(q); i != TimeWaitTable.NONE; i = v6.next(i)) status(i | V6, out, now);
        }
    }

    /** Time left in TIME_WAIT for the entry on {@code key}, or -1 when the table holds none. */
    long remaining(FourTuple t, long now) {
        int h = find(t);
        return h == TimeWaitTable.NONE ? -1 : Math.max(0, expiry(h) - now);
    }

    private void status(int h, List<ConnectionStatus> out, long now) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        int snd = table.sndNxt(i);
        out.add(new ConnectionStatus(State.TIME_WAIT, tuple(h), true, null,
                0, snd, snd, 0, 0, table.rcvNxt(i), table.window(i),
                0, 0, -1, -1, table.tsOk(i), false,
                0, 0, 0, 0, 0, null,
                0, 0, 0, 0, 0,
                "timewait", Math.max(0, table.expiry(i) - now)));
    }

    /** {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}, with TSval/TSecr when timestamps are on (Linux's tcp_v4_timewait_ack). */
    private void sendAck(int h, long now) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        long key = table.key(i);
        Segment s = ack.clear();
        s.srcAddr = stack.addresses().byIndex(table.local(i));
        s.dstAddr = remote(h);
        s.srcPort = localPort(key);
        s.dstPort = remotePort(key);
        s.seq = table.sndNxt(i);
        s.ack = table.rcvNxt(i);
        s.flags = TcpFlags.ACK;
        s.window = table.window(i);
        if (table.tsOk(i)) {
            s.hasTimestamps = true;
            s.tsVal = (int) (now / NANOS_PER_MS) + table.tsOffset(i);
            s.tsEcr = table.tsRecent(i);
        }
        stack.transmit(s, now);
    }

    /** Deletes entry {@code i} and gives back its share of the local port. */
    private void release(int h) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        FourTuple t = tuple(h);
        boolean reuseAddr = table.reuseAddr(i);
        table.remove(i);
        stack.ports.remove(t.localAddr(), t.localPort(), reuseAddr, false);
        arm();
    }

    private void arm() {
        int h = head();
        if (h == TimeWaitTable.NONE) stack.wheel.cancel(timer);
        else if (!timer.isScheduled() || timer.deadline() != expiry(h)) stack.wheel.schedule(timer, expiry(h));
    }

    private void trace(FourTuple t, State from, State to, Cause cause, long now) {
        TraceSink sink = stack.trace();
        if (sink == TraceSink.NONE) return;
        sink.accept(new TraceEvent.StateEvent(now, stack.name(), t.local(), t.remote(), from, to, cause.toString()));
    }

    private IpAddress remote(int h) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        return (h & V6) != 0 ? IpAddress.v6(table.remoteHi(i), table.remoteLo(i)) : IpAddress.v4(remoteLow(table.key(i)));
    }

    private FourTuple tuple(int h) {
        TimeWaitTable table = table(h);
        int i = h & ~V6;
        long key = table.key(i);
        return new FourTuple(stack.addresses().byIndex(table.local(i)), localPort(key), remote(h), remotePort(key));
    }
}
