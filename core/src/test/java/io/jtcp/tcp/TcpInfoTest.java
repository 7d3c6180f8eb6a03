package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.config.Sysctls;
import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** TCP_INFO as Linux's tcp_get_info fills struct tcp_info. */
class TcpInfoTest {

    /** ESTABLISHED after a 100 ms handshake round trip, the clock at 100 ms. */
    private static Transcript afterHandshake(Sysctls cfg) throws ErrnoException {
        Transcript t = Transcript.withSysctls(cfg).synSent();
        t.advance(ms(100));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).drain();
        return t.assertState(State.ESTABLISHED);
    }

    @Test
    void aFreshConnectionReportsWhatTheHandshakeSettled() throws Exception {
        TcpInfo i = afterHandshake(plain()).c.tcpInfo(ms(100).toNanos());
        assertThat(i.state()).isEqualTo(1);
        assertThat(i.caState()).isEqualTo(TcpInfo.TCP_CA_OPEN);
        assertThat(i.options()).isZero();
        assertThat(i.sndMss()).isEqualTo(1460);
        assertThat(i.advmss()).isEqualTo(1460);
        assertThat(i.pmtu()).isEqualTo(1500);
        assertThat(i.sndCwnd()).isEqualTo(10);
        assertThat(i.sndSsthresh()).isEqualTo(TcpInfo.INFINITE_SSTHRESH);
        assertThat(i.rtt()).isEqualTo(100_000);
        assertThat(i.rttvar()).isEqualTo(50_000);
        assertThat(i.minRtt()).isEqualTo(100_000);
        assertThat(i.rto()).isEqualTo(300_000);
        assertThat(i.ato()).as("no data received yet").isZero();
        assertThat(i.segsOut()).as("SYN and ACK").isEqualTo(2);
        assertThat(i.segsIn()).isEqualTo(1);
        assertThat(i.bytesAcked()).as("the active side counts its SYN, as tcp_ack does").isEqualTo(1);
        assertThat(i.bytesReceived()).isZero();
        assertThat(i.sndWnd()).isEqualTo(PEER_WIN);
        assertThat(i.rcvWnd()).isEqualTo(WIN);
        assertThat(i.reordering()).isEqualTo(3);
    }

    @Test
    void optionsBitsAndScalesFollowTheNegotiation() throws Exception {
        Transcript t = Transcript.withSysctls(Sysctls.linux());
        t.c.openActive(t.now);
        t.drain();
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460).wscale(7).sackOk().ts(1, t.c.tsNow(0))).drain();
        TcpInfo i = t.c.tcpInfo(t.now);
        assertThat(i.options()).isEqualTo(TcpInfo.TCPI_OPT_TIMESTAMPS | TcpInfo.TCPI_OPT_SACK | TcpInfo.TCPI_OPT_WSCALE);
        assertThat(i.sndWscale()).isEqualTo(7);
        assertThat(i.sndMss()).as("mss_cache leaves room for the timestamp option").isEqualTo(1448);
    }

    @Test
    void deliveredCountsTheSynAndEachSegmentAnAckCoversWhole() throws Exception {
        Transcript t = Transcript.with(plain(), o -> o.noDelay = true).synSent();
        t.advance(ms(100));
        t.send(in().syn().seq(PEER_ISS).ack(ISS + 1).mss(1460)).drain();
        assertThat(t.c.tcpInfo(t.now).delivered()).as("the SYN").isEqualTo(1);
        t.write("aa").write("bb").write("cc");
        assertThat(t.drain()).as("TCP_NODELAY: three segments").hasSize(3);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 4));
        assertThat(t.c.tcpInfo(t.now).delivered()).as("the second segment is only half acknowledged").isEqualTo(2);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 7));
        assertThat(t.c.tcpInfo(t.now).delivered()).isEqualTo(4);
    }

    @Test
    void rwndLimitedRunsWhileThePeersWindowHoldsDataBackAndBusyTimeUntilAllIsAcknowledged() throws Exception {
        Transcript t = afterHandshake(plain());
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(0));
        assertThat(t.c.tcpInfo(t.now).busyTime()).as("nothing queued yet").isZero();
        t.write("hello").expectNothing();
        t.advance(ms(100));
        assertThat(t.c.tcpInfo(t.now).rwndLimited()).isEqualTo(100_000);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1)).drain();
        t.advance(ms(30));
        TcpInfo sent = t.c.tcpInfo(t.now);
        assertThat(sent.rwndLimited()).as("stopped once the window opened").isEqualTo(100_000);
        assertThat(sent.busyTime()).isEqualTo(130_000);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 6));
        t.advance(ms(50));
        assertThat(t.c.tcpInfo(t.now).busyTime()).as("stopped when the queues emptied").isEqualTo(130_000);
    }

    @Test
    void theHandshakeCountsAsTheLastDataBothWays() throws Exception {
        // tcp_finish_connect stamps lrcvtime and lsndtime (upstream tcp-info-last_data_recv.pkt).
        Transcript t = afterHandshake(plain());
        t.advance(ms(1000));
        TcpInfo i = t.c.tcpInfo(t.now);
        assertThat(i.lastDataRecv()).isEqualTo(1000);
        assertThat(i.lastDataSent()).isEqualTo(1000);
    }

    @Test
    void dataBothWaysIsCountedAndAged() throws Exception {
        Transcript t = afterHandshake(plain());
        t.write("hello").drain();
        t.advance(ms(50));
        t.send(in().psh().seq(PEER_ISS + 1).ack(ISS + 6).payload("abc"));
        t.advance(ms(500)).drain();
        TcpInfo i = t.c.tcpInfo(t.now);
        assertThat(i.bytesSent()).isEqualTo(5);
        assertThat(i.dataSegsOut()).isEqualTo(1);
        assertThat(i.bytesAcked()).isEqualTo(6);
        assertThat(i.bytesReceived()).isEqualTo(3);
        assertThat(i.dataSegsIn()).isEqualTo(1);
        assertThat(i.rcvMss()).as("TCP_MSS_DEFAULT until a larger segment arrives").isEqualTo(536);
        assertThat(i.ato()).isEqualTo(40_000);
        assertThat(i.lastDataSent()).isEqualTo(550);
        assertThat(i.lastDataRecv()).isEqualTo(500);
        assertThat(i.lastAckRecv()).isEqualTo(500);
        assertThat(i.segsOut()).as("SYN, ACK, data, delayed ACK").isEqualTo(4);
        assertThat(i.unacked()).isZero();
        assertThat(i.notsentBytes()).isZero();
    }

    @Test
    void aTimeoutIsALossEpisodeUntilTheAckArrives() throws Exception {
        Transcript t = new Transcript().established();
        t.write(DataTransferTest.text(3 * 1460, 'z'));
        assertThat(t.drain()).hasSize(3);
        assertThat(t.c.tcpInfo(t.now).unacked()).isEqualTo(3);
        t.advance(ms(200)).drain();
        TcpInfo loss = t.c.tcpInfo(t.now);
        assertThat(loss.caState()).isEqualTo(TcpInfo.TCP_CA_LOSS);
        assertThat(loss.retransmits()).isEqualTo(1);
        assertThat(loss.backoff()).isEqualTo(1);
        assertThat(loss.totalRto()).isEqualTo(1);
        assertThat(loss.totalRtoRecoveries()).isEqualTo(1);
        assertThat(loss.lost()).isEqualTo(3);
        assertThat(loss.retrans()).isEqualTo(1);
        assertThat(loss.totalRetrans()).isEqualTo(1);
        assertThat(loss.bytesRetrans()).isEqualTo(1460);
        assertThat(loss.sndCwnd()).isEqualTo(1);
        // CUBIC's ssthresh is 717/1024 of the window, not of the flight (RFC 5681's FlightSize/2 would be 2).
        assertThat(loss.sndSsthresh()).isEqualTo(7);
        t.advance(ms(30));
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 + 3 * 1460));
        TcpInfo after = t.c.tcpInfo(t.now);
        assertThat(after.caState()).isEqualTo(TcpInfo.TCP_CA_OPEN);
        assertThat(after.totalRtoTime()).isEqualTo(30);
        assertThat(after.retransmits()).isZero();
    }

    @Test
    void theMapCarriesStructTcpInfosNames() throws Exception {
        var m = new Transcript().established().c.tcpInfo(0).asMap();
        assertThat(m).containsEntry("tcpi_snd_cwnd", 10L).containsEntry("tcpi_state", 1L)
                .containsKeys("tcpi_last_data_sent", "tcpi_rcv_ssthresh", "tcpi_total_rto_recoveries", "tcpi_notsent_bytes");
    }
}
