package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

/**
 * The queue-size ioctls a TCP socket answers, computed as Linux's tcp_ioctl does.
 * Linux's snd_nxt is the highest sequence number sent, never wound back by a
 * retransmission timeout, so it is {@code sndMax} here; write_seq counts a queued
 * FIN, as tcp_send_fin advances it.
 */
public enum Ioctl {
    /** SIOCINQ (alias FIONREAD): bytes ready to read, rcv_nxt - copied_seq less the FIN's (tcp_inq). */
    SIOCINQ {
        @Override int queued(Connection c) {
            // Urgent data is delivered inline here, so tcp_inq's SOCK_URGINLINE branch applies.
            return c.recvBuf.readable();
        }
    },
    /** SIOCOUTQ: bytes not yet acknowledged, sent or not (write_seq - snd_una). */
    SIOCOUTQ {
        @Override int queued(Connection c) { return (int) io.jtcp.wire.Seq.distance(c.sndUna, writeSeq(c)); }
    },
    /** SIOCOUTQNSD: bytes not yet sent (write_seq - snd_nxt). */
    SIOCOUTQNSD {
        @Override int queued(Connection c) { return (int) io.jtcp.wire.Seq.distance(c.sndMax, writeSeq(c)); }
    };

    /** FIONREAD is SIOCINQ under its generic name. */
    public static final Ioctl FIONREAD = SIOCINQ;

    abstract int queued(Connection c);

    /** EINVAL on a listener; zero while the handshake is under way (SYN_SENT, SYN_RECEIVED), as Linux answers. */
    int answer(Connection c) throws ErrnoException {
        return switch (c.state) {
            case LISTEN -> throw new ErrnoException(Errno.EINVAL, this + " on a listening socket");
            case SYN_SENT, SYN_RECEIVED -> 0;
            default -> queued(c);
        };
    }

    /** Linux's write_seq: the sequence number the next byte written would take, past a queued FIN. */
    private static int writeSeq(Connection c) {
        return c.sendHeadSeq + c.sendBuf.size() + (c.finQueued ? 1 : 0);
    }
}
