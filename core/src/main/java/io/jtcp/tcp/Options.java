package io.jtcp.tcp;

import io.jtcp.wire.Segment;

/** Option negotiation on the SYN exchange: MSS (§3.7.1), window scale and timestamps (RFC 7323), SACK (RFC 2018). */
final class Options {
    private Options() {}

    /**
     * Settles every option from the peer's SYN or SYN-ACK (RCV.NXT and the window's edge are already set). An option is in force only
     * if both sides sent it; our side's wish is the sysctl (we offered it on our SYN,
     * and a SYN-ACK repeats only what the SYN offered).
     */
    static void negotiate(Connection c, Segment syn) {
        int peerMss = syn.mss >= 0 ? Math.max(syn.mss, Tcp.MIN_MSS) : Tcp.DEFAULT_MSS;
        c.agreed.wscaleOk = c.cfg.tcpWindowScaling() && syn.windowScale >= 0;
        if (c.agreed.wscaleOk) {
            c.agreed.sndWscale = Math.min(syn.windowScale, Tcp.MAX_WINDOW_SCALE);
        } else {
            c.agreed.sndWscale = 0;
            c.agreed.rcvWscale = 0;
        }
        c.agreed.sackOk = c.cfg.tcpSack() && syn.sackPermitted;
        c.agreed.tsOk = c.cfg.tcpTimestamps() && syn.hasTimestamps;
        if (c.agreed.tsOk) {
            c.tsRecent = syn.tsVal;
            c.tsRecentAt = c.now;
        }
        // The smaller of both sides' MSS, less the room the timestamp option takes in every segment (as Linux).
        c.agreed.peerMss = peerMss;
        c.agreed.sndMss = Math.max(Tcp.MIN_SND_MSS, Math.min(Math.min(peerMss, c.agreed.advertisedMss) - (c.agreed.tsOk ? Tcp.TIMESTAMP_OPTION_BYTES : 0),
                PathErrors.mssFor(c, c.agreed.pathMtu)));
        // A client's SYN offered whole segments of the full MSS; a SYN-ACK counts them without the timestamp option.
        int windowMss = c.state == State.SYN_SENT ? c.agreed.advertisedMss
                : c.agreed.advertisedMss - (c.agreed.tsOk ? Tcp.TIMESTAMP_OPTION_BYTES : 0);
        ReceiveSpace.synExchanged(c, ReceiveSpace.initialWindow(c.cfg, c.opts, windowMss));
    }
}
