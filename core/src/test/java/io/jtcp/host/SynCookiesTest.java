package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.CookieHandshake;
import io.jtcp.tcp.SocketOptions;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cookie (SynCookies) and the options riding in the TSval (CookieHandshake), round trip by round trip. */
class SynCookiesTest {
    static final IpAddress LOCAL = IpAddress.parse("10.0.0.2"), REMOTE = IpAddress.parse("192.0.2.7");
    static final long SLOT = SynCookies.SLOT_NANOS;
    private final SynCookies cookies = new SynCookies(new SipHash(1, 2), new SipHash(3, 4));
    private final Sysctls linux = Sysctls.linux();

    @Test
    void mssTablePicksTheLargestValueNotAboveTheClientsMss() {
        assertThat(SynCookies.MSS_TABLE).isSorted().hasSize(8);
        assertThat(SynCookies.MSS_TABLE[SynCookies.mssIndex(1460)]).isEqualTo(1460);
        assertThat(SynCookies.MSS_TABLE[SynCookies.mssIndex(1459)]).isEqualTo(1452);
        assertThat(SynCookies.MSS_TABLE[SynCookies.mssIndex(1380)]).isEqualTo(1300);
        assertThat(SynCookies.MSS_TABLE[SynCookies.mssIndex(536)]).isEqualTo(536);
        assertThat(SynCookies.MSS_TABLE[SynCookies.mssIndex(65495)]).isEqualTo(8960);
        for (int mss = 536; mss <= 65535; mss++) {
            int chosen = SynCookies.MSS_TABLE[SynCookies.mssIndex(mss)];
            assertThat(chosen).isLessThanOrEqualTo(mss);
            int i = SynCookies.mssIndex(mss);
            if (i + 1 < SynCookies.MSS_TABLE.length) assertThat(SynCookies.MSS_TABLE[i + 1]).isGreaterThan(mss);
        }
        // Below the table (a client announcing less than 536): index 0, as Linux's loop ends there.
        assertThat(SynCookies.mssIndex(100)).isZero();
    }

    @Test
    void everyMssIndexRoundTrips() {
        long now = 5 * SLOT + 123;
        for (int i = 0; i < SynCookies.MSS_TABLE.length; i++) {
            int c = cookies.make(LOCAL, 80, REMOTE, 40000, 0x12345678, i, now);
            assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 0x12345678, now)).isEqualTo(i);
        }
    }

    @Test
    void aCookieIsGoodForTwoSlotsOnly() {
        long made = 10 * SLOT + SLOT - 1; // the last nanosecond of slot 10
        int c = cookies.make(LOCAL, 80, REMOTE, 40000, 777, 6, made);
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 777, made)).isEqualTo(6);
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 777, 11 * SLOT)).as("next slot").isEqualTo(6);
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 777, 12 * SLOT)).as("two slots on").isEqualTo(-1);
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 777, 300 * SLOT)).as("much later").isEqualTo(-1);
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 777, 9 * SLOT)).as("from the future").isEqualTo(-1);
    }

    @Test
    void tamperedCookiesAndOtherTuplesAreRejected() {
        long now = 3 * SLOT;
        int c = cookies.make(LOCAL, 80, REMOTE, 40000, 1000, 6, now);
        // As in Linux, the MSS index is added under the hash, not authenticated by it: flipping one of the
        // low 3 bits yields another index, so someone who saw the cookie could change only the MSS it names.
        for (int bit = 0; bit < 3; bit++) {
            assertThat(cookies.check(c ^ (1 << bit), LOCAL, 80, REMOTE, 40000, 1000, now)).as("bit " + bit).isNotEqualTo(6);
        }
        for (int bit = 3; bit < 32; bit++) {
            assertThat(cookies.check(c ^ (1 << bit), LOCAL, 80, REMOTE, 40000, 1000, now)).as("bit " + bit).isEqualTo(-1);
        }
        assertThat(cookies.check(c + 8, LOCAL, 80, REMOTE, 40000, 1000, now)).isEqualTo(-1);
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40001, 1000, now)).as("other port").isEqualTo(-1);
        assertThat(cookies.check(c, LOCAL, 80, IpAddress.v4(REMOTE.v4() + 1), 40000, 1000, now)).as("other address").isEqualTo(-1);
        // The SYN's sequence number is added in too (Linux's sseq), so it shifts the cookie like tampering does.
        assertThat(cookies.check(c, LOCAL, 80, REMOTE, 40000, 1000 + 4096, now)).as("other SYN sequence").isEqualTo(-1);
        SynCookies otherSecret = new SynCookies(new SipHash(1, 2), new SipHash(3, 5));
        assertThat(otherSecret.check(c, LOCAL, 80, REMOTE, 40000, 1000, now)).as("other key").isEqualTo(-1);
    }

    @Test
    void randomGuessesAlmostNeverPass() {
        long now = 3 * SLOT;
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        int passed = 0;
        for (int i = 0; i < 200_000; i++) {
            if (cookies.check(r.nextInt(), LOCAL, 80, REMOTE, 40000, 1000, now) >= 0) passed++;
        }
        // Expected 200,000 * 2 slots * 8 / 2^32 ≈ 0.75.
        assertThat(passed).isLessThanOrEqualTo(5);
    }

    @Test
    void windowScaleSackAndEcnTravelInTheTimestamp() {
        Segment syn = syn(7, true, true);
        Segment synAck = new Segment();
        long now = 123_456_789_000L;
        CookieHandshake.synAck(linux, new SocketOptions(linux), syn, 0xCAFEBABE, 1000, now, synAck);
        assertThat(synAck.flags).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
        assertThat(synAck.seq).isEqualTo(0xCAFEBABE);
        assertThat(synAck.ack).isEqualTo(syn.seq + 1);
        assertThat(synAck.mss).isEqualTo(1460);
        assertThat(synAck.windowScale).isEqualTo(10);
        assertThat(synAck.sackPermitted).isTrue();
        assertThat(synAck.tsEcr).isEqualTo(syn.tsVal);
        int tsNow = (int) (now / 1_000_000) + 1000;
        assertThat(Integer.compareUnsigned(synAck.tsVal, tsNow)).as("never ahead of the clock").isLessThanOrEqualTo(0);
        assertThat(tsNow - synAck.tsVal).isLessThan(64);

        CookieHandshake.Terms t = CookieHandshake.termsFromAck(linux, ack(synAck), 1460);
        assertThat(t).isEqualTo(new CookieHandshake.Terms(1460, 7, true, true, false));

        // Every combination: wscale 0..14 or none, SACK on or off.
        for (int ws = -1; ws <= 14; ws++) {
            for (boolean sack : new boolean[] {false, true}) {
                CookieHandshake.synAck(linux, new SocketOptions(linux), syn(ws, sack, true), 1, 0, now + ws, synAck);
                assertThat(synAck.windowScale >= 0).isEqualTo(ws >= 0);
                assertThat(CookieHandshake.termsFromAck(linux, ack(synAck), 536))
                        .isEqualTo(new CookieHandshake.Terms(536, ws, sack, true, false));
            }
        }
        // The ECN bit (Linux's TS_OPT_ECN) decodes though the engine never sets it.
        Segment ecnAck = ack(synAck);
        ecnAck.tsEcr |= 1 << 5;
        assertThat(CookieHandshake.termsFromAck(linux, ecnAck, 536).ecn()).isTrue();
    }

    @Test
    void withoutTimestampsOnlyTheMssSurvives() {
        Segment synAck = new Segment();
        CookieHandshake.synAck(linux, new SocketOptions(linux), syn(7, true, false), 1, 0, 0, synAck);
        assertThat(synAck.hasTimestamps).isFalse();
        // Linux's tcp_conn_request clears the SYN's options: a SYN-ACK offering what the cookie cannot
        // remember would leave the peer scaling windows we read unscaled.
        assertThat(synAck.windowScale).as("no window scale offered").isEqualTo(-1);
        assertThat(synAck.sackPermitted).as("no SACK offered").isFalse();
        assertThat(synAck.window).as("44 segments of 1460, unscaled").isEqualTo(64240);
        assertThat(synAck.mss).isEqualTo(1460);
        assertThat(CookieHandshake.termsFromAck(linux, ack(synAck), 1400))
                .isEqualTo(new CookieHandshake.Terms(1400, -1, false, false, false));
    }

    @Test
    void optionsTheSysctlsNoLongerAllowInvalidateTheAck() {
        Segment synAck = new Segment();
        CookieHandshake.synAck(linux, new SocketOptions(linux), syn(7, true, true), 1, 0, 0, synAck);
        assertThat(CookieHandshake.termsFromAck(linux.set("tcp_sack", "0"), ack(synAck), 536)).isNull();
        assertThat(CookieHandshake.termsFromAck(linux.set("tcp_window_scaling", "0"), ack(synAck), 536)).isNull();
        assertThat(CookieHandshake.termsFromAck(linux.set("tcp_timestamps", "0"), ack(synAck), 536)).isNull();
    }

    private static Segment syn(int wscale, boolean sack, boolean ts) {
        Segment s = new Segment();
        s.srcAddr = REMOTE;
        s.dstAddr = LOCAL;
        s.srcPort = 40000;
        s.dstPort = 80;
        s.seq = 0x01020304;
        s.flags = TcpFlags.SYN;
        s.window = 64240;
        s.mss = 1460;
        s.windowScale = wscale;
        s.sackPermitted = sack;
        if (ts) {
            s.hasTimestamps = true;
            s.tsVal = 424242;
        }
        return s;
    }

    /** The client's answer to a SYN-ACK: it echoes the TSval. */
    private static Segment ack(Segment synAck) {
        Segment a = new Segment();
        a.srcAddr = synAck.dstAddr;
        a.dstAddr = synAck.srcAddr;
        a.srcPort = synAck.dstPort;
        a.dstPort = synAck.srcPort;
        a.seq = synAck.ack;
        a.ack = synAck.seq + 1;
        a.flags = TcpFlags.ACK;
        if (synAck.hasTimestamps) {
            a.hasTimestamps = true;
            a.tsVal = 424300;
            a.tsEcr = synAck.tsVal;
        }
        return a;
    }
}
