package io.jtcp.wire;

/** The TCP header's control bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR) as bit masks. */
public final class TcpFlags {
    private TcpFlags() {}

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** tcpdump's rendering inside {@code Flags [...]}: S, F, R, P, U, E, W, and '.' for ACK. */
    public static String tcpdump(int flags) {
        StringBuilder b = new StringBuilder(8);
        if ((flags & SYN) != 0) b.append('S');
        if ((flags & FIN) != 0) b.append('F');
        if ((flags & PSH) != 0) b.append('P');
        if ((flags & RST) != 0) b.append('R');
        if ((flags & URG) != 0) b.append('U');
        if ((flags & ECE) != 0) b.append('E');
        if ((flags & CWR) != 0) b.append('W');
        if ((flags & ACK) != 0) b.append('.');
        return b.isEmpty() ? "none" : b.toString();
    }
}
