package io.jtcp.tcp;

/**
 * What the SYN exchange settled and the path allows: segment sizes (RFC 9293 §3.7.1),
 * window scaling and timestamps (RFC 7323), SACK (RFC 2018). One owner for the terms
 * every segment is built and read under: our MSS and the path MTU are set when the TCB
 * is made (and the host's learned path MTU before it opens), the rest only by
 * {@link Options#negotiate}, {@link PathErrors} and a new incarnation. The timestamps'
 * per-segment state (TS.Recent) stays on the TCB. Fields keep Linux's and the RFCs'
 * names so they grep alike.
 */
final class Negotiated {
    /** The largest payload we send (Linux's mss_cache). */
    int sndMss;
    /** The MSS our SYN or SYN-ACK announces: the MTU's for the family, or less under TCP_MAXSEG. */
    int advertisedMss;
    /** The MSS the peer announced (clamped to Linux's floor), or 536 without the option. */
    int peerMss = Tcp.DEFAULT_MSS;
    /** The path MTU towards the peer: the link's, lowered by ICMP "fragmentation needed" / "packet too big". */
    int pathMtu;
    /** The shift the peer applies to the windows it sends, and ours to the windows we send. */
    int sndWscale, rcvWscale;
    boolean wscaleOk, sackOk, tsOk;

    /** A new incarnation starts from no options and our SYN's window scale. */
    void reset(int initialRcvWscale) {
        sndMss = Tcp.DEFAULT_MSS;
        sndWscale = 0;
        rcvWscale = initialRcvWscale;
        wscaleOk = sackOk = tsOk = false;
    }
}
