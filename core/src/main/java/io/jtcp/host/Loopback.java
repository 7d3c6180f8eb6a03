package io.jtcp.host;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The host's loopback device: packets the stack sends to its own addresses wait here until
 * the stack's next turn takes them in, as Linux's lo hands them to the receive softirq
 * rather than to the sender's call stack. Unbounded, as lo's backlog is in practice: only the
 * host itself fills it, within one turn.
 */
final class Loopback {
    /** Receives one packet: its bytes (from index 0) and length. */
    interface Receiver {
        void receive(byte[] packet, int length);
    }

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();

    void add(byte[] packet, int offset, int length) {
        queue.add(Arrays.copyOfRange(packet, offset, offset + length));
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Hands every waiting packet to {@code into}, including those sent while it runs. */
    void drain(Receiver into) {
        for (byte[] p; (p = queue.poll()) != null; ) into.receive(p, p.length);
    }
}
