package io.jtcp.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.wire.Segment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void fileHeaderIsClassicLibpcapMicrosecondsRawIp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
        assertThat(b.remaining()).isEqualTo(24);
        assertThat(b.getInt()).isEqualTo(0xa1b2c3d4);
        assertThat(b.getShort()).isEqualTo((short) 2);
        assertThat(b.getShort()).isEqualTo((short) 4);
        assertThat(b.getInt()).isZero();
        assertThat(b.getInt()).isZero();
        assertThat(b.getInt()).isEqualTo(65535);
        assertThat(b.getInt()).isEqualTo(101);
    }

    @Test
    void oneRecordPerSentSegmentWithTheEventsTime() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Segment syn = Segments.syn();
        try (PcapWriter w = new PcapWriter(bytes)) {
            w.accept(SegmentEvent.sent(61_234_567_891L, "client", syn));
            w.accept(SegmentEvent.received(61_300_000_000L, "server", syn)); // the same packet, arriving: not again
            w.accept(new TraceEvent.UserEvent(0, "client", null, null, "close", null));
            assertThat(w.records()).isEqualTo(1);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
        b.position(24);
        assertThat(b.getInt()).isEqualTo(61);
        assertThat(b.getInt()).isEqualTo(234_567);
        int caplen = b.getInt();
        assertThat(b.getInt()).isEqualTo(caplen);
        assertThat(caplen).isEqualTo(io.jtcp.wire.PacketCodec.encodedLength(syn));
        assertThat(b.remaining()).isEqualTo(caplen);
        assertThat(b.get(b.position()) >>> 4).isEqualTo(4); // the record starts with the IPv4 header
    }
}
