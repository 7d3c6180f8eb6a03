package io.jtcp.tcp;

/**
 * What an active Fast Open connection learned from the SYN-ACK, for the host's cookie
 * cache and counters (Linux's tcp_rcv_fastopen_synack and tcp_fastopen_cache_set): the
 * peer's MSS (0: none announced), the cookie it gave (null: none), in which option, a
 * lost SYN with data (the SYN had to be resent and the SYN-ACK acknowledged none of the
 * data and carried no cookie), whether to try the other option form next time (1: the
 * experimental one, 2: back to RFC 7413's; 0: no change), and the outcome for the data.
 */
public record FastOpenSynAck(int mss, byte[] cookie, boolean exp, boolean synLoss, int tryExp, Outcome outcome) {
    public enum Outcome {
        /** No data rode on the SYN. */
        NO_DATA,
        /** The SYN-ACK acknowledged all of it: TCPFastOpenActive. */
        DATA_ACKED,
        /** Some or all of it is sent again after the handshake: TCPFastOpenActiveFail. */
        DATA_RESENT
    }
}
