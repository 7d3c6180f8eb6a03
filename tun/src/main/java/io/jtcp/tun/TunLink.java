package io.jtcp.tun;

import io.jtcp.link.PacketReceiver;
import io.jtcp.link.PacketSink;
import io.jtcp.link.PolledLink;
import io.jtcp.wire.IpAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link PolledLink} over a {@link TunDevice} (or one queue of a multi-queue one): one
 * stack attaches, at each of its addresses, and its loop's thread does all the device's I/O.
 * The loop waits in {@link #poll}, in ppoll(2) on the device and a {@link Wakeup} that other
 * threads signal when they queue work for the loop, then reads every packet that is ready
 * into one reused array and hands the IPv4 and IPv6 ones to the stack there and then: no
 * reader thread, no copy into a fresh array, no queue between. What the stack sends is
 * written on the same thread. Anything that is neither IPv4 nor IPv6 is counted in
 * {@link #notIp()} and dropped; the stack judges the rest (the kernel's IPv6 router
 * solicitations, to a multicast group jtcp is not in, are its drops). Packets that reach the
 * stack from elsewhere (injected, released by a hold or the delay line) are copies and go to
 * the attached {@link PacketReceiver}, the loop's queue.
 *
 * <p>With the device's offloads ({@link TunDevice#offloads()}) the kernel's TCP
 * super-segments reach the stack whole, their checksums taken on the kernel's word, and the
 * stack's segments of one flow in one loop turn leave as one TSO frame
 * ({@link SegmentCoalescer}), sent at the latest when the loop calls {@link #flush()};
 * {@link #superSegmentsRead()}, {@link #superSegmentsWritten()} and
 * {@link #segmentsGlued()} count them.
 *
 * <p>Fault hooks for tests: {@link #dropIncoming} and {@link #dropOutgoing} take a
 * {@link PacketFilter} each; {@link #holdIncoming} gates arriving packets until released.
 * A packet a drop filter picks is dropped before any hold sees it. {@link #inject} hands the
 * stack a packet of the test's making.
 *
 * <p>{@link #impair} delays, jitters and loses packets in both directions (see
 * {@link LinkImpairment}) after the drop filters: decisions on the thread that carries the
 * packet, held packets in a {@link DelayLine} whose own thread releases them, so the stack
 * never waits. Unimpaired, packets take the path they always did.
 */
public final class TunLink implements PolledLink, AutoCloseable {
    private final TunDevice device;
    private final Wakeup wakeup;
    /** Where {@link #poll} puts each packet: the loop's thread's, reused. */
    private final byte[] in = new byte[TunDevice.MAX_FRAME];
    private volatile PacketReceiver receiver;
    private final java.util.Set<IpAddress> addresses = new java.util.LinkedHashSet<>();
    private volatile PacketFilter dropIn = PacketFilter.NONE;
    private volatile PacketFilter dropOut = PacketFilter.NONE;
    private volatile PacketHold holdIn;
    private volatile boolean stopping;
    private final LongAdder received = new LongAdder(), notIp = new LongAdder(),
            faultDroppedIn = new LongAdder(), faultDroppedOut = new LongAdder(),
            injected = new LongAdder(), superSegmentsRead = new LongAdder(), checksumsTrusted = new LongAdder();
    /** Builds every frame written, on whichever thread holds {@link #writeLock}. */
    private final SegmentCoalescer coalescer;
    /** Both directions' decisions and the line holding their delayed packets; null when unimpaired. */
    private volatile Impairment impairment;
    /** Writes come from the stack's thread and, when impaired, the delay line's: the device takes one at a time. */
    private final Object writeLock = new Object();

    private record Impairment(ImpairedDirection toStack, ImpairedDirection toDevice, DelayLine line) {}

    /** One direction's impairment counters, for the impairment in place when they were read. */
    public record ImpairmentCounts(long passed, long lostAtRandom, long lostInBursts, long bursts, long overflow) {
        public long lost() { return lostAtRandom + lostInBursts + overflow; }
    }

    /** Each direction may hold this many bytes of delayed packets; more are dropped (netem's limit). */
    static final long DELAY_LIMIT_BYTES = 64L << 20;

    public TunLink(TunDevice device) throws NativeException {
        this.device = Objects.requireNonNull(device);
        TunOffloads o = device.offloads();
        if (o.uso()) {
            throw new IllegalArgumentException("UDP segmentation offload agreed on " + device.name()
                    + ": the kernel would hand us UDP super-datagrams, which nothing splits; open it with TunOffloads.TCP");
        }
        this.wakeup = new Wakeup();
        this.coalescer = new SegmentCoalescer(device.writeBuffer(), o.vnetHeader(), o.checksum(), device::writeFrame);
    }

    /** With checksum offload agreed the kernel completes our TCP checksums: the stack leaves them out. */
    @Override
    public boolean completesTcpChecksums() {
        return device.offloads().checksum();
    }

    /** The end of the stack's turn: the held super-segment goes out. */
    @Override
    public void flush() {
        try {
            synchronized (writeLock) {
                coalescer.flush();
            }
        } catch (NativeException e) {
            if (!stopping) throw new IllegalStateException(e);
        }
    }

    public TunDevice device() { return device; }

    @Override
    public synchronized PacketSink attach(IpAddress address, PacketReceiver receiver) {
        if (this.receiver != null && this.receiver != receiver) {
            throw new IllegalStateException("a TUN link carries one stack, already the one at " + addresses);
        }
        addresses.add(address);
        if (this.receiver == null) this.receiver = Objects.requireNonNull(receiver);
        return this::send;
    }

    /** The stack lets go of one address; with its last, what it held back goes out. */
    @Override
    public void detach(IpAddress address) {
        boolean last;
        synchronized (this) {
            addresses.remove(address);
            last = addresses.isEmpty();
        }
        if (last) flush();
    }

    /** The same impairment both ways: data one way and its ACKs the other meet the same path. */
    public void impair(LinkImpairment both, long seed) {
        impair(both, both, seed);
    }

    /**
     * Impairs packets from the kernel to the stack by {@code toStack} and packets from the
     * stack to the kernel by {@code toDevice}, each direction with its own generator drawn
     * from {@code seed}. Replaces any impairment in place; packets it still held are lost.
     * {@link LinkImpairment#NONE} both ways (or {@link #unimpair()}) restores the plain path.
     */
    public void impair(LinkImpairment toStack, LinkImpairment toDevice, long seed) {
        Impairment next = null;
        if (!toStack.isNone() || !toDevice.isNone()) {
            java.util.SplittableRandom seeds = new java.util.SplittableRandom(seed);
            DelayLine line = new DelayLine(this::deliverHeld, this::write, DELAY_LIMIT_BYTES);
            next = new Impairment(new ImpairedDirection(toStack, seeds.nextLong()), new ImpairedDirection(toDevice, seeds.nextLong()), line);
            if (toStack.delays() || toDevice.delays()) line.start("jtcp-tun-delay-" + device.name());
        }
        Impairment previous;
        synchronized (this) {
            previous = impairment;
            impairment = next;
        }
        if (previous != null) previous.line().close();
    }

    /** Back to the plain path; packets still held are lost. */
    public void unimpair() {
        impair(LinkImpairment.NONE, LinkImpairment.NONE, 0);
    }

    /** Counters of the impairment in place on packets towards the stack; zeros when unimpaired. */
    public ImpairmentCounts impairedToStack() {
        Impairment i = impairment;
        return i == null ? new ImpairmentCounts(0, 0, 0, 0, 0) : counts(i.toStack(), i.line().toStack());
    }

    /** Counters of the impairment in place on packets towards the kernel; zeros when unimpaired. */
    public ImpairmentCounts impairedToDevice() {
        Impairment i = impairment;
        return i == null ? new ImpairmentCounts(0, 0, 0, 0, 0) : counts(i.toDevice(), i.line().toDevice());
    }

    private static ImpairmentCounts counts(ImpairedDirection d, DelayLine.Fifo f) {
        return new ImpairmentCounts(d.passed(), d.lostAtRandom(), d.lostInBursts(), d.bursts(), f.overflow());
    }

    /** Drops arriving packets the filter picks, before the stack sees them. */
    public void dropIncoming(PacketFilter f) { this.dropIn = f == null ? PacketFilter.NONE : f; }

    /** Drops the stack's packets the filter picks, before the kernel sees them. */
    public void dropOutgoing(PacketFilter f) { this.dropOut = f == null ? PacketFilter.NONE : f; }

    /**
     * Holds the first arriving packet {@code from} picks, and every one after it, until the
     * returned gate is released: the stack sees none of them until then. One hold at a time.
     */
    public PacketHold holdIncoming(PacketFilter from) {
        synchronized (this) {
            if (holdIn != null && !holdIn.released()) throw new IllegalStateException("an incoming hold is already in place");
            PacketHold h = new PacketHold(from, p -> receiver.packetArrives(p, 0, p.length, 0));
            holdIn = h;
            return h;
        }
    }

    /**
     * Hands the stack a packet as if the device had delivered it: what a router on a longer
     * path would send (a test's "fragmentation needed", say), which the kernel at the other
     * end of a point-to-point device cannot. Any thread; the packet is copied.
     */
    public void inject(byte[] packet, int offset, int length) {
        PacketReceiver r = receiver;
        if (r == null) throw new IllegalStateException("no stack is attached to " + device.name());
        injected.increment();
        r.packetArrives(java.util.Arrays.copyOfRange(packet, offset, offset + length), 0, length, 0);
    }

    /** Packets read from the device (a super-segment counts once). */
    public long received() { return received.sum(); }
    /** TCP super-segments (gso_type TCPV4/TCPV6) the kernel handed us, each given to the stack whole. */
    public long superSegmentsRead() { return superSegmentsRead.sum(); }
    /** Packets the kernel marked DATA_VALID or NEEDS_CSUM, whose checksum the stack did not verify. */
    public long checksumsTrusted() { return checksumsTrusted.sum(); }
    /** Packets handed to the stack by {@link #inject}. */
    public long injected() { return injected.sum(); }
    /** The stack's packets written to the device, glued into super-segments or not. */
    public long sent() {
        synchronized (writeLock) {
            return coalescer.packetsWritten();
        }
    }
    /** Super-segments (frames of two segments or more) written. */
    public long superSegmentsWritten() {
        synchronized (writeLock) {
            return coalescer.superSegments();
        }
    }
    /** The stack's segments that went out inside super-segments. */
    public long segmentsGlued() {
        synchronized (writeLock) {
            return coalescer.segmentsGlued();
        }
    }
    /** Packets read from the device that were neither IPv4 nor IPv6, dropped. */
    public long notIp() { return notIp.sum(); }
    public long faultDroppedIn() { return faultDroppedIn.sum(); }
    public long faultDroppedOut() { return faultDroppedOut.sum(); }
    /** Packets the device refused, lost like on a wire: its queue full (EAGAIN) or the interface down (EIO). */
    public long queueFull() {
        synchronized (writeLock) {
            return coalescer.packetsRefused();
        }
    }
    private void send(byte[] packet, int offset, int length) {
        if (dropOut.drop(packet, offset, length)) {
            faultDroppedOut.increment();
            return;
        }
        Impairment imp = impairment;
        if (imp != null) {
            long at = imp.toDevice().releaseAt(System.nanoTime());
            if (at == ImpairedDirection.LOST) return;
            if (imp.toDevice().params().delays()) {
                // The stack reuses its buffer once this returns: the line keeps a copy.
                imp.line().offer(imp.line().toDevice(), at, java.util.Arrays.copyOfRange(packet, offset, offset + length), length);
                return;
            }
        }
        write(packet, offset, length);
    }

    /** The stack's packet, to be glued to what is held or written (a lost frame counts in {@link #queueFull}). */
    private void write(byte[] packet, int offset, int length) {
        try {
            synchronized (writeLock) {
                coalescer.add(packet, offset, length);
            }
        } catch (NativeException e) {
            if (!stopping) throw new IllegalStateException(e);
        }
    }

    /** A packet the delay line releases, on its own thread: out at once, after anything held. */
    private void write(byte[] packet, int length) {
        try {
            synchronized (writeLock) {
                coalescer.add(packet, 0, length);
                coalescer.flush();
            }
        } catch (NativeException e) {
            if (!stopping) throw new IllegalStateException(e);
        }
    }

    @Override
    public void wakeUp() {
        wakeup.signal();
    }

    /**
     * Waits for the device or a wake-up, then reads every frame that is ready, up to
     * {@link #BATCH}. A TCP super-segment the kernel made (TSO towards a device that
     * announced it, gso_type TCPV4/TCPV6) goes to the stack whole, as Linux's GRO hands its
     * TCP one large skb: the engine takes any in-window segment whatever its size and
     * measures the peer's MSS by the largest it sees, capped at the advertised one
     * (AckPolicy), so cutting it up here would only multiply the per-packet work. Each packet
     * is copied once, from the device's native buffer into {@link #in}, which the stack only
     * borrows; the paths that keep a packet (a hold, the delay line) take their own copy.
     */
    @Override
    public boolean poll(Input to, long timeoutNanos) {
        if (stopping) return false;
        try {
            if (timeoutNanos != 0 && !device.awaitReadable(timeoutNanos, wakeup)) return false;
            MemorySegment frame = device.readBuffer();
            int header = device.headerSize();
            for (int handed = 0; handed < BATCH; handed++) {
                int n = device.readFrame();
                if (n == 0) return false;
                int len = n - header;
                if (len <= 0) continue;
                int version = (frame.get(ValueLayout.JAVA_BYTE, header) & 0xf0) >>> 4;
                if (version != 4 && version != 6) {
                    notIp.increment();
                    continue;
                }
                received.increment();
                boolean trusted = false;
                if (header != 0) {
                    trusted = VnetHeader.checksumTrusted(frame);
                    if (trusted) checksumsTrusted.increment();
                    if ((VnetHeader.gsoType(frame) & ~VnetHeader.GSO_ECN) != VnetHeader.GSO_NONE) superSegmentsRead.increment();
                }
                MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, header, in, 0, len);
                arrived(to, len, trusted);
            }
            return true;
        } catch (NativeException e) {
            // The device was closed under a loop still running (its host closed first): nothing more comes.
            if (stopping) return false;
            throw new IllegalStateException(e);
        }
    }

    /** One packet in {@link #in}: the drop filter, then the impairment or a hold, else straight to the stack. */
    private void arrived(Input to, int len, boolean trusted) {
        Impairment imp = impairment;
        PacketHold hold = holdIn;
        if (trusted && (imp != null || hold != null)) {
            // Delayed or held packets reach the stack without the header's word:
            // finish a partial checksum so that they verify like any other.
            completeChecksum(in, len);
        }
        if (dropIn.drop(in, 0, len)) {
            faultDroppedIn.increment();
            return;
        }
        if (imp != null) {
            long at = imp.toStack().releaseAt(System.nanoTime());
            if (at == ImpairedDirection.LOST) return;
            if (imp.toStack().params().delays()) {
                imp.line().offer(imp.line().toStack(), at, java.util.Arrays.copyOf(in, len), len);
                return;
            }
        }
        if (hold != null) {
            // Once a test has held this direction, packets take the loop's queue as the ones it
            // releases do, so none overtakes them (the hold keeps its own copies).
            if (!hold.hold(in, 0, len)) receiver.packetArrives(java.util.Arrays.copyOf(in, len), 0, len, 0, trusted);
            return;
        }
        to.packetArrives(in, 0, len, trusted);
    }

    /** The frame being handed over vouched for a partial checksum: finish it in {@code copy}. */
    @Override
    public void completeChecksum(byte[] copy, int length) {
        VnetHeader.completeChecksum(device.readBuffer(), copy, length);
    }

    /** A packet the delay line releases is already its own copy: the stack may keep it. */
    private void deliverHeld(byte[] packet, int n) {
        PacketHold hold = holdIn;
        if (hold != null && hold.hold(packet, 0, n)) return;
        receiver.packetArrives(packet, 0, n, 0);
    }

    /** Closes the device and the wake-up; a loop still polling finds nothing more to read. */
    @Override
    public void close() {
        stopping = true;
        Impairment imp = impairment;
        if (imp != null) imp.line().close();
        wakeup.signal();
        device.close();
        wakeup.close();
    }
}
