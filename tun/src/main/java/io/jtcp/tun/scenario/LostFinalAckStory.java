package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.State;
import io.jtcp.tun.PacketFilter;
import io.jtcp.wire.TcpFlags;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The first reason for TIME_WAIT, with jtcp as the closer whose TIME_WAIT is on trial:
 * jtcp closes first, the kernel closes second, and jtcp's final ACK is dropped on jtcp's
 * side of the TUN. The kernel, in LAST_ACK, retransmits its FIN; only because jtcp is
 * still in TIME_WAIT can it answer with an ACK instead of a RST.
 *
 * <p>jtcp's bare ACKs stay dropped until ss has shown the kernel in LAST-ACK, so that state
 * lasts until it is seen; should the look take longer than the kernel's first
 * retransmission, that re-ACK is lost too and a later one ends it. jtcp keeps Linux's 60 s
 * TIME_WAIT here (msl 30 s), which outlasts any of this, and the story ends before it does.
 */
final class LostFinalAckStory implements KernelScenario {
    @Override public String name() { return "lost-final-ack"; }

    @Override public String title() { return "jtcp's final ACK is dropped; jtcp's TIME_WAIT re-ACKs the kernel's retransmitted FIN"; }

    /** Linux's own TIME_WAIT: the retransmitted FIN must find it however late the look at LAST-ACK is. */
    @Override public List<String> defaultSysctls() { return List.of("msl=30s"); }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn c = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, c);
        int port = c.jtcpPort();
        CountDownLatch kernelMayClose = new CountDownLatch(1);
        Thread kernelApp = Acts.kernelClosesOnEof(run, c, kernelMayClose);
        c.jtcp().close();
        run.user("jtcp", "close", c.jtcpEnd(), "0");
        run.awaitJtcp(State.FIN_WAIT_2, port);
        run.link().dropOutgoing(PacketFilter.bareTcp(TcpFlags.ACK));
        run.note("From now on jtcp's bare ACKs are dropped on jtcp's side of the TUN until ss has shown the kernel in LAST-ACK:"
                + " the first of them is jtcp's final ACK.");
        kernelMayClose.countDown();
        KernelRun.join(kernelApp);
        run.awaitJtcp(State.TIME_WAIT, port);
        String lastAck = run.showKernel("jtcp's final ACK was dropped: jtcp is in TIME_WAIT, the kernel waits in LAST-ACK with its"
                + " retransmission timer on", ss -> Acts.ssLine(ss, port).startsWith("LAST-ACK"), "LAST-ACK");
        run.link().dropOutgoing(PacketFilter.NONE);
        long lost = run.link().faultDroppedOut();
        run.note("jtcp's ACKs pass again (" + lost + " dropped).");
        String after = run.showKernel("a retransmitted FIN was re-ACKed from TIME_WAIT (2MSL restarted); the kernel's socket is gone",
                ss -> Acts.ssLine(ss, port).equals("(nothing)"), "its socket gone");
        long reAcks = run.states().stream().filter(s -> s.cause().equals(Cause.TIME_WAIT_FIN_REACKED.toString())).count();
        var fins = Acts.received(run, port, s -> s.fin());
        long rtx = fins.size() >= 2 ? fins.get(1).timeNanos() - fins.get(0).timeNanos() : -1;
        long rsts = Acts.received(run, port, s -> s.rst()).size() + Acts.sent(run, port, s -> s.rst()).size();
        return Explanation.of(
                "jtcp closed first and reached FIN_WAIT_2; then the kernel closed. jtcp's ACK of that FIN (its final ACK) was dropped"
                        + " on the way, so ss showed: " + Acts.ssLine(lastAck, port) + ".",
                "The kernel retransmitted its FIN " + (rtx < 0 ? "(not seen)" : rtx / 1_000_000 + " ms") + " after the first,"
                        + " and jtcp, still in TIME_WAIT, answered each retransmission with a new ACK (" + reAcks + " in all, "
                        + (lost - 1) + " of them dropped while ss was being read) and restarted its 2MSL timer.",
                "The kernel then closed cleanly (" + (Acts.ssLine(after, port).equals("(nothing)") ? "nothing left in ss" : Acts.ssLine(after, port))
                        + "), and " + (rsts == 0 ? "no RST was sent either way" : rsts + " RST(s) crossed the wire") + ". Without TIME_WAIT"
                        + " the FIN would have found no socket, drawn a RST, and the kernel's close would have failed (see the simulator's"
                        + " lost-final-ack --ablate time-wait). jtcp's TIME_WAIT (" + run.sysctls.timeWait().toSeconds()
                        + " s, as Linux's) is still running when the story ends.");
    }
}
