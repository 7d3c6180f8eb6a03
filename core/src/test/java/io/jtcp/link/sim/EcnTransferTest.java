package io.jtcp.link.sim;

import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.tcp.TcpInfo;
import io.jtcp.wire.IpAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The point of ECN (RFC 3168 §1): a bottleneck that marks instead of dropping makes the
 * sender back off without losing a packet. The same bulk transfer in virtual time over the
 * same bottleneck (10 Mbit/s, 20 ms RTT, a queue of 100 packets marking CE from 5 waiting),
 * once with the client asking for ECN and once with ECN off on both ends.
 */
class EcnTransferTest {
    private static final IpAddress A = IpAddress.parse("10.0.0.1"), B = IpAddress.parse("10.0.0.2");
    private static final LinkParams BOTTLENECK = LinkParams.DEFAULT.withDelay(Duration.ofMillis(10))
            .withBandwidth(10_000_000L).withQueueLimit(100).withEcnMarking(5);
    private static final double SECONDS = 20;

    private record Outcome(long delivered, boolean intact, TcpInfo sender, Map<String, Long> receiverCounters, Map<Fate, Integer> fates) {
        int fate(Fate f) {
            return fates.getOrDefault(f, 0);
        }
    }

    @Test
    void marksMakeTheSenderBackOffWithoutARetransmission() {
        Outcome o = transfer(1, 2);
        assertThat(o.intact()).isTrue();
        assertThat(o.fate(Fate.CE_MARKED)).isPositive();
        assertThat(o.fate(Fate.QUEUE_OVERFLOW)).isZero();
        assertThat(o.receiverCounters().get("IpExtInCEPkts")).as("marks the receiver counted").isEqualTo(o.fate(Fate.CE_MARKED));
        assertThat(o.sender().options() & TcpInfo.TCPI_OPT_ECN).as("ECN negotiated").isNotZero();
        assertThat(o.sender().sndSsthresh()).as("the window was reduced").isLessThan(TcpInfo.INFINITE_SSTHRESH);
        assertThat(o.sender().totalRetrans()).isZero();
        assertThat(o.sender().rtt()).as("smoothed RTT, us: the queue stays near the threshold, not at the limit")
                .isLessThan(20_000 + 10 * 1_240);
        // Classic ECN halves (CUBIC: x0.7) on a mark, so a threshold this far below the
        // path's BDP (17 packets) leaves the link idle now and then: about 8.2 of 10 Mbit/s.
        assertThat(o.delivered() * 8 / SECONDS / 1e6).as("goodput, Mbit/s").isGreaterThan(7);
    }

    @Test
    void withoutEcnTheFullQueueDropsAndTheSenderRetransmits() {
        Outcome o = transfer(0, 0);
        assertThat(o.intact()).isTrue();
        assertThat(o.sender().options() & TcpInfo.TCPI_OPT_ECN).isZero();
        assertThat(o.fate(Fate.CE_MARKED)).as("Not-ECT packets are never marked").isZero();
        assertThat(o.fate(Fate.QUEUE_OVERFLOW)).isPositive();
        assertThat(o.sender().totalRetrans()).isPositive();
        assertThat(o.sender().rtt()).as("smoothed RTT, us: a standing queue").isGreaterThan(20_000 + 50 * 1_240);
    }

    private static Outcome transfer(int clientEcn, int serverEcn) {
        SimNetwork net = new SimNetwork(1);
        Map<Fate, Integer> fates = new EnumMap<>(Fate.class);
        net.addTap((t, p, off, len, from, to, fate) -> fates.merge(fate, 1, Integer::sum));
        Sysctls buffers = Sysctls.linux().set("tcp_rmem", "4096 8388608 8388608").set("tcp_wmem", "4096 8388608 8388608");
        SimHost a = SimHost.create(net, "a", "10.0.0.1", buffers.set("tcp_ecn", Integer.toString(clientEcn)), 1);
        SimHost b = SimHost.create(net, "b", "10.0.0.2", buffers.set("tcp_ecn", Integer.toString(serverEcn)), 1);
        net.setLink(A, B, BOTTLENECK);
        net.setLink(B, A, BOTTLENECK);
        Pattern.Reader reader = new Pattern.Reader();
        long start = net.now();
        try {
            b.stack().listen(5001, (c, t) -> reader);
            a.stack().connect(B, 5001, new Pattern.Writer(), start);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
        net.runUntil(start + (long) (SECONDS * 1e9));
        return new Outcome(reader.received, reader.intact, a.stack().connections().getFirst().info(), b.stack().counters().asMap(0), fates);
    }
}
