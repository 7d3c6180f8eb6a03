package io.jtcp.observe;

import io.jtcp.api.ErrnoException;
import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.host.StackCounters;
import io.jtcp.link.sim.FaultRule;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.observe.TraceEvent.LossEvent;
import io.jtcp.tcp.Connection;
import io.jtcp.tcp.RecoveryEvent;
import io.jtcp.wire.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jtcp.link.sim.PacketMatch.path;
import static io.jtcp.link.sim.PacketMatch.withPayload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One data segment lost on a 5 ms link: the sender's fast recovery shows in its trace as
 * loss events and in its nstat counters under Linux's TcpExt names.
 */
class LossRecoveryTraceTest {
    private static final long MS = 1_000_000L;
    /**
     * One initial window (10 segments of 1448 bytes) and no more: new data sent in the same
     * virtual instant as the retransmission would tie with it in RACK's "sent after" order,
     * which falls back to sequence numbers (tcp_rack_sent_after) and would call the
     * retransmission lost again once those later-numbered segments were SACKed.
     */
    private static final int BYTES = 10 * 1448;
    private static final IpAddress SERVER = IpAddress.parse("10.0.0.1"), CLIENT = IpAddress.parse("10.0.0.2");

    @ParameterizedTest(name = "tcp_sack={0}")
    @ValueSource(booleans = {true, false})
    void aLostSegmentIsRepairedByFastRecoveryAndBothTraceAndNstatSayHow(boolean sack) throws ErrnoException {
        Sysctls cfg = Sysctls.linux().set("tcp_sack", sack ? "1" : "0");
        SimNetwork net = new SimNetwork(1);
        Stack server = SimHost.create(net, "server", SERVER.toString(), cfg, 1).stack();
        Stack client = SimHost.create(net, "client", CLIENT.toString(), cfg, 2).stack();
        // The third data segment, once: seven follow it in the flight, enough for duplicate ACKs to tell.
        FaultRule third = FaultRule.drop(path(CLIENT, SERVER).and(withPayload())).nth(3);
        net.addRule(third);
        List<TraceEvent> trace = new ArrayList<>();
        client.setTrace(trace::add);
        List<Connection> accepted = new ArrayList<>();
        server.listen(80, (c, now) -> {
            accepted.add(c);
            return new SocketHandler() {};
        });
        Connection sender = client.connect(SERVER, 80, new SocketHandler() {}, net.now());
        net.runFor(50 * MS);
        byte[] data = new byte[BYTES];
        assertThat(sender.send(data, 0, data.length, net.now())).isEqualTo(BYTES);
        net.runFor(500 * MS);

        assertThat(third.applied()).isOne();
        byte[] got = new byte[BYTES + 1];
        assertThat(accepted.getFirst().receive(got, 0, got.length, net.now())).as("all of it arrived").isEqualTo(BYTES);
        RecoveryEvent entered = sack ? RecoveryEvent.SACK_RECOVERY : RecoveryEvent.RENO_RECOVERY;
        StackCounters counters = client.counters();
        assertThat(counters.recoveries(entered)).isOne();
        assertThat(counters.recoveries(RecoveryEvent.TIMEOUT)).as("repaired without a timeout").isZero();
        assertThat(counters.recoveries(RecoveryEvent.FAST_RETRANS)).isOne();
        assertThat(counters.retransSegments).isOne();

        StackSnapshot snapshot = client.snapshot(net.now());
        String ss = SsView.format(snapshot, false, true).lines().filter(l -> l.startsWith("\t")).findFirst().orElseThrow();
        assertThat(ss).as("ss -i: the algorithm after the options, the window, then the scoreboard with one retransmission")
                .startsWith(sack ? "\tts sack cubic wscale:" : "\tts cubic wscale:")
                .containsPattern(" cwnd:\\d+ ssthresh:\\d+ bytes_sent:")
                .containsPattern(" delivered:\\d+ busy:\\d+ms.* retrans:0/1 ")
                .doesNotContain(" lost:", " sacked:", " unacked:");
        String nstat = NstatView.format(snapshot);
        assertThat(nstat).contains(row("TcpExt" + entered.mibName(), 1), row("TcpExtTCPFastRetrans", 1),
                row("TcpRetransSegs", 1), row("TcpExtTCPTimeouts", 0));

        List<LossEvent> losses = trace.stream().filter(e -> e instanceof LossEvent).map(e -> (LossEvent) e).toList();
        assertThat(losses).extracting(LossEvent::event).containsExactly(entered.mibName(), "TCPFastRetrans");
        assertThat(losses.getFirst().detail()).as("counted before the reduction; ssthresh still unset, so left out")
                .matches("cwnd \\d+ Disorder");
        LossEvent retransmit = losses.getLast();
        assertThat(retransmit.local()).isEqualTo(sender.tuple().local());
        assertThat(retransmit.remote()).isEqualTo(sender.tuple().remote());
        assertThat(retransmit.detail()).as("sent in recovery, with ssthresh set").matches("cwnd \\d+ ssthresh \\d+ Recovery");
        assertThat(new TextTracePrinter(new StringBuilder()).line(retransmit))
                .endsWith(" 10.0.0.2." + sender.tuple().localPort() + " > 10.0.0.1.80 TCPFastRetrans " + retransmit.detail());
    }

    private static String row(String counter, long value) {
        return String.format("%-32s %d%n", counter, value);
    }
}
