package io.jtcp.wire;

/** A connection's identity seen from one end: local address and port, remote address and port, one family. */
public record FourTuple(IpAddress localAddr, int localPort, IpAddress remoteAddr, int remotePort) {

    /** The tuple an arriving segment belongs to, seen from the receiving host. */
    public static FourTuple ofArriving(Segment s) {
        return new FourTuple(s.dstAddr, s.dstPort, s.srcAddr, s.srcPort);
    }

    public boolean isV6() { return !localAddr.isV4(); }

    /** ss's spelling, {@code 10.0.0.1:80} or {@code [fd00::1]:80}. */
    public String local() { return localAddr.withPort(localPort); }

    public String remote() { return remoteAddr.withPort(remotePort); }

    /** tcpdump's spelling, {@code 10.0.0.1.49152 > 10.0.0.2.80}, {@code fd00::1.49152 > fd00::2.80}. */
    @Override
    public String toString() {
        return localAddr + "." + localPort + " > " + remoteAddr + "." + remotePort;
    }
}
