package io.jtcp.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.State;
import io.jtcp.wire.Bytes;
import io.jtcp.wire.Checksum;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.IpHeaders;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever arrives, the host's IP layer never throws and keeps working: well-formed IP headers
 * of both families around hostile ICMP, UDP, TCP, fragment and extension-header bodies, in
 * forwarding mode too, then a real connection that must still open.
 */
class HostileIpInputTest {
    private static final IpAddress A4 = IpAddress.parse("10.0.0.1"), B4 = IpAddress.parse("10.0.0.2");
    private static final IpAddress A6 = IpAddress.parse("fd00::1"), B6 = IpAddress.parse("fd00::2");

    @Property(tries = 300)
    void hostileBodiesNeverThrowAndTheHostStillConnects(@ForAll("packets") List<byte[]> packets) throws Exception {
        PointToPoint link = new PointToPoint(Sysctls.linux(), "10.0.0.1", "10.0.0.2");
        link.a.addAddress(A6, 64);
        link.b.addAddress(B6, 64);
        link.a.setForwarder(ForwardedSyn::refuse);
        link.a.setUdpForwarder(ForwardedFlow::refuse);
        link.a.listen(80, (c, now) -> new SocketHandler() {});
        for (byte[] p : packets) link.inject(link.a, p);
        link.runFor(70_000);  // past reassembly's timers
        Connection c = link.b.connect(A4, 80, new SocketHandler() {}, link.now);
        link.runFor(10);
        assertThat(c.state()).isEqualTo(State.ESTABLISHED);
    }

    @Provide
    Arbitrary<List<byte[]>> packets() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(80);
        Arbitrary<Integer> protocol = Arbitraries.of(1, 6, 17, 58, 0, 43, 44, 60, 59, 132);
        Arbitrary<Boolean> v6 = Arbitraries.of(false, true);
        Arbitrary<Integer> fragmentField = Arbitraries.of(0, 0x2000, 0x2001, 0x0001, 0x4000, 0x3fff);
        Arbitrary<Boolean> fixChecksum = Arbitraries.of(false, true);
        Arbitrary<Boolean> toUs = Arbitraries.of(true, false);
        Arbitrary<byte[]> packet = Combinators.combine(v6, protocol, body, fragmentField, fixChecksum, toUs)
                .as((six, proto, b, frag, fix, ours) -> {
                    IpAddress src = six ? B6 : B4, dst = ours ? (six ? A6 : A4)
                            : (six ? IpAddress.parse("2001:db8::9") : IpAddress.parse("198.51.100.9"));
                    byte[] p = new byte[IpHeaders.headerLength(src) + b.length];
                    int h = IpHeaders.write(p, 0, src, dst, proto, b.length, 64, 0, false, 9);
                    System.arraycopy(b, 0, p, h, b.length);
                    if (!six) {
                        Bytes.put16(p, 6, frag);
                        Bytes.put16(p, 10, 0);
                        Bytes.put16(p, 10, Checksum.ipv4Header(p, 0, 20));
                    }
                    if (fix && (proto == 1 || proto == 58) && b.length >= 4) {
                        int seed = six ? Checksum.pseudoHeader(src, dst, proto, b.length) : 0;
                        Bytes.put16(p, h + 2, 0);
                        Bytes.put16(p, h + 2, Checksum.finish(Checksum.partial(p, h, b.length, seed)));
                    }
                    return p;
                });
        return packet.list().ofMinSize(1).ofMaxSize(30);
    }
}
