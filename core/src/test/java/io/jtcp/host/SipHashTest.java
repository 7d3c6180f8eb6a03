package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the reference vectors of Aumasson and Bernstein's paper (key 00..0f, message 00 01 02 ...). */
class SipHashTest {
    private static final long K0 = 0x0706050403020100L, K1 = 0x0f0e0d0c0b0a0908L;
    private final SipHash h = new SipHash(K0, K1);

    @Test
    void referenceVectors() {
        assertThat(h.hash(K0)).as("8 bytes").isEqualTo(0x93f5f5799a932462L);
        assertThat(h.hash(K0, K1)).as("16 bytes").isEqualTo(0x3f2acc7f57c29bdbL);
    }

    @Test
    void anIpv4PairIsOneWordAndAnIpv6PairFour() {
        IpAddress a4 = IpAddress.parse("10.0.0.2"), b4 = IpAddress.parse("192.0.2.7");
        assertThat(h.hash(a4, b4, 99)).isEqualTo(h.hash((long) a4.v4() << 32 | (b4.v4() & 0xFFFFFFFFL), 99));
        IpAddress a6 = IpAddress.parse("fd77::2"), b6 = IpAddress.parse("2001:db8::7");
        assertThat(h.hash(a6, b6, 99)).isNotEqualTo(h.hash(a6.hi(), a6.lo(), b6.hi(), b6.lo()))
                .isNotEqualTo(h.hash(b6, a6, 99));
    }
}
