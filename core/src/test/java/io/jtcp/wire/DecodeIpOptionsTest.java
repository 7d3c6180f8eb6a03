package io.jtcp.wire;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

import static io.jtcp.wire.Packets.withRawIpOptions;
import static io.jtcp.wire.Seg.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** IPv4 options as Linux receives them (ip_options_compile, ip_rcv_options with accept_source_route=0). */
class DecodeIpOptionsTest {
    private static DropReason decodeWith(String options) {
        byte[] p = withRawIpOptions(seg().from("10.0.0.1", 40000).to("10.0.0.2", 80).syn().seq(1).encode(),
                HexFormat.of().parseHex(options));
        return PacketCodec.decode(p, 0, p.length, new Segment());
    }

    @Test
    void wellFormedOptionsAreSkipped() {
        assertThat(decodeWith("01010100")).as("NOPs, EOL").isNull();
        assertThat(decodeWith("0107070400000000")).as("record route with room").isNull();
        assertThat(decodeWith("440c0500" + "0000000000000000")).as("timestamps only").isNull();
        assertThat(decodeWith("94040000")).as("router alert").isNull();
        assertThat(decodeWith("00ff01ff")).as("bytes after EOL are not read").isNull();
    }

    @Test
    void malformedOptionsDropThePacket() {
        String[] bad = {
            "01010101" + "01010183",  // a kind in the last byte, no room for its length
            "01011e01",               // length below 2
            "1e080000",               // running past the header
            "01070300",               // record route whose pointer points into its own header
            "01070200",               // record route of length 2, no room for its pointer
            "01070706" + "00000000",  // record route whose pointer leaves no room for an address
        };
        for (String options : bad) {
            assertThat(decodeWith(options)).as(options).isEqualTo(DropReason.IP_BAD_OPTION);
        }
        assertThat(decodeWith("44080500" + "00000000")).as("timestamp with room for one stamp").isNull();
        assertThat(decodeWith("44080400" + "00000000")).as("timestamp pointer below 5").isEqualTo(DropReason.IP_BAD_OPTION);
        assertThat(decodeWith("44080502" + "00000000")).as("timestamp flag 2 is undefined").isEqualTo(DropReason.IP_BAD_OPTION);
        assertThat(decodeWith("0107070400000000" + "0107070400000000")).as("record route twice").isEqualTo(DropReason.IP_BAD_OPTION);
    }

    @Test
    void sourceRoutesAreRefused() {
        assertThat(decodeWith("01830704" + "0a000003")).as("loose source route").isEqualTo(DropReason.IP_SOURCE_ROUTE);
        assertThat(decodeWith("01890704" + "0a000003")).as("strict source route").isEqualTo(DropReason.IP_SOURCE_ROUTE);
        assertThat(decodeWith("01830703" + "0a000003")).as("source route whose pointer is below 4").isEqualTo(DropReason.IP_BAD_OPTION);
        assertThat(decodeWith("830704" + "0a000003" + "830704" + "0a000003" + "0000"))
                .as("two source routes").isEqualTo(DropReason.IP_BAD_OPTION);
    }
}
