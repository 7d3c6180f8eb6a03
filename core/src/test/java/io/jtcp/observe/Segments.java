package io.jtcp.observe;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;

/** Segments for the printer tests: the demo's client 10.0.0.1:49152 and server 10.0.0.2:80. */
final class Segments {
    private Segments() {}

    static final String CLIENT = "10.0.0.1:49152";
    static final String SERVER = "10.0.0.2:80";

    static Segment clientToServer(int flags) {
        Segment s = new Segment();
        s.srcAddr = IpAddress.parse("10.0.0.1");
        s.srcPort = 49152;
        s.dstAddr = IpAddress.parse("10.0.0.2");
        s.dstPort = 80;
        s.flags = flags;
        return s;
    }

    /** Linux's SYN: MSS, SACK permitted, timestamps, window scale. */
    static Segment syn() {
        Segment s = clientToServer(TcpFlags.SYN);
        s.seq = 1000;
        s.window = 65535;
        s.mss = 1460;
        s.sackPermitted = true;
        s.hasTimestamps = true;
        s.tsVal = 1;
        s.tsEcr = 0;
        s.windowScale = 7;
        return s;
    }
}
