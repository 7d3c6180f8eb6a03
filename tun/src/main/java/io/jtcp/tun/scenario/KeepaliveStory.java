package io.jtcp.tun.scenario;

import io.jtcp.api.TcpOption;
import io.jtcp.observe.TraceEvent;
import io.jtcp.scenario.Explanation;
import io.jtcp.tun.PacketFilter;
import java.io.IOException;
import java.time.Duration;

/**
 * Keepalive finds a dead peer: jtcp probes an idle connection; the first probe is answered,
 * then the link goes dark (TunLink drops everything, both ways) and the unanswered probes
 * end the connection with ETIMEDOUT, while the kernel, probing nothing, still holds it.
 */
final class KeepaliveStory implements KernelScenario {
    static final Duration IDLE = Duration.ofSeconds(1), INTERVAL = Duration.ofMillis(500);
    static final int PROBES = 3;

    @Override public String name() { return "keepalive"; }

    @Override public String title() { return "jtcp's keepalive probes a kernel peer that vanished behind a dead link: ETIMEDOUT"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn c = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, c);
        c.jtcp().setOption(TcpOption.SO_KEEPALIVE, true);
        c.jtcp().setOption(TcpOption.TCP_KEEPIDLE, IDLE);
        c.jtcp().setOption(TcpOption.TCP_KEEPINTVL, INTERVAL);
        c.jtcp().setOption(TcpOption.TCP_KEEPCNT, PROBES);
        run.user("jtcp", "setsockopt", c.jtcpEnd(), "SO_KEEPALIVE 1, TCP_KEEPIDLE " + IDLE.toMillis() + "ms, TCP_KEEPINTVL "
                + INTERVAL.toMillis() + "ms, TCP_KEEPCNT " + PROBES);
        String[] error = new String[1];
        Thread reader = run.background("jtcp-app", () -> {
            try {
                int r = c.jtcp().getInputStream().read();
                error[0] = "read returned " + r;
            } catch (IOException e) {
                error[0] = Acts.failure(e);
            }
            run.user("jtcp", "read", c.jtcpEnd(), error[0]);
        });
        int port = c.jtcpPort();
        int una = c.jtcp().status().sndUna();
        run.awaitJtcp(all -> firstProbeAnswered(run, port, una), "its first keepalive probe answered");
        run.show("after " + IDLE.toMillis() + " ms idle jtcp sent its first probe (SND.UNA-1), and the kernel answered it");
        run.link().dropIncoming((p, o, l) -> true);
        run.link().dropOutgoing((p, o, l) -> true);
        run.note("The link goes dark: TunLink now drops every packet both ways on jtcp's side of the TUN.");
        KernelRun.join(reader);
        String ss = run.show("jtcp gave up after " + PROBES + " unanswered probes; the kernel, which heard nothing, still holds ESTAB");
        long lost = run.link().faultDroppedOut();
        run.link().dropIncoming(PacketFilter.NONE);
        run.link().dropOutgoing(PacketFilter.NONE);
        return Explanation.of(
                "With SO_KEEPALIVE and TCP_KEEPIDLE " + IDLE.toMillis() + " ms, jtcp sent a probe once the connection had been idle"
                        + " that long: a segment carrying SND.UNA-1, which the kernel must answer with an ACK, and did.",
                "Then every packet was dropped. jtcp probed again after another idle period and every " + INTERVAL.toMillis()
                        + " ms after that; after " + PROBES + " unanswered probes it dropped the connection, and the blocked read failed: "
                        + error[0] + ".",
                "The kernel's end never heard a thing and has no keepalive of its own here, so ss still shows it: "
                        + Acts.ssLine(ss, port) + ". Keepalive is how the side that cares finds out; jtcp's side of the TUN swallowed " + lost
                        + " of its segments (the probes, and the RST it sent on giving up).");
    }

    /**
     * True once jtcp's trace shows a keepalive probe (a segment carrying SND.UNA-1) going
     * out and a segment coming back after it: the kernel's answer, as nothing else is in
     * flight on an idle connection.
     */
    private static boolean firstProbeAnswered(KernelRun run, int port, int sndUna) {
        boolean probed = false;
        String p = ":" + port;
        for (TraceEvent e : run.events()) {
            if (!(e instanceof TraceEvent.SegmentEvent s) || !(s.local().endsWith(p) || s.remote().endsWith(p))) continue;
            if (s.dir().equals(TraceEvent.SegmentEvent.OUT) && s.segment().seq == sndUna - 1) probed = true;
            else if (probed && s.dir().equals(TraceEvent.SegmentEvent.IN)) return true;
        }
        return false;
    }
}
