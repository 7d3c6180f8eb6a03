package io.jtcp.link.sim;

import io.jtcp.link.PacketSink;
import io.jtcp.time.VirtualClock;
import io.jtcp.wire.IpAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A deterministic discrete-event network in virtual time. Nodes attach at an IPv4
 * address and transmit raw IP packets through the sink {@link #attach} returns;
 * the network routes each by its destination address, puts it through the
 * direction's {@link LinkParams} and the {@link FaultRule}s, and delivers it later.
 *
 * <p>The loop repeatedly takes the earliest event — the next packet to land or the
 * earliest {@link SimNode#nextDeadline()} — moves the clock there and handles it.
 * Packets landing at the same instant arrive in the order they were put on the wire,
 * and before timers due at that instant; nodes due together advance in attach order.
 * Packets sent from inside {@code receive} or {@code advance} are only queued, so
 * nothing recurses. Same seed, same nodes, same inputs: the same run, tap event for
 * tap event.
 *
 * <p>Packet content never makes the loop throw: malformed packets are routed, faulted
 * or reported {@link Fate#NO_ROUTE} like any other. An exception from a node's
 * {@code receive} or {@code advance} is a bug in that node and propagates out of the
 * {@code run} method, so tests see it. Not thread-safe: drive it from one thread.
 */
public final class SimNetwork {
    /** Events at one instant beyond which the run is taken to be livelocked (e.g. zero-delay ping-pong). */
    private static final long MAX_EVENTS_PER_INSTANT = 1_000_000;
    /** "No event": what {@link SimNode#nextDeadline()} returns for never. */
    private static final long NONE = Long.MAX_VALUE;

    private final VirtualClock clock = new VirtualClock();
    private final Wire wire;
    private final Map<IpAddress, SimNode> byAddress = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<WireTap> taps = new ArrayList<>();
    private final List<Nat> nats = new ArrayList<>();
    private final PriorityQueue<Flight> inFlight = new PriorityQueue<>();
    private final PriorityQueue<Action> actions = new PriorityQueue<>();
    private long nextSeq;
    private long lastInstant = Long.MIN_VALUE;
    private long eventsAtInstant;

    public SimNetwork(long seed) {
        this.wire = new Wire(this, seed);
    }

    public VirtualClock clock() {
        return clock;
    }

    public long now() {
        return clock.nanoTime();
    }

    /** Attaches {@code node} at {@code address}; returns the sink its stack transmits through. */
    public PacketSink attach(IpAddress address, SimNode node) {
        if (byAddress.putIfAbsent(address, node) != null) {
            throw new IllegalArgumentException("address already attached: " + address);
        }
        nodes.add(node);
        return (p, off, len) -> send(Arrays.copyOfRange(p, off, off + len));
    }

    /** Parameters for packets whose source is {@code from} and destination {@code to}. */
    public void setLink(IpAddress from, IpAddress to, LinkParams params) {
        wire.setLink(from, to, params);
    }

    /** Parameters for every direction without its own {@link #setLink}. */
    public void setDefaultLink(LinkParams params) {
        wire.setDefault(params);
    }

    /** Rules apply in the order added; see {@link FaultRule}. */
    public void addRule(FaultRule rule) {
        wire.addRule(rule);
    }

    /**
     * Puts {@code nat} between its inside addresses and everything else: packets are
     * translated as they are sent, and nodes are attached at their inside addresses
     * (nothing is attached at the public one).
     */
    public void addNat(Nat nat) {
        if (byAddress.containsKey(IpAddress.v4(nat.publicAddress()))) throw new IllegalArgumentException("a node is attached at the NAT's address");
        nats.add(nat);
    }

    public void addTap(WireTap tap) {
        taps.add(tap);
    }

    /**
     * Puts a crafted packet (a spoofed SYN, an old duplicate) on the wire so that it lands
     * at its destination at exactly {@code at}: no link delay, faults or rules, since the
     * caller chose its fate. Taps see it {@link Fate#SENT} at {@code at}, then delivered
     * or {@link Fate#NO_ROUTE}.
     */
    public void inject(byte[] packet, long at) {
        if (at < now()) throw new IllegalArgumentException("cannot inject in the past: " + at + " < " + now());
        byte[] p = packet.clone();
        enqueue(at, p, RawPacket.srcAddr(p, 0, p.length), RawPacket.dstAddr(p, 0, p.length), null);
    }

    /**
     * Runs {@code action} at virtual time {@code time}: how applications on the
     * simulated hosts act later (close after thinking, write again). Actions due at
     * the same instant run in the order scheduled, after packets landing then.
     */
    public void at(long time, Runnable action) {
        if (time < now()) throw new IllegalArgumentException("cannot schedule in the past: " + time + " < " + now());
        actions.add(new Action(time, nextSeq++, action));
    }

    private record Action(long time, long seq, Runnable run) implements Comparable<Action> {
        @Override
        public int compareTo(Action o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    public int packetsInFlight() {
        return inFlight.size();
    }

    /** Runs every event up to and including {@code timeNanos}, then sets the clock there. */
    public void runUntil(long timeNanos) {
        for (long next; (next = nextEventTime()) != NONE && next <= timeNanos; ) step(next);
        if (timeNanos > now()) clock.advanceTo(timeNanos);
    }

    public void runFor(long nanos) {
        runUntil(now() + nanos);
    }

    /**
     * Runs until nothing is in flight and no node has a deadline (true), or until the
     * next event would be after {@code limitNanos} (false, clock left at the limit).
     */
    public boolean runUntilIdle(long limitNanos) {
        for (long next; (next = nextEventTime()) != NONE; step(next)) {
            if (next > limitNanos) {
                if (limitNanos > now()) clock.advanceTo(limitNanos);
                return false;
            }
        }
        return true;
    }

    /**
     * Runs while {@code condition} holds, checking it before each event. Returns true once
     * it stops holding; false if the next event would be after {@code limitNanos} (clock
     * left at the limit) or the network went idle with the condition still true.
     */
    public boolean runWhile(BooleanSupplier condition, long limitNanos) {
        while (condition.getAsBoolean()) {
            long next = nextEventTime();
            if (next == NONE) return false;
            if (next > limitNanos) {
                if (limitNanos > now()) clock.advanceTo(limitNanos);
                return false;
            }
            step(next);
        }
        return true;
    }

    /** The time of the earliest event (a packet landing, an action, a node's deadline), or {@link Long#MAX_VALUE} for none. */
    public long nextEventTime() {
        Flight f = inFlight.peek();
        long next = f == null ? NONE : f.time();
        Action a = actions.peek();
        if (a != null) next = Math.min(next, a.time());
        for (SimNode n : nodes) next = Math.min(next, n.nextDeadline());
        return next;
    }

    /** Handles the event due at {@code next}: one packet landing, or else every node due at that instant. */
    private void step(long next) {
        long at = Math.max(now(), next);
        countEventAt(at);
        clock.advanceTo(at);
        Flight f = inFlight.peek();
        if (f != null && f.time() <= at) {
            land(inFlight.poll());
            return;
        }
        Action a = actions.peek();
        if (a != null && a.time() <= at) {
            actions.poll().run().run();
            return;
        }
        for (SimNode n : nodes) {
            if (n.nextDeadline() <= at) n.advance(at);
        }
    }

    private void countEventAt(long at) {
        if (at != lastInstant) {
            lastInstant = at;
            eventsAtInstant = 0;
        }
        if (++eventsAtInstant > MAX_EVENTS_PER_INSTANT) {
            throw new IllegalStateException("no progress: over " + MAX_EVENTS_PER_INSTANT + " events at t=" + at + " ns");
        }
    }

    private void land(Flight f) {
        SimNode dest = f.dest();
        if (f.injected()) {
            tap(f.time(), f.bytes(), f.from(), f.to(), Fate.SENT);
            dest = f.bytes().length < 20 ? null : byAddress.get(f.to());
            if (dest == null) {
                tap(f.time(), f.bytes(), f.from(), f.to(), Fate.NO_ROUTE);
                return;
            }
        }
        tap(f.time(), f.bytes(), f.from(), f.to(), Fate.DELIVERED);
        dest.receive(f.bytes(), 0, f.bytes().length, f.time());
    }

    /** A node transmits {@code p} (already the network's own copy) now; taps see it as sent, before any NAT. */
    private void send(byte[] p) {
        long now = now();
        IpAddress from = RawPacket.srcAddr(p, 0, p.length);
        IpAddress to = RawPacket.dstAddr(p, 0, p.length);
        tap(now, p, from, to, Fate.SENT);
        for (Nat nat : nats) {
            if (nat.translate(p) == Nat.Result.DROPPED) {
                tap(now, p, from, to, Fate.NO_ROUTE);
                return;
            }
        }
        from = RawPacket.srcAddr(p, 0, p.length);
        to = RawPacket.dstAddr(p, 0, p.length);
        SimNode dest = p.length < 20 ? null : byAddress.get(to);
        if (dest == null) {
            tap(now, p, from, to, Fate.NO_ROUTE);
            return;
        }
        wire.carry(p, from, to, dest, now);
    }

    void enqueue(long at, byte[] p, IpAddress from, IpAddress to, SimNode dest) {
        inFlight.add(new Flight(at, nextSeq++, p, from, to, dest));
    }

    void tap(long time, byte[] p, IpAddress from, IpAddress to, Fate fate) {
        for (WireTap t : taps) t.onPacket(time, p, 0, p.length, from, to, fate);
    }
}
