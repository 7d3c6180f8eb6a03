package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParserTest {

    /** Every construct the runner knows, in one script of its own. */
    private static final String ALL = """
            --tolerance_usecs=10000
            0 `sysctl -q net.ipv4.tcp_sack=1`
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
            +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
            +0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}, 16) = -1 EINPROGRESS (Operation now in progress)
            +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
            +.1 < S. 0:0(0) ack 1 win 5792 <mss 1460,nop,nop,sackOK,nop,wscale 2>
            0.100~0.200 > . 1:1(0) ack 1 <...>
            +0.1~+0.2 > P. 1:11(10) ack 1 win 229
            * > F. 11:11(0) ack 1
            +0 < [ect0] . 1:1(0) ack 11 win 257 <nop,nop,sack 1:5 7:9,eol>
            +0 < R 1:1(0) win 0 urg 3
            +0 > - 1:1(0)
            0.300...0.400 read(3, ..., 1000) = 0
            +0 poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, 0) = 1
            +0 writev(3, [{..., 10}, {..., 20}], 2) = 30
            +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
            +0 %{ assert tcpi_rto == 1000000 }%
            +0 < FO 1:1(0) win 0 <FO abcd,mss 100>
            """;

    @Test
    void everyConstructSurvivesARoundTrip() throws Exception {
        Script first = Parser.parse(ALL.replace("< FO 1:1(0) win 0 <FO abcd,mss 100>", "< F 1:1(0) win 0 <FO abcd,mss 100>"));
        Script again = Parser.parse(first.render());
        assertThat(again).isEqualTo(first);
        assertThat(again.render()).isEqualTo(first.render());
        assertThat(first.options()).containsExactly("--tolerance_usecs=10000");
        assertThat(first.events()).hasSize(19);
    }

    @Test
    void readsTimesFlagsNumbersAndOptions() throws Exception {
        Script s = Parser.parse(ALL.replace("< FO 1:1(0) win 0 <FO abcd,mss 100>", "< F 1:1(0) win 0"));
        Event.Packet syn = (Event.Packet) s.events().get(5);
        assertThat(syn.time()).isEqualTo(EventTime.relative(0));
        assertThat(syn.packet().inbound()).isFalse();
        assertThat(syn.packet().options()).containsExactly(new TcpOption.Mss(1460), new TcpOption.SackPermitted(),
                new TcpOption.Timestamp(100, 0), new TcpOption.Nop(), new TcpOption.WindowScale(7));
        Event.Packet range = (Event.Packet) s.events().get(7);
        assertThat(range.time()).isEqualTo(new EventTime(EventTime.Kind.ABSOLUTE_RANGE, 100_000, 200_000));
        assertThat(range.packet().options()).isNull();
        Event.Packet sack = (Event.Packet) s.events().get(10);
        assertThat(sack.packet().ipInfo()).isEqualTo("[ect0]");
        assertThat(sack.packet().options().get(2).render()).isEqualTo("sack 1:5 7:9");
        Event.Call read = (Event.Call) s.events().get(13);
        assertThat(read.time().micros()).isEqualTo(300_000);
        assertThat(read.blockingEnd()).isEqualTo(400_000);
        Event.Call connect = (Event.Call) s.events().get(4);
        assertThat(connect.call().errno()).isEqualTo("EINPROGRESS");
        assertThat(connect.call().result()).isEqualTo(new Expr.Num(-1));
        assertThat(s.events().get(17)).isInstanceOf(Event.Code.class);
    }

    @Test
    void substitutesDefines() throws Exception {
        Script s = Parser.parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = ${FD}\n", Map.of("FD", "3"));
        assertThat(((Event.Call) s.events().get(0)).call().result()).isEqualTo(new Expr.Num(3));
        assertThatThrownBy(() -> Parser.parse("0 close(${NOPE}) = 0\n")).isInstanceOf(ScriptSyntaxException.class);
    }

    @Test
    void aDefinedWordReadsAsItsValueTypedAsPacketdrillTypesIt() throws Exception {
        Script s = Parser.parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = FD\n+0 write(FD, BUF, LEN) = LEN\n",
                Map.of("FD", "0x3", "BUF", "\"abc\"", "LEN", "010"));
        Syscall write = ((Event.Call) s.events().get(1)).call();
        assertThat(write.args()).containsExactly(new Expr.Num(3), new Expr.Str("abc"), new Expr.Num(8));
        assertThat(write.result()).isEqualTo(new Expr.Num(8));
    }

    @Test
    void anUnknownShellVariableInACommandIsLeftToTheShell() throws Exception {
        Script s = Parser.parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n`/tmp/sysctl_restore_${PPID}.sh`\n");
        assertThat(((Event.Command) s.events().get(1)).command()).isEqualTo("/tmp/sysctl_restore_${PPID}.sh");
    }

    @Test
    void rejectsWhatPacketdrillRejectsWithTheLine() {
        assertThatThrownBy(() -> Parser.parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0)\n"))
                .isInstanceOf(ScriptSyntaxException.class).hasMessageContaining("window must be specified")
                .satisfies(e -> assertThat(((ScriptSyntaxException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> Parser.parse("0 > S 0:1(0)\n")).hasMessageContaining("inconsistent");
        assertThatThrownBy(() -> Parser.parse("* close(3) = 0\n")).hasMessageContaining("<star>");
    }

    /** Found by fuzzing (ScriptParserFuzzTest): a time past 2^63 microseconds escaped as ArithmeticException. */
    @Test
    void aTimeTooLargeForMicrosecondsIsASyntaxError() {
        assertThatThrownBy(() -> Parser.parse("99999999999999 close(3) = 0\n"))
                .isInstanceOf(ScriptSyntaxException.class).hasMessageContaining("time out of range");
        assertThatThrownBy(() -> Parser.parse("0 close(3) = 0\n+1~+99999999999999.5 close(3) = 0\n"))
                .isInstanceOf(ScriptSyntaxException.class).satisfies(e -> assertThat(((ScriptSyntaxException) e).line()).isEqualTo(2));
    }

    /** Found by fuzzing (ScriptParserFuzzTest): a hexadecimal time reached BigDecimal and escaped as NumberFormatException. */
    @Test
    void aHexadecimalTimeIsWholeSecondsAsInPacketdrill() throws Exception {
        Script s = Parser.parse("0x10 close(3) = 0\n");
        assertThat(((Event.Call) s.events().get(0)).time()).isEqualTo(EventTime.absolute(16_000_000));
        assertThatThrownBy(() -> Parser.parse("0xffffffffffffffff close(3) = 0\n")).isInstanceOf(ScriptSyntaxException.class);
    }

    @Test
    void parsesMsghdrsEpollEventsAndIcmp() throws Exception {
        Script s = Parser.parse("""
                0 recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 1000}], msg_flags=MSG_ERRQUEUE,
                    msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=0}]}, 0) = 1000
                +0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLET, fd=4}) = 0
                +0 < [ect0] icmp unreachable frag_needed mtu 840 [0:1000(1000)]
                """);
        Expr.Struct msg = (Expr.Struct) ((Event.Call) s.events().get(0)).call().args().get(1);
        assertThat(msg.get("msg_iov")).isEqualTo(new Expr.Array(List.of(new Expr.Struct(
                List.of(new Expr.Field(null, new Expr.Ellipsis()), new Expr.Field(null, new Expr.Num(1000)))))));
        assertThat(msg.get("msg_flags")).isEqualTo(new Expr.Sym("MSG_ERRQUEUE"));
        Expr.Struct ev = (Expr.Struct) ((Event.Call) s.events().get(1)).call().args().get(3);
        assertThat(ev.get("fd")).isEqualTo(new Expr.Num(4));
        Event.Icmp icmp = (Event.Icmp) s.events().get(2);
        assertThat(icmp.renderAction()).isEqualTo("< icmp unreachable frag_needed mtu 840 [0:1000(1000)]");
    }
}
