package io.jtcp.tun.scenario;

import io.jtcp.scenario.Explanation;
import io.jtcp.api.ConnectionStatus;
import io.jtcp.tcp.State;

/** The three-way handshake both ways round: jtcp connects to the kernel, then the kernel to jtcp. */
final class HandshakeStory implements KernelScenario {
    @Override public String name() { return "handshake"; }

    @Override public String title() { return "SYN, SYN-ACK, ACK: jtcp connects to the kernel, then the kernel to jtcp"; }

    @Override
    public Explanation run(KernelRun run) throws Exception {
        Acts.Conn out = Acts.jtcpClient(run, Acts.KERNEL_PORT);
        run.show("jtcp's SYN was answered by the kernel's SYN-ACK, and jtcp's ACK completed it: both ESTABLISHED");
        Acts.Conn in = Acts.kernelClient(run, Acts.JTCP_PORT);
        run.show("the kernel's SYN reached jtcp's listener, which answered SYN-ACK; the kernel's ACK completed it");
        ConnectionStatus a = out.jtcp().status(), b = in.jtcp().status();
        var synSent = run.states(State.ESTABLISHED, out.jtcpPort()).getFirst();
        var synRcvd = run.states(State.ESTABLISHED, Acts.JTCP_PORT).getFirst();
        return Explanation.of(
                "jtcp as client: CLOSED -> SYN_SENT on connect(), SYN_SENT -> ESTABLISHED when the kernel's SYN-ACK arrived ("
                        + Acts.at(synSent.timeNanos()) + "); jtcp's ACK then took the kernel's end to ESTAB as well.",
                "jtcp as server: the kernel's SYN made a connection in SYN_RECEIVED under the listener, and the kernel's ACK"
                        + " moved it to ESTABLISHED (" + Acts.at(synRcvd.timeNanos()) + "), ready for accept().",
                "Both handshakes agreed on options with Linux: MSS " + a.sndMss() + ", window scale " + a.sndWscale() + "/"
                        + a.rcvWscale() + ", SACK " + (a.sack() ? "on" : "off") + ", timestamps "
                        + (a.timestamps() && b.timestamps() ? "on" : "off") + " (jtcp's ConnectionStatus; ss -tin in the namespace shows the same).");
    }
}
