package io.jtcp.observe;

import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.wire.PacketCodec;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a trace's segments as a classic libpcap capture that Wireshark, tshark and
 * tcpdump open as they are: magic {@code 0xa1b2c3d4} (microsecond timestamps),
 * version 2.4, snaplen 65535, big-endian.
 *
 * <p><b>Link type {@link #LINKTYPE_RAW} (101).</b> Each record is a bare IPv4 packet with
 * no link-layer header. Of the two link types that say so, 101 ("raw IP", the
 * version nibble tells IPv4 from IPv6) is the one every reader knows: libpcap and
 * tcpdump since the 1990s, Wireshark/tshark (as "Raw IP"), scapy, dpkt. 228
 * ({@code LINKTYPE_IPV4}) is newer and some tools still refuse it; jtcp only ever
 * writes IPv4, so 101 loses nothing.
 *
 * <p><b>One record per segment, when it is sent.</b> Only {@code "out"} segment events
 * are written: that is the wire as a capture between the two hosts shows it, each
 * packet once, including those the link then lost (a tap sits before the loss).
 * Writing the {@code "in"} events too would show every delivered packet twice.
 * State, drop and user events have no packet and are skipped.
 *
 * <p>Packets are re-encoded with {@link PacketCodec#encode}, so their IPv4 and TCP
 * checksums are valid; timestamps are the events' own (virtual or real nanoseconds),
 * truncated to the microsecond. Call {@link #flush} or {@link #close} when done;
 * {@link #accept} reports I/O errors as {@link UncheckedIOException}.
 */
public final class PcapWriter implements TraceSink, Flushable, Closeable {
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    public static final int VERSION_MAJOR = 2, VERSION_MINOR = 4;
    public static final int SNAPLEN = 65535;
    /** Raw IP: the record is the IP packet itself. */
    public static final int LINKTYPE_RAW = 101;
    static final int FILE_HEADER_LENGTH = 24, RECORD_HEADER_LENGTH = 16;

    private final OutputStream out;
    private final byte[] buf = new byte[RECORD_HEADER_LENGTH + PacketCodec.MAX_PACKET_LENGTH];
    private int records;

    /** Starts a capture on {@code out} and writes the file header at once. */
    public PcapWriter(OutputStream out) {
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(Objects.requireNonNull(out, "out"));
        put32(buf, 0, MAGIC_MICROS);
        put16(buf, 4, VERSION_MAJOR);
        put16(buf, 6, VERSION_MINOR);
        put32(buf, 8, 0);  // thiszone: timestamps are UTC (or virtual time from 0)
        put32(buf, 12, 0); // sigfigs
        put32(buf, 16, SNAPLEN);
        put32(buf, 20, LINKTYPE_RAW);
        write(buf, FILE_HEADER_LENGTH);
    }

    /** A capture written to {@code file} (created or truncated). */
    public static PcapWriter create(Path file) throws IOException {
        return new PcapWriter(Files.newOutputStream(file));
    }

    @Override
    public void accept(TraceEvent event) {
        if (!(event instanceof SegmentEvent s) || !SegmentEvent.OUT.equals(s.dir())) return;
        int len = PacketCodec.encode(s.segment(), buf, RECORD_HEADER_LENGTH);
        long micros = Math.max(0, event.timeNanos()) / 1_000L;
        put32(buf, 0, (int) (micros / 1_000_000L)); // unsigned 32-bit seconds: fine until 2106
        put32(buf, 4, (int) (micros % 1_000_000L));
        put32(buf, 8, Math.min(len, SNAPLEN)); // never more: encode refuses packets over 65535
        put32(buf, 12, len);
        write(buf, RECORD_HEADER_LENGTH + len);
        records++;
    }

    /** Packets written so far. */
    public int records() {
        return records;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void write(byte[] b, int len) {
        try {
            out.write(b, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}
