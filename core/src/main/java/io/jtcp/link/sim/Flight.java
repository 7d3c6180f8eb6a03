package io.jtcp.link.sim;

import io.jtcp.wire.IpAddress;

/**
 * A packet on the wire, due at {@code time}. {@code seq} is the order it was put on the
 * wire, the tiebreak that makes same-instant arrivals FIFO and the run reproducible.
 * {@code dest} is null for injected packets, which are routed when they land.
 */
record Flight(long time, long seq, byte[] bytes, IpAddress from, IpAddress to, SimNode dest) implements Comparable<Flight> {
    boolean injected() {
        return dest == null;
    }

    @Override
    public int compareTo(Flight o) {
        int c = Long.compare(time, o.time);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
