package io.jtcp.observe;

import io.jtcp.tcp.State;

/** The names ss and netstat give the RFC's states. */
final class SocketStates {
    private SocketStates() {}

    static String ss(State s) {
        return switch (s) {
            case CLOSED -> "UNCONN";
            case LISTEN -> "LISTEN";
            case SYN_SENT -> "SYN-SENT";
            case SYN_RECEIVED -> "SYN-RECV";
            case ESTABLISHED -> "ESTAB";
            case FIN_WAIT_1 -> "FIN-WAIT-1";
            case FIN_WAIT_2 -> "FIN-WAIT-2";
            case CLOSE_WAIT -> "CLOSE-WAIT";
            case CLOSING -> "CLOSING";
            case LAST_ACK -> "LAST-ACK";
            case TIME_WAIT -> "TIME-WAIT";
        };
    }

    static String netstat(State s) {
        return switch (s) {
            case CLOSED -> "CLOSE";
            case LISTEN -> "LISTEN";
            case SYN_SENT -> "SYN_SENT";
            case SYN_RECEIVED -> "SYN_RECV";
            case ESTABLISHED -> "ESTABLISHED";
            case FIN_WAIT_1 -> "FIN_WAIT1";
            case FIN_WAIT_2 -> "FIN_WAIT2";
            case CLOSE_WAIT -> "CLOSE_WAIT";
            case CLOSING -> "CLOSING";
            case LAST_ACK -> "LAST_ACK";
            case TIME_WAIT -> "TIME_WAIT";
        };
    }
}
