package io.jtcp.link;

/**
 * A real-time link that the stack's own thread reads: instead of parking while a reader
 * thread of the link's queues packets for it, the stack's loop waits in the link
 * ({@link #poll}) for packets or a wake-up, and the link hands it every packet that is
 * ready, on that thread, from a buffer it reuses: no copy into a fresh array, no queue
 * node, no hand-off between threads. Packets the link must hand over from elsewhere (a
 * delay line, a test's injection) still go to the attached {@link PacketReceiver}.
 */
public interface PolledLink extends RealTimeLink {
    /** Where {@link #poll} hands each packet: borrowed, the link's again when the call returns. */
    @FunctionalInterface
    interface Input {
        /** @param checksumTrusted as in {@link PacketReceiver#packetArrives(byte[], int, int, long, boolean)} */
        void packetArrives(byte[] packet, int offset, int length, boolean checksumTrusted);
    }

    /** How many packets one {@link #poll} hands over at most, so that tasks and timers keep their turn. */
    int BATCH = 256;

    /**
     * The stack's thread: waits at most {@code timeoutNanos} (0: not at all; negative: no
     * limit) until a packet is ready or {@link #wakeUp} is called, then hands {@code to}
     * every ready packet, up to {@link #BATCH}. Returns true when it stopped at the batch's
     * end (more may be ready).
     */
    boolean poll(Input to, long timeoutNanos);

    /** Any thread: ends the current or the next {@link #poll}'s wait. */
    void wakeUp();

    /**
     * During a {@link #poll} hand-over of a packet with {@code checksumTrusted}: makes the
     * transport checksum of {@code copy} (that packet's bytes, copied to offset 0) whole where
     * the link vouched for a partial one, for a receiver that will verify it (a packet steered
     * to another stack, which hears no vouching). Links that never hand a partial checksum
     * need not override this.
     */
    default void completeChecksum(byte[] copy, int length) { }
}
