package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The socket features the runner hands to core (TCP_CORK, MSG_MORE, MSG_PEEK, the queue
 * ioctls, TCP_DEFER_ACCEPT, SO_RCVBUF/SO_SNDBUF, TCP_INFO, code blocks) and the Linux
 * rules it applies itself (SO_ERROR, poll after a reset, SO_LINGER), each in a script
 * that passes only when the numbers are Linux's.
 */
class SocketFeaturesTest {
    private static final Path RESOURCES = Path.of("src/test/resources");

    private static final String ACCEPTED = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
            +0 bind(3, ..., ...) = 0
            +0 listen(3, 1) = 0
            +0 < S 0:0(0) win 65535 <mss 1000,nop,wscale 7>
            +0 > S. 0:0(0) ack 1 <...>
            +.1 < . 1:1(0) ack 1 win 512
            +0 accept(3, ..., ...) = 4
            """;

    private static Outcome run(String script) {
        return Packetdrill.run("inline.pkt", script, RESOURCES, new RunnerOptions());
    }

    private static void assertPasses(String script) {
        Outcome o = run(script);
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
    }

    private static void assertFails(String script, int line, String reason) {
        Outcome o = run(script);
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.FAIL);
        assertThat(o.line()).isEqualTo(line);
        assertThat(o.reason()).isEqualTo(reason);
    }

    @Test
    void corkHoldsAPartialSegmentUntilUncorked() {
        assertPasses(ACCEPTED + """
                +0 setsockopt(4, SOL_TCP, TCP_CORK, [1], 4) = 0
                +0 getsockopt(4, SOL_TCP, TCP_CORK, [1], [4]) = 0
                +0 write(4, ..., 300) = 300
                +.1 setsockopt(4, SOL_TCP, TCP_CORK, [0], 4) = 0
                +0 > P. 1:301(300) ack 1
                +0 getsockopt(4, SOL_TCP, TCP_CORK, [0], [4]) = 0
                """);
    }

    @Test
    void msgMoreHoldsOnlyItsOwnPush() {
        assertPasses(ACCEPTED + """
                +0 send(4, ..., 300, MSG_MORE) = 300
                +.1 send(4, ..., 200, 0) = 200
                +0 > P. 1:501(500) ack 1
                """);
    }

    @Test
    void peekLeavesTheDataQueuedAndTheQueueIoctlsCountIt() {
        assertPasses(ACCEPTED + """
                +0 < P. 1:11(10) ack 1 win 512
                +0 recv(4, ..., 100, MSG_PEEK) = 10
                +0 ioctl(4, SIOCINQ, [10]) = 0
                +0 read(4, ..., 100) = 10
                +0 ioctl(4, FIONREAD, [0]) = 0
                +0 < . 11:11(0) ack 1 win 0
                +0 write(4, ..., 100) = 100
                +0 ioctl(4, SIOCOUTQ, [100]) = 0
                +0 ioctl(4, SIOCOUTQNSD, [100]) = 0
                +0 ioctl(3, SIOCINQ, ...) = -1 EINVAL (Invalid argument)
                """);
    }

    @Test
    void deferAcceptReadsBackAsTheSecondsOfWholeSynAckTimeouts() {
        assertPasses("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [5], 4) = 0
                +0 getsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [7], [4]) = 0
                +0 setsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [-1], 4) = 0
                +0 getsockopt(3, SOL_TCP, TCP_DEFER_ACCEPT, [0], [4]) = 0
                """);
    }

    @Test
    void bufferSizesAreDoubledAndCappedByTheMaxima() {
        assertPasses("""
                0 `sysctl -q net.core.rmem_max=5000`
                +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [10000], 4) = 0
                +0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [10000], [4]) = 0
                +0 setsockopt(3, SOL_SOCKET, SO_SNDBUF, [10000], 4) = 0
                +0 getsockopt(3, SOL_SOCKET, SO_SNDBUF, [20000], [4]) = 0
                +0 setsockopt(3, SOL_SOCKET, SO_SNDBUF, [1], 4) = 0
                +0 getsockopt(3, SOL_SOCKET, SO_SNDBUF, [4608], [4]) = 0
                """);
    }

    @Test
    void tcpInfoStructFieldsAreCompared() {
        assertPasses(ACCEPTED + """
                +0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED, tcpi_ca_state=TCP_CA_OPEN, tcpi_snd_mss=1000, tcpi_options=TCPI_OPT_WSCALE, tcpi_rto=...}, [232]) = 0
                """);
        assertFails(ACCEPTED + """
                +0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_CLOSE_WAIT, tcpi_snd_mss=1000}, [232]) = 0
                """, 9, "getsockopt: Bad getsockopt TCP_INFO: tcpi_state expected: 8 actual: 1");
    }

    @Test
    void codeBlocksSeeTheSocketUnderTestsTcpInfoAtTheirTime() {
        assertPasses(ACCEPTED + """
                +0 %{ assert tcpi_state == TCP_ESTABLISHED, tcpi_state }%
                +0 < P. 1:101(100) ack 1 win 512
                +0 > . 1:1(0) ack 101
                +0 %{
                assert tcpi_bytes_received == 100, tcpi_bytes_received
                assert tcpi_snd_mss == 1000
                }%
                +0 read(4, ..., 100) = 100
                +0 close(4) = 0
                +0 > F. 1:1(0) ack 101
                """);
    }

    @Test
    void aFailedAssertFailsTheScriptAtItsBlocksLineWithPythonsMessage() {
        assertFails(ACCEPTED + """
                +0 %{ assert tcpi_state == TCP_ESTABLISHED }%
                +0 %{ assert tcpi_snd_mss == 1460, tcpi_snd_mss }%
                """, 10, "error in Python code: AssertionError: 1000");
    }

    @Test
    void codeBlocksNamingFieldsJtcpLacksAreUnsupported() {
        Outcome o = run(ACCEPTED + "+0 %{ assert tcpi_sndbuf_limited == 0 }%\n");
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.UNSUPPORTED);
        assertThat(o.feature()).isEqualTo("TCP_INFO field tcpi_sndbuf_limited");
    }

    @Test
    void soErrorAndPollAfterAResetInEstablished() {
        assertPasses(ACCEPTED + """
                +.1 < R. 1:1(0) ack 1 win 0
                +0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLIN|POLLOUT|POLLERR|POLLHUP}], 1, 0) = 1
                +0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0
                +0 getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
                +0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLIN|POLLOUT|POLLHUP}], 1, 0) = 1
                +0 send(4, ..., 10, MSG_NOSIGNAL) = -1 EPIPE (Broken pipe)
                +0 read(4, ..., 10) = 0
                """);
    }

    @Test
    void aResetInCloseWaitIsABrokenPipe() {
        assertPasses(ACCEPTED + """
                +.1 < F. 1:1(0) ack 1 win 512
                +0~+.04 > . 1:1(0) ack 2
                +.1 < R. 2:2(0) ack 1 win 0
                +0 read(4, ..., 100) = 0
                +0 getsockopt(4, SOL_SOCKET, SO_ERROR, [EPIPE], [4]) = 0
                """);
    }

    @Test
    void aRefusedNonblockingConnectPollsOutErrAndHup() {
        assertPasses("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0 > S 0:0(0) <...>
                +.1 < R. 0:0(0) ack 1 win 0
                +0 poll([{fd=3, events=POLLOUT, revents=POLLOUT|POLLERR|POLLHUP}], 1, 0) = 1
                +0 connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)
                +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
                """);
    }

    @Test
    void positiveLingerBlocksCloseUntilTheFinIsAcked() {
        assertPasses(ACCEPTED + """
                +0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=5}, 8) = 0
                +.1...0.25 close(4) = 0
                +0 > F. 1:1(0) ack 1
                +.15 < . 1:1(0) ack 2 win 512
                """);
    }

    @Test
    void positiveLingerGivesUpAfterTheLingerTime() {
        assertPasses(ACCEPTED + """
                +0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=1}, 8) = 0
                +0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0...1 close(4) = 0
                +0 > F. 1:1(0) ack 1
                """);
    }

    @Test
    void zeroLingerResetsAndDropsUnsentData() {
        assertPasses(ACCEPTED + """
                +0 < . 1:1(0) ack 1 win 0
                +0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
                +.1 write(4, ..., 100) = 100
                +0 close(4) = 0
                +0 > R. 1:1(0) ack 1
                """);
    }

    @Test
    void quickAckOffMakesTheConnectionInteractiveUntilTurnedOnAgain() {
        assertPasses(ACCEPTED + """
                +0 getsockopt(4, SOL_TCP, TCP_QUICKACK, [1], [4]) = 0
                +0 setsockopt(4, SOL_TCP, TCP_QUICKACK, [0], 4) = 0
                +0 getsockopt(4, SOL_TCP, TCP_QUICKACK, [0], [4]) = 0
                +0 setsockopt(4, SOL_TCP, TCP_QUICKACK, [1], 4) = 0
                +0 getsockopt(4, SOL_TCP, TCP_QUICKACK, [1], [4]) = 0
                """);
    }

    /** MSG_FASTOPEN once a nonblocking connect's handshake is done: the first send confirms the connection, later ones are EISCONN (checked on Linux 6.18). */
    @Test
    void fastOpenSendAfterANonblockingConnectCompletes() {
        assertPasses("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0 > S 0:0(0) <...>
                +.1 < S. 0:0(0) ack 1 win 5840 <mss 1000,nop,wscale 7>
                +0 > . 1:1(0) ack 1
                +0 sendto(3, ..., 100, MSG_FASTOPEN, ..., ...) = 100
                +0 > P. 1:101(100) ack 1
                +0 sendto(3, ..., 100, MSG_FASTOPEN, ..., ...) = -1 EISCONN (Transport endpoint is already connected)
                """);
    }

    /** tcp_poll: POLLRDHUP from the peer's FIN on (RCV_SHUTDOWN), while data before it is still unread (checked on Linux 6.18). */
    @Test
    void pollShowsRdhupWhileDataBeforeTheFinIsUnread() {
        assertPasses(ACCEPTED + """
                +0 < F. 1:101(100) ack 1 win 512
                +0 poll([{fd=4, events=POLLIN|POLLOUT|POLLRDHUP, revents=POLLIN|POLLOUT|POLLRDHUP}], 1, 0) = 1
                +0 read(4, ..., 50) = 50
                +0 poll([{fd=4, events=POLLIN|POLLOUT|POLLRDHUP, revents=POLLIN|POLLOUT|POLLRDHUP}], 1, 0) = 1
                """);
    }
}
