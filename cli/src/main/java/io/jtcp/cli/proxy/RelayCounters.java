package io.jtcp.cli.proxy;

import java.util.concurrent.atomic.LongAdder;

/** What the proxy relayed, counted from the relay threads; read at any time. */
public final class RelayCounters {
    public final LongAdder tcpConnections = new LongAdder(), tcpActive = new LongAdder(), tcpRefused = new LongAdder(),
            tcpUnreachable = new LongAdder(), tcpBytesOut = new LongAdder(), tcpBytesIn = new LongAdder(),
            tcpErrors = new LongAdder();
    public final LongAdder udpFlows = new LongAdder(), udpActive = new LongAdder(), udpRefused = new LongAdder(),
            udpExpired = new LongAdder(), udpDatagramsOut = new LongAdder(), udpDatagramsIn = new LongAdder(),
            udpBytesOut = new LongAdder(), udpBytesIn = new LongAdder();

    /** Two lines, "out" being client to destination and "in" the way back. */
    public String format() {
        return String.format("tcp: %d connections (%d active), %d refused, %d unreachable, %d failed; %d bytes out, %d in%n"
                        + "udp: %d flows (%d active, %d expired), %d refused; %d datagrams out (%d bytes), %d in (%d bytes)%n",
                tcpConnections.sum(), tcpActive.sum(), tcpRefused.sum(), tcpUnreachable.sum(), tcpErrors.sum(),
                tcpBytesOut.sum(), tcpBytesIn.sum(),
                udpFlows.sum(), udpActive.sum(), udpExpired.sum(), udpRefused.sum(),
                udpDatagramsOut.sum(), udpBytesOut.sum(), udpDatagramsIn.sum(), udpBytesIn.sum());
    }
}
