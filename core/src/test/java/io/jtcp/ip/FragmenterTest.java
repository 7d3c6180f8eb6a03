package io.jtcp.ip;

import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jtcp.ip.Datagrams.*;
import static org.assertj.core.api.Assertions.assertThat;

class FragmenterTest {
    @Test
    void ipv4FragmentsCarryOffsetsInEightByteUnitsMfAndTheirOwnChecksum() {
        byte[] datagram = v4(0x4242, payload(3000, 1));
        List<byte[]> pieces = fragments(datagram, 1500, 0);

        assertThat(pieces).hasSize(3);
        int[] offsets = {0, 1480, 2960};
        int[] lengths = {1500, 1500, 60};
        for (int i = 0; i < 3; i++) {
            byte[] f = pieces.get(i);
            assertThat(f.length).isEqualTo(lengths[i]);
            assertThat(Bytes.u16(f, 2)).isEqualTo(lengths[i]);
            assertThat(Bytes.u16(f, 4)).isEqualTo(0x4242);
            assertThat(Bytes.u16(f, 6) & 0x1fff).isEqualTo(offsets[i] / 8);
            assertThat((Bytes.u16(f, 6) & 0x2000) != 0).isEqualTo(i < 2);
            assertThat(Checksum.ipv4Header(f, 0, 20)).isZero();
        }
    }

    @Test
    void ipv4WithDfIsNotFragmentedAndOneThatFitsGoesWhole() {
        byte[] df = v4(1, Checksum.PROTO_TCP, 0, true, new byte[0], payload(2000, 2));
        assertThat(Fragmenter.fragment4(df, 0, 1500, (b, o, l) -> { throw new AssertionError("sent"); })).isZero();

        byte[] small = v4(2, payload(100, 3));
        assertThat(fragments(small, 1500, 0)).singleElement().isEqualTo(small);
    }

    @Test
    void laterIpv4FragmentsKeepOnlyTheOptionsMarkedCopied() {
        // Record Route (7, not copied) of 7 bytes, then a copied option (0x94, router alert) of 4 bytes, then EOL
        byte[] options = {7, 7, 4, 0, 0, 0, 0, (byte) 0x94, 4, 0, 0, 0};
        byte[] datagram = v4(3, Checksum.PROTO_UDP, 0, false, options, payload(200, 4));
        List<byte[]> pieces = fragments(datagram, 120, 0);

        assertThat(pieces).hasSize(3);
        byte[] first = pieces.get(0), later = pieces.get(1);
        assertThat(java.util.Arrays.copyOfRange(first, 20, 32)).isEqualTo(options);
        assertThat(java.util.Arrays.copyOfRange(later, 20, 32)).isEqualTo(new byte[] {1, 1, 1, 1, 1, 1, 1, (byte) 0x94, 4, 0, 0, 0});
        assertThat(Checksum.ipv4Header(later, 0, 32)).isZero();
        assertThat(Bytes.u16(later, 6) & 0x1fff).isEqualTo(88 / 8); // 120 - 32 rounded down to 88
    }

    @Test
    void refragmentingANonLastFragmentAddsItsOffsetAndKeepsMfOnTheLastPiece() {
        byte[] fragment = v4(4, payload(400, 5));
        Bytes.put16(fragment, 6, 0x2000 | 1000 / 8);
        Bytes.put16(fragment, 10, 0);
        Bytes.put16(fragment, 10, Checksum.ipv4Header(fragment, 0, 20));
        List<byte[]> pieces = fragments(fragment, 220, 0);

        assertThat(pieces).hasSize(2);
        assertThat(Bytes.u16(pieces.get(0), 6)).isEqualTo(0x2000 | 1000 / 8);
        assertThat(Bytes.u16(pieces.get(1), 6)).isEqualTo(0x2000 | (1000 + 200) / 8);
    }

    @Test
    void ipv6FragmentsRepeatThePerFragmentHeadersAndNameTheFragmentHeader() {
        byte[] packet = v6(Checksum.PROTO_TCP, 0, true, payload(3000, 6));
        List<byte[]> pieces = fragments(packet, 1280, 0xdeadbeef);

        assertThat(pieces).hasSize(3);
        int chunk = (1280 - 48 - 8) & ~7; // 1224
        for (int i = 0; i < 3; i++) {
            byte[] f = pieces.get(i);
            assertThat(f.length).isLessThanOrEqualTo(1280);
            assertThat(f[6]).as("the IPv6 header still names hop-by-hop").isEqualTo((byte) 0);
            assertThat(f[40]).as("hop-by-hop names the fragment header").isEqualTo((byte) 44);
            assertThat(f[48]).as("the fragment header names TCP").isEqualTo((byte) Checksum.PROTO_TCP);
            assertThat(Bytes.u16(f, 4)).isEqualTo(f.length - 40);
            assertThat(Bytes.u16(f, 50) & 0xfff8).isEqualTo(i * chunk);
            assertThat(Bytes.u16(f, 50) & 1).isEqualTo(i < 2 ? 1 : 0);
            assertThat(Bytes.i32(f, 52)).isEqualTo(0xdeadbeef);
        }
        assertThat(pieces.get(0).length).isEqualTo(56 + chunk);
    }

    @Test
    void ipv6WithoutExtensionHeadersPutsTheFragmentHeaderAfterTheFixedHeader() {
        byte[] packet = v6(payload(2000, 7));
        List<byte[]> pieces = fragments(packet, 1280, 9);

        assertThat(pieces).hasSize(2);
        assertThat(pieces.get(0)[6]).isEqualTo((byte) 44);
        assertThat(pieces.get(0)[40]).isEqualTo((byte) Checksum.PROTO_UDP);
        assertThat(pieces.get(0).length).isEqualTo(48 + 1232);
        assertThat(pieces.get(1).length).isEqualTo(48 + 2000 - 1232);
    }
}
