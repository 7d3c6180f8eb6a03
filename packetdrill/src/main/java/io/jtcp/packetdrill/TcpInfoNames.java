package io.jtcp.packetdrill;

import io.jtcp.tcp.State;
import io.jtcp.tcp.TcpInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names scripts use for struct tcp_info: the constants packetdrill's code.c writes
 * before a code block's variables (write_symbols: tcpi_state, tcpi_ca_state and
 * tcpi_options values) and their symbols_linux.c spellings ({@code TCP_CA_OPEN} for
 * code.c's {@code TCP_CA_Open}), so the same names work in a getsockopt(TCP_INFO) struct.
 * The numbers come from core's {@link TcpInfo}, their one home.
 */
final class TcpInfoNames {
    private TcpInfoNames() {}

    /** code.c's names, in its order. */
    static final Map<String, Long> PYTHON_CONSTANTS;

    /** code.c's names and the upper-case spellings symbols_linux.c gives the TCP_CA_* ones. */
    private static final Map<String, Long> SYMBOLS;

    static {
        Map<String, Long> m = new LinkedHashMap<>();
        state(m, "TCP_ESTABLISHED", State.ESTABLISHED);
        state(m, "TCP_SYN_SENT", State.SYN_SENT);
        state(m, "TCP_SYN_RECV", State.SYN_RECEIVED);
        state(m, "TCP_FIN_WAIT1", State.FIN_WAIT_1);
        state(m, "TCP_FIN_WAIT2", State.FIN_WAIT_2);
        state(m, "TCP_TIME_WAIT", State.TIME_WAIT);
        state(m, "TCP_CLOSE", State.CLOSED);
        state(m, "TCP_CLOSE_WAIT", State.CLOSE_WAIT);
        state(m, "TCP_LAST_ACK", State.LAST_ACK);
        state(m, "TCP_LISTEN", State.LISTEN);
        state(m, "TCP_CLOSING", State.CLOSING);
        m.put("TCP_CA_Open", (long) TcpInfo.TCP_CA_OPEN);
        m.put("TCP_CA_Disorder", (long) TcpInfo.TCP_CA_DISORDER);
        m.put("TCP_CA_CWR", 2L); // ECN's congestion window reduction: jtcp never enters it
        m.put("TCP_CA_Recovery", (long) TcpInfo.TCP_CA_RECOVERY);
        m.put("TCP_CA_Loss", (long) TcpInfo.TCP_CA_LOSS);
        m.put("TCPI_OPT_TIMESTAMPS", (long) TcpInfo.TCPI_OPT_TIMESTAMPS);
        m.put("TCPI_OPT_SACK", (long) TcpInfo.TCPI_OPT_SACK);
        m.put("TCPI_OPT_WSCALE", (long) TcpInfo.TCPI_OPT_WSCALE);
        // Options jtcp never reports (ECN, Fast Open, usec timestamps), named so scripts can test their absence.
        m.put("TCPI_OPT_ECN", 8L);
        m.put("TCPI_OPT_ECN_SEEN", 16L);
        m.put("TCPI_OPT_SYN_DATA", 32L);
        m.put("TCPI_OPT_USEC_TS", 64L);
        m.put("TCPI_OPT_TFO_CHILD", 128L);
        PYTHON_CONSTANTS = java.util.Collections.unmodifiableMap(m);
        Map<String, Long> all = new LinkedHashMap<>(m);
        for (var e : m.entrySet()) {
            if (e.getKey().startsWith("TCP_CA_")) all.put(e.getKey().toUpperCase(java.util.Locale.ROOT), e.getValue());
        }
        SYMBOLS = java.util.Collections.unmodifiableMap(all);
    }

    private static void state(Map<String, Long> m, String name, State s) {
        m.put(name, (long) TcpInfo.linuxState(s));
    }

    /** The value of a tcp_info constant, or null. */
    static Long symbol(String name) {
        return SYMBOLS.get(name);
    }
}
