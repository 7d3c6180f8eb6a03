package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.State;
import io.jtcp.tun.PacketFilter;

/**
 * The first reason for TIME_WAIT, with jtcp as the closer whose TIME_WAIT is on trial:
 * jtcp closes first, the kernel closes second, and jtcp's final ACK is dropped on jtcp's
 * side of the TUN. The kernel, in LAST_ACK, retransmits its FIN; only because jtcp is
 * still in TIME_WAIT can it answer with an ACK instead of a RST.
 */
final class LostFinalAckStory implements KernelScenario {
    @Override public String name() { return "lost-final-ack"; }

    @Override public String title() { return "jtcp's final ACK is dropped; jtcp's TIME_WAIT re-ACKs the kernel's retransmitted FIN"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn c = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        Acts.requestReply(run, c);
        int port = c.jtcpPort();
        Thread kernelApp = Acts.kernelClosesOnEof(run, c, Acts.THINK_MS);
        c.jtcp().close();
        run.user("jtcp", "close", c.jtcpEnd(), "0");
        run.awaitJtcp(State.FIN_WAIT_2, port);
        run.link().dropOutgoing(PacketFilter.first(1, PacketFilter.bareTcp(0x10)));
        run.note("From now on jtcp's next bare ACK is dropped on jtcp's side of the TUN: the kernel will never see it.");
        run.awaitJtcp(State.TIME_WAIT, port);
        String lastAck = run.awaitKernel(ss -> Acts.ssLine(ss, port).startsWith("LAST-ACK"), "LAST-ACK");
        run.show("jtcp's final ACK was dropped: jtcp is in TIME_WAIT, the kernel waits in LAST-ACK with its retransmission timer on");
        kernelApp.join();
        run.awaitJtcp(all -> run.states().stream().anyMatch(s -> s.cause().equals(Cause.TIME_WAIT_FIN_REACKED.toString())),
                "the re-ACK of a retransmitted FIN");
        String after = run.awaitKernel(ss -> Acts.ssLine(ss, port).equals("(nothing)"), "its socket gone");
        run.show("the retransmitted FIN was re-ACKed from TIME_WAIT (2MSL restarted); the kernel's socket is gone");
        var fins = Acts.received(run, port, s -> s.fin());
        long rtx = fins.size() >= 2 ? fins.get(1).timeNanos() - fins.get(0).timeNanos() : -1;
        long rsts = Acts.received(run, port, s -> s.rst()).size() + Acts.sent(run, port, s -> s.rst()).size();
        run.awaitJtcpGone(port);
        return Explanation.of(
                "jtcp closed first and reached FIN_WAIT_2; the kernel closed " + Acts.THINK_MS + " ms later. jtcp's ACK of that FIN"
                        + " (its final ACK) was dropped on the way, so ss showed: " + Acts.ssLine(lastAck, port) + ".",
                "The kernel retransmitted its FIN " + (rtx < 0 ? "(not seen)" : rtx / 1_000_000 + " ms") + " after the first,"
                        + " and jtcp, still in TIME_WAIT, answered it with a new ACK and restarted its 2MSL timer.",
                "The kernel then closed cleanly (" + (Acts.ssLine(after, port).equals("(nothing)") ? "nothing left in ss" : Acts.ssLine(after, port))
                        + "), and " + (rsts == 0 ? "no RST was sent either way" : rsts + " RST(s) crossed the wire") + ". Without TIME_WAIT"
                        + " the FIN would have found no socket, drawn a RST, and the kernel's close would have failed (see the simulator's"
                        + " lost-final-ack --ablate time-wait).");
    }
}
