package io.jtcp.tcp;

import io.jtcp.api.ConnectionStatus;

/** Builds the socket layer's {@link ConnectionStatus} from a TCB: which timer ss would show, and the TCB's fields. */
final class StatusReport {
    private StatusReport() {}

    static ConnectionStatus of(Connection c, long now) {
        String timer;
        long at;
        if (c.timeWaitAt != Connection.NEVER || c.finWait2At != Connection.NEVER) {
            timer = "timewait";
            at = Math.min(c.timeWaitAt, c.finWait2At);
        } else if (c.rtxAt != Connection.NEVER) {
            timer = "on";
            at = c.rtxAt;
        } else if (c.persistAt != Connection.NEVER) {
            timer = "persist";
            at = c.persistAt;
        } else if (c.keepaliveAt != Connection.NEVER) {
            timer = "keepalive";
            at = c.keepaliveAt;
        } else {
            timer = "off";
            at = now;
        }
        return new ConnectionStatus(c.state, c.tuple(), c.orphan, c.error,
                c.iss, c.sndUna, c.sndMax, c.sndWnd, c.irs, c.rcvNxt, c.rcvWnd(),
                c.sndMss, c.advertisedMss, c.wscaleOk ? c.sndWscale : -1, c.wscaleOk ? c.rcvWscale : -1, c.tsOk, c.sackOk,
                c.rtt.srtt(), c.rtt.rttvar(), c.rtt.rto(), c.cc.cwnd, c.cc.ssthresh,
                c.sendBuf.size(), c.recvBuf.readable(), c.retries,
                c.persistAt != Connection.NEVER ? c.persistProbes : c.keepaliveProbes, c.retransmittedSegments,
                timer, Math.max(0, at - now), TcpInfo.of(c, now));
    }
}
