package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.TcpFlags;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.wire.Packets.withRawIpOptions;
import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SYNs no host could have sent, or that ask for a route back, get no SYN-ACK (which
 * would be retransmitted for a minute to a victim or into the void): Linux drops them
 * before TCP sees them.
 */
class MartiansTest {
    private final RawHost host = new RawHost(Sysctls.linux());

    @BeforeEach
    void listen() throws Exception {
        host.stack.listen(80, (c, now) -> new SocketHandler() {});
    }

    private byte[] synFrom(String source) {
        return seg().from(source, 40000).to(RawHost.ADDRESS, 80).syn().seq(1000).win(64240).encode();
    }

    @Test
    void anOrdinarySourceIsAnswered() {
        assertThat(host.receive(synFrom("10.0.0.1"), 0)).singleElement()
                .satisfies(s -> assertThat(s.flags).isEqualTo(TcpFlags.SYN | TcpFlags.ACK));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.9.9.9", "224.0.0.1", "239.255.255.255",
            "240.0.0.1", "255.255.255.255"})
    void aMartianSourceIsDropped(String source) {
        assertThat(host.receive(synFrom(source), 0)).isEmpty();
        assertThat(host.stack.connectionCount()).isZero();
        assertThat(host.stack.counters().drops(DropReason.IP_INVALID_SOURCE)).isEqualTo(1);
    }

    @Test
    void ourOwnAddressAsTheSourceIsALandAttackAndDropped() {
        assertThat(host.receive(synFrom(RawHost.ADDRESS), 0)).isEmpty();
        assertThat(host.stack.connectionCount()).isZero();
        assertThat(host.stack.counters().drops(DropReason.IP_LOCAL_SOURCE)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"255.255.255.255", "224.0.0.1", "10.0.0.255", "0.0.0.0"})
    void aDestinationThatIsNotOursGetsNoAnswer(String destination) {
        byte[] syn = seg().from("10.0.0.1", 40000).to(destination, 80).syn().seq(1000).encode();
        assertThat(host.receive(syn, 0)).isEmpty();
        byte[] ack = seg().from("10.0.0.1", 40000).to(destination, 81).seq(1000).ack(5).encode();
        assertThat(host.receive(ack, 0)).as("not even a RST").isEmpty();
        assertThat(host.stack.counters().drops(DropReason.IP_NOT_FOR_US)).isEqualTo(2);
    }

    @Test
    void aSourceRoutedSynIsDropped() {
        byte[] lsrr = withRawIpOptions(synFrom("10.0.0.1"), HexFormat.of().parseHex("01830704" + "0a000003"));
        assertThat(host.receive(lsrr, 0)).isEmpty();
        assertThat(host.stack.counters().drops(DropReason.IP_SOURCE_ROUTE)).isEqualTo(1);
    }

    @Test
    void aMalformedIpOptionDropsTheSyn() {
        byte[] bad = withRawIpOptions(synFrom("10.0.0.1"), HexFormat.of().parseHex("1e080000"));
        assertThat(host.receive(bad, 0)).isEmpty();
        assertThat(host.stack.counters().drops(DropReason.IP_BAD_OPTION)).isEqualTo(1);
    }
}
