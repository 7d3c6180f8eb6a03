package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.wire.Packets.withRawTcpOptions;
import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** A SYN whose options are malformed still opens a connection, as it does on Linux (tcp_parse_options). */
class MalformedOptionsAnsweredTest {
    private static List<Segment> synWithOptions(String hex) throws Exception {
        RawHost host = new RawHost(Sysctls.linux());
        host.stack.listen(80, (c, now) -> new SocketHandler() {});
        Segment syn = seg().from("10.0.0.1", 40000).to(RawHost.ADDRESS, 80).syn().seq(1000).win(64240).build();
        return host.receive(withRawTcpOptions(syn, HexFormat.of().parseHex(hex)), 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "02000000",         // MSS of length 0
        "02010000",         // MSS of length 1
        "0203ff00",         // MSS of length 3
        "03020000",         // window scale of length 2
        "020405b41e0a0000", // an option running past the header
    })
    void theSynIsAnsweredWithASynAck(String options) throws Exception {
        List<Segment> answer = synWithOptions(options);
        assertThat(answer).hasSize(1);
        assertThat(answer.getFirst().flags).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
        assertThat(answer.getFirst().ack).isEqualTo(1001);
    }

    @Test
    void theOptionsReadBeforeTheMalformedOneCount() throws Exception {
        // Window scale 7 and SACK-permitted, then an option running past the header.
        Segment synAck = synWithOptions("01030307" + "01010402" + "1e0a0000").getFirst();
        assertThat(synAck.windowScale).as("window scale offered back").isGreaterThanOrEqualTo(0);
        assertThat(synAck.sackPermitted).isTrue();
    }
}
