package io.jtcp.tcp;

/** The connection states of RFC 9293 §3.3.2. */
public enum State {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED,
    FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT;

    /** True once both sequence spaces are known: every state after the handshake (RFC 9293 §3.10.7.4). */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }
}
