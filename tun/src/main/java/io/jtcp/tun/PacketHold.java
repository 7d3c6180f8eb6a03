package io.jtcp.tun;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A gate on one direction of a {@link TunLink}: from the first packet {@code from} picks,
 * that packet and every later one in the same direction are held, in order, until
 * {@link #release()} lets them go on. Tests and kernel stories use it to keep a state that
 * would otherwise last only a round trip or a timer (the kernel in CLOSING, say) until
 * they have looked at it, instead of hoping a look lands inside it.
 *
 * <p>Holding every packet after the first, not just the ones the filter picks, keeps the
 * direction's order: nothing overtakes what is held. Release and the link's own path take
 * the same lock, so a packet that arrives during a release goes on after the held ones.
 */
public final class PacketHold {
    private final PacketFilter from;
    private final Consumer<byte[]> onward;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean holding, released;
    private int heldTotal;

    PacketHold(PacketFilter from, Consumer<byte[]> onward) {
        this.from = Objects.requireNonNull(from);
        this.onward = Objects.requireNonNull(onward);
    }

    /** The link's path: true if the packet is now held here and must not go on. */
    synchronized boolean hold(byte[] packet, int offset, int length) {
        if (released) return false;
        if (!holding && !from.drop(packet, offset, length)) return false;
        holding = true;
        held.add(Arrays.copyOfRange(packet, offset, offset + length));
        heldTotal++;
        return true;
    }

    /** How many packets this gate has held so far, released ones included. */
    public synchronized int heldTotal() { return heldTotal; }

    /** Lets every held packet go on, oldest first, and holds nothing from now on; returns how many went. */
    public synchronized int release() {
        released = true;
        int n = held.size();
        for (byte[] p; (p = held.poll()) != null; ) onward.accept(p);
        return n;
    }

    synchronized boolean released() { return released; }
}
