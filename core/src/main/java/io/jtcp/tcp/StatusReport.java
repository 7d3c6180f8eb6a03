package io.jtcp.tcp;

import io.jtcp.api.ConnectionStatus;

/** Builds the socket layer's {@link ConnectionStatus} from a TCB: which timer ss would show, and the TCB's fields. */
final class StatusReport {
    private StatusReport() {}

    static ConnectionStatus of(Connection c, long now) {
        String timer;
        long at;
        TimerTable t = c.timers;
        TimerTable.Kind recovery = t.recoveryPending();
        if (t.armed(TimerTable.Kind.TIME_WAIT) || t.armed(TimerTable.Kind.FIN_WAIT_2)) {
            timer = "timewait";
            at = Math.min(t.at(TimerTable.Kind.TIME_WAIT), t.at(TimerTable.Kind.FIN_WAIT_2));
        } else if (recovery != null) {
            // ss names the shared slot by what it holds (tcp_diag's timer codes 1, 8 and 9 all print "on")
            timer = "on";
            at = t.at(recovery);
        } else if (t.armed(TimerTable.Kind.PERSIST)) {
            timer = "persist";
            at = t.at(TimerTable.Kind.PERSIST);
        } else if (t.armed(TimerTable.Kind.KEEPALIVE)) {
            timer = "keepalive";
            at = t.at(TimerTable.Kind.KEEPALIVE);
        } else {
            timer = "off";
            at = now;
        }
        return new ConnectionStatus(c.state, c.tuple(), c.orphan, c.error,
                c.iss, c.sndUna, c.sndMax, c.sndWnd, c.irs, c.rcvNxt, c.rcvWnd(),
                c.agreed.sndMss, c.agreed.advertisedMss, c.agreed.wscaleOk ? c.agreed.sndWscale : -1, c.agreed.wscaleOk ? c.agreed.rcvWscale : -1, c.agreed.tsOk, c.agreed.sackOk,
                c.rtt.srtt(), c.rtt.rttvar(), c.rtt.rto(), c.recovery.w.cwnd, c.recovery.w.ssthresh, c.recovery.algorithm().linuxName(),
                c.sendBuf.size(), c.recvBuf.readable(), c.retries,
                t.armed(TimerTable.Kind.PERSIST) ? c.persistProbes : c.keepaliveProbes, c.retransmittedSegments,
                timer, Math.max(0, at - now), TcpInfo.of(c, now));
    }
}
