package io.jtcp.packetdrill;

import io.jtcp.config.Sysctls;
import io.jtcp.host.LocalAddresses;
import io.jtcp.host.Stack;
import io.jtcp.packetdrill.CallResult.Done;
import io.jtcp.packetdrill.WireFormat.Captured;
import io.jtcp.tcp.Connection;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Plays one parsed script against a fresh jtcp {@link Stack} in virtual time, as
 * packetdrill's run.c plays it against a kernel: events in order, each at its script
 * time; the stack's timers fired in order in between; inbound packets injected;
 * outbound packets captured with the time they were sent and matched against the
 * script's {@code >} lines; system calls through {@link SocketCalls}, a blocking one
 * left pending while later events run until the stack lets it return.
 */
final class ScriptRunner implements SocketCalls.Observer {
    private static final long NS_PER_US = 1000;
    /** packetdrill's sniff timeout past an outbound packet's expected time. */
    private static final long SNIFF_TIMEOUT_US = 2_000_000;
    private static final int FIRST_REMOTE_PORT = 40_000;

    private final Script script;
    private final Path scriptDir;
    private final RunnerOptions opts;
    private Sysctls sysctls;
    private Stack stack;
    private SocketCalls calls;
    private final ArrayDeque<Captured> sent = new ArrayDeque<>();
    private long now;
    private SocketUnderTest sut;
    private int nextRemotePort = FIRST_REMOTE_PORT;
    /** The socket under test's connection once a call holds it (connect, accept): code blocks read its TCP_INFO. */
    private Connection sutConnection;
    private final PythonCode code = new PythonCode();

    /** Script time (µs) of the previous event, and whether it was an inbound packet (relative anchoring). */
    private long lastEventUs;
    private boolean lastWasInbound;
    /** Live time (ns) at which the latest inbound packet or system call ran: packets sent before it are unexpected. */
    private long lastActionAt = -1;

    private Pending pending;

    private record Pending(Event.Call event, CallResult.Retry retry, long wakeAt, long expectedEndUs) {}

    ScriptRunner(Script script, Path scriptDir, RunnerOptions opts, Sysctls sysctls) {
        this.script = script;
        this.scriptDir = scriptDir;
        this.opts = opts;
        this.sysctls = sysctls;
    }

    /** Runs the script; returns normally when it passes. */
    void run() throws ScriptFailure, UnsupportedFeature {
        boolean first = true;
        for (Event e : script.events()) {
            if (first && (e.time().kind() != EventTime.Kind.ABSOLUTE || e.time().micros() != 0)) {
                throw new ScriptFailure(e.line(), "first event should be at time 0");
            }
            first = false;
            long startUs = startTime(e);
            // The offset a relative time adds, fixed before anything runs: a blocking call's
            // "...end" and an outbound range's end take the same one (adjust_relative_event_times).
            long offsetUs = e.time().isRelative() ? startUs - e.time().micros() : 0;
            switch (e) {
                case Event.Packet p when !p.packet().inbound() -> outbound(p, startUs, offsetUs);
                case Event.Packet p -> {
                    advanceTo(startUs * NS_PER_US);
                    inbound(p);
                }
                case Event.Call c -> {
                    if (pending != null) finishPending();
                    advanceTo(startUs * NS_PER_US);
                    syscall(c, startUs, offsetUs);
                }
                case Event.Icmp i -> throw new UnsupportedFeature("ICMP packets");
                case Event.Command c -> {
                    advanceTo(startUs * NS_PER_US);
                    command(c);
                }
                case Event.Code c -> {
                    advanceTo(startUs * NS_PER_US);
                    code.add(c, sutConnection == null ? null : sutConnection.tcpInfo(now));
                }
            }
            lastEventUs = e instanceof Event.Packet p && !p.packet().inbound() ? now / NS_PER_US : startUs;
            lastWasInbound = e instanceof Event.Packet p && p.packet().inbound();
        }
        if (pending != null) finishPending();
        code.run();
    }

    /** An event's start in script microseconds (adjust_relative_event_times). */
    private long startTime(Event e) {
        EventTime t = e.time();
        if (!t.isRelative()) return t.micros();
        boolean anchored = lastWasInbound && e instanceof Event.Packet p && p.packet().inbound();
        return (anchored ? lastEventUs : Math.max(lastEventUs, now / NS_PER_US)) + t.micros();
    }

    // ---- the stack and time ----

    private Stack stack() {
        if (stack == null) {
            stack = new Stack("local", new LocalAddresses.Assigned(opts.localIp(), opts.localPrefixLength()), withDeviceMtu(sysctls),
                    (b, off, len) -> {
                        byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
                        sent.add(WireFormat.read(copy, now));
                    }, opts.seed, 0);
            calls = new SocketCalls(stack, opts, this);
        }
        return stack;
    }

    /**
     * Fires every timer due before {@code target}, in order, and moves the clock there. A
     * timer due at {@code target} itself fires after the event: a kernel timer never fires
     * early and, rounded to jiffies and to its timer-wheel level's granularity, fires a
     * little late, so packetdrill's event at the same instant always comes first.
     */
    private void advanceTo(long target) throws ScriptFailure, UnsupportedFeature {
        while (step(target - 1, false)) { /* keep going */ }
        now = Math.max(now, target);
    }

    /**
     * Moves to the next timer deadline or pending wake-up at or before {@code limit};
     * returns false when there is none. With {@code untilSent}, stops as soon as a packet is out.
     */
    private boolean step(long limit, boolean untilSent) throws ScriptFailure, UnsupportedFeature {
        if (stack == null) return false;
        long next = Math.min(stack.nextDeadline(), pending == null ? Long.MAX_VALUE : pending.wakeAt);
        if (next > limit || next == Long.MAX_VALUE) return false;
        long before = now;
        now = Math.max(now, next);
        stack.advance(now);
        checkPending();
        if (untilSent && !sent.isEmpty()) return false;
        // The wheel may wake early and find nothing; never spin at one instant.
        if (now == before && stack.nextDeadline() <= now && (pending == null || pending.wakeAt > now)) now++;
        return true;
    }

    // ---- packets ----

    private void inbound(Event.Packet e) throws ScriptFailure, UnsupportedFeature {
        ScriptPacket p = e.packet();
        stack();
        if (sut == null || sut.phase == SocketUnderTest.Phase.LISTENING) {
            // handle_listen_for_script_packet: an inbound packet for a listener starts a child socket.
            sut = new SocketUnderTest(SocketUnderTest.Phase.PASSIVE_SYN_RECEIVED, opts.bindPort, nextRemotePort++);
            sutConnection = null; // a child socket with no descriptor until accept() returns it
            sut.remoteIsn = (int) p.seq();
        } else if (p.has('S') && p.has('.') && sut.phase == SocketUnderTest.Phase.ACTIVE_SYN_SENT) {
            sut.remoteIsn = (int) p.seq();
        }
        byte[] bytes;
        try {
            bytes = InboundPackets.build(p, sut, opts);
        } catch (InboundPackets.ScriptMappingException ex) {
            throw new ScriptFailure(e.line(), "error handling packet: " + ex.getMessage());
        }
        stack.packetArrives(bytes, 0, bytes.length, now);
        lastActionAt = now;
        checkPending();
    }

    private void outbound(Event.Packet e, long startUs, long offsetUs) throws ScriptFailure, UnsupportedFeature {
        ScriptPacket want = e.packet();
        stack();
        TosSpec tos = want.ipInfo() == null ? null : TosSpec.parse(want.ipInfo());
        if (want.options() != null) {
            for (TcpOption o : want.options()) if (o instanceof TcpOption.Unsupported u) throw new UnsupportedFeature("TCP option " + u.name());
        }
        if (sut == null) throw new ScriptFailure(e.line(), "no matching socket for script packet");
        if (want.has('S') && !want.has('.') && sut.phase == SocketUnderTest.Phase.ACTIVE_CONNECTING) {
            sut.phase = SocketUnderTest.Phase.ACTIVE_SYN_SENT;
        }
        // packetdrill learns the local ISN once per socket: a later SYN-ACK on the same 4-tuple
        // (a new incarnation out of TIME_WAIT) is matched against the first connection's numbers.
        boolean firstSyn = !(want.has('S') && want.has('.')) || sut.liveLocalIsn == 0;
        if (want.has('S') && firstSyn) sut.scriptLocalIsn = want.seq();
        EventTime t = e.time();
        long endUs = t.kind() == EventTime.Kind.ANY ? Long.MAX_VALUE
                : t.isRange() ? offsetUs + t.endMicros() : startUs;
        long limit = endUs == Long.MAX_VALUE ? Long.MAX_VALUE : (endUs + opts.toleranceUsecs + SNIFF_TIMEOUT_US) * NS_PER_US;

        Captured got = nextForSocket(e, limit, want.length());
        if (got.flag('S') && firstSyn) sut.liveLocalIsn = got.seq();
        if (lastActionAt >= 0 && got.time() + opts.toleranceUsecs * NS_PER_US < lastActionAt) {
            throw new ScriptFailure(e.line(), "unexpected outbound packet at " + secs(got.time() / NS_PER_US)
                    + " sec, before the event at " + secs(lastActionAt / NS_PER_US) + " sec (script expected "
                    + want.render() + ")");
        }
        // verify_outbound_live_tos runs before the TCP fields are compared.
        String mismatch = tos == null ? null : tos.verify(got.tos());
        if (mismatch == null) mismatch = OutboundCheck.compare(want, got, sut, opts, startUs);
        if (mismatch != null) throw new ScriptFailure(e.line(), "error handling packet: " + mismatch);
        if (t.kind() != EventTime.Kind.ANY) checkTime(e.line(), "outbound packet", startUs, endUs, got.time() / NS_PER_US, t.isRange());
    }

    /**
     * The next packet the stack sent on the socket under test, waiting (in virtual time,
     * up to {@code limit}) for it; several consecutive ones when the script's segment is a
     * TSO super-segment larger than one MSS.
     */
    private Captured nextForSocket(Event.Packet e, long limit, int scriptPayload) throws ScriptFailure, UnsupportedFeature {
        Captured first = take(e, limit, false);
        int total = first.payloadLength();
        Captured last = first;
        while (total < scriptPayload && first.payloadLength() > 0) {
            Captured more = take(e, now, true);
            if (more == null) break;
            if (more.seq() != last.seq() + last.payloadLength() || more.ack() != first.ack() || more.window() != first.window()) {
                throw new ScriptFailure(e.line(), "error handling packet: fragment does not continue the super-segment");
            }
            total += more.payloadLength();
            last = more;
        }
        if (last == first) return first;
        // Linux's TSO (tcp_gso_segment) leaves PSH and FIN on the super-segment's last wire
        // segment only: they are checked against that one, whatever the earlier ones carry.
        int pshFin = WireFormat.bit('P') | WireFormat.bit('F');
        int flags = first.flags() & ~pshFin | last.flags() & pshFin;
        return new Captured(first.time(), first.ipv6(), first.tos(), first.ipLength() + total - first.payloadLength(), first.srcPort(),
                first.dstPort(), first.seq(), first.ack(), flags, first.dataOffset(), first.window(), first.urgent(),
                first.options(), total);
    }

    /**
     * The next captured packet for the socket under test, advancing time up to {@code limit}.
     * A {@code fragment} (the rest of a super-segment) is only looked for among packets
     * already sent; null when there is none.
     */
    private Captured take(Event.Packet e, long limit, boolean fragment) throws ScriptFailure, UnsupportedFeature {
        while (true) {
            Captured c = pollForSocket();
            if (c != null || fragment) return c;
            if (!step(limit, true) && sent.isEmpty()) break;
        }
        throw new ScriptFailure(e.line(), "timing error: expected outbound packet at "
                + (e.time().kind() == EventTime.Kind.ANY ? "any time" : secs(startTime(e)) + " sec")
                + " but none was sent by " + secs(now / NS_PER_US) + " sec");
    }

    /** Packets for other sockets are passed over, as packetdrill's sniffer ignores them. */
    private Captured pollForSocket() {
        for (Captured c; (c = sent.poll()) != null; ) {
            if (c.srcPort() == sut.localPort && c.dstPort() == sut.remotePort) return c;
        }
        return null;
    }

    private void checkTime(int line, String what, long expectedUs, long expectedEndUs, long actualUs, boolean range)
            throws ScriptFailure {
        long tolerance = Math.max(opts.toleranceUsecs, (long) (opts.tolerancePercent / 100.0 * Math.max(0, expectedUs - lastEventUs)));
        if (actualUs >= expectedUs - tolerance && actualUs <= expectedEndUs + tolerance) return;
        if (range) {
            throw new ScriptFailure(line, "timing error: expected " + what + " in time range " + secs(expectedUs) + "~"
                    + secs(expectedEndUs) + " sec but happened at " + secs(actualUs) + " sec");
        }
        throw new ScriptFailure(line, "timing error: expected " + what + " at " + secs(expectedUs) + " sec but happened at "
                + secs(actualUs) + " sec; tolerance " + secs(tolerance) + " sec");
    }

    private static String secs(long us) {
        return EventTime.seconds(us);
    }

    // ---- system calls ----

    @Override
    public void listening(int port) {
        sut = new SocketUnderTest(SocketUnderTest.Phase.LISTENING, port, 0);
        sutConnection = null;
    }

    @Override
    public void connecting(Connection c) {
        sut = new SocketUnderTest(SocketUnderTest.Phase.ACTIVE_CONNECTING, c.tuple().localPort(), c.tuple().remotePort());
        sutConnection = c;
    }

    @Override
    public void accepted(Connection c) {
        sutConnection = c;
    }

    private void syscall(Event.Call e, long startUs, long offsetUs) throws ScriptFailure, UnsupportedFeature {
        stack();
        Syscall call = e.call();
        CallResult r = calls.call(call, now);
        lastActionAt = now;
        long endUs = e.blockingEnd() == null ? startUs : offsetUs + e.blockingEnd();
        switch (r) {
            case Done d -> {
                verify(e, d);
                if (e.blockingEnd() != null) checkTime(e.line(), "system call return", endUs, endUs, now / NS_PER_US, false);
            }
            case CallResult.Blocked b -> {
                pending = new Pending(e, b.retry(), b.wakeAt(), endUs);
                checkPending();
            }
        }
    }

    private void checkPending() throws ScriptFailure, UnsupportedFeature {
        if (pending == null) return;
        Done d = pending.retry().attempt(now);
        if (d == null) return;
        Pending p = pending;
        pending = null;
        verify(p.event(), d);
        checkTime(p.event().line(), "system call return", p.expectedEndUs(), p.expectedEndUs(), now / NS_PER_US, false);
    }

    /** A blocked call must return before the next call starts (packetdrill waits for its syscall thread). */
    private void finishPending() throws ScriptFailure, UnsupportedFeature {
        long giveUp = (pending.expectedEndUs() + opts.toleranceUsecs + SNIFF_TIMEOUT_US) * NS_PER_US;
        while (pending != null && step(giveUp, false)) { /* keep going */ }
        if (pending != null) {
            throw new ScriptFailure(pending.event().line(), "timing error: expected system call return at "
                    + secs(pending.expectedEndUs()) + " sec but it was still blocked at " + secs(now / NS_PER_US) + " sec");
        }
    }

    private static void verify(Event.Call e, Done d) throws ScriptFailure, UnsupportedFeature {
        Syscall s = e.call();
        String name = s.name();
        if (!(s.result() instanceof Expr.Ellipsis)) {
            long want = Args.integer(s.result(), d.value());
            if (want != d.value() || (d.errno() != null && want != -1)) {
                String got = d.errno() == null ? Long.toString(d.value())
                        : d.value() + " with errno " + LinuxErrno.number(d.errno()) + " (" + LinuxErrno.text(d.errno()) + ")";
                throw new ScriptFailure(e.line(), name + ": expected result " + want + " but got " + got);
            }
            if (s.errno() != null && !s.errno().equals(d.errno())) {
                String got = d.errno() == null ? "none" : LinuxErrno.number(d.errno()) + " (" + LinuxErrno.text(d.errno()) + ")";
                throw new ScriptFailure(e.line(), name + ": expected errno " + LinuxErrno.number(s.errno()) + " (" + s.errno()
                        + ") but got " + got);
            }
        }
        if (d.mismatch() != null) throw new ScriptFailure(e.line(), name + ": " + d.mismatch());
    }

    // ---- commands and code ----

    /** The script's sysctls on the tun device's MTU. */
    private Sysctls withDeviceMtu(Sysctls s) {
        return s.set("mtu", Integer.toString(opts.mtu));
    }

    /** A sysctl written mid-script takes effect at once, as on Linux: the stack's next decisions and sockets follow it. */
    private void command(Event.Command e) throws UnsupportedFeature {
        sysctls = SysctlCommands.apply(e.command(), scriptDir, sysctls);
        if (stack != null) stack.setSysctls(withDeviceMtu(sysctls));
    }
}
