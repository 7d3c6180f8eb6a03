package io.jtcp.wire;

/** A connection's identity seen from one end: local address and port, remote address and port. */
public record FourTuple(int localAddr, int localPort, int remoteAddr, int remotePort) {

    /** The tuple an arriving segment belongs to, seen from the receiving host. */
    public static FourTuple ofArriving(Segment s) {
        return new FourTuple(s.dstAddr, s.dstPort, s.srcAddr, s.srcPort);
    }

    public String local() { return Ip4.format(localAddr) + ":" + localPort; }

    public String remote() { return Ip4.format(remoteAddr) + ":" + remotePort; }

    /** tcpdump's spelling, {@code 10.0.0.1.49152 > 10.0.0.2.80}. */
    @Override
    public String toString() {
        return Ip4.format(localAddr) + "." + localPort + " > " + Ip4.format(remoteAddr) + "." + remotePort;
    }
}
