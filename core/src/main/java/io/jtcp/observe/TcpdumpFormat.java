package io.jtcp.observe;

import io.jtcp.wire.IpAddress;
import io.jtcp.wire.OptionLayout;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;
import io.jtcp.wire.TcpOptions;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders segments the way {@code tcpdump -n -tt} prints IPv4 TCP, so a jtcp
 * trace can be read (and diffed) beside a real capture:
 *
 * <pre>1.000040 IP 10.0.0.2.80 &gt; 10.0.0.1.49152: Flags [P.], seq 1:8, ack 1, win 512, options [nop,nop,TS val 5 ecr 4], length 7</pre>
 *
 * <p>Stateful, one per trace, because tcpdump's relative sequence numbers are:
 * per conversation (the unordered address/port pair) it remembers a base seq
 * and ack, taken from the first segment with ACK set, or from any SYN with
 * ACK set. That segment prints absolute numbers; later ACK-bearing segments
 * print offsets from the base. Segments without ACK always print absolute.
 *
 * <p>Options are rendered from the bytes {@link OptionLayout} writes, so the
 * nops shown are exactly the nops the encoder puts on the wire.
 */
public final class TcpdumpFormat {
    /** Bases for one conversation, named from the side of its lower endpoint ({@code lo}). */
    private static final class Bases {
        int seq; // lo's initial seq
        int ack; // hi's initial seq (lo's first ack - 1)
    }

    /** An address and port, ordered by address then port. */
    private record End(IpAddress addr, int port) implements Comparable<End> {
        @Override
        public int compareTo(End o) {
            int c = addr.compareTo(o.addr);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    private record Conversation(End lo, End hi) {}

    private final Map<Conversation, Bases> conversations = new HashMap<>();
    private final byte[] options = new byte[TcpOptions.MAX_SPACE];

    /** Forgets every conversation, as a fresh tcpdump run would. */
    public void reset() {
        conversations.clear();
    }

    /** One line, without a trailing newline, for {@code s} seen at {@code nanos}. */
    public String format(long nanos, Segment s) {
        StringBuilder b = new StringBuilder(160);
        format(nanos, s, b);
        return b.toString();
    }

    public void format(long nanos, Segment s, StringBuilder b) {
        TraceTime.appendSeconds(b, nanos);
        b.append(s.isV6() ? " IP6 " : " IP ").append(s.srcAddr).append('.').append(s.srcPort)
         .append(" > ").append(s.dstAddr).append('.').append(s.dstPort)
         .append(": Flags [").append(TcpFlags.tcpdump(s.flags)).append(']');

        int seq = s.seq;
        int ack = s.ack;
        int sackBase = 0; // SACK blocks cover the peer's data: relative to this side's ack base
        if (s.ackFlag()) {
            End src = new End(s.srcAddr, s.srcPort);
            End dst = new End(s.dstAddr, s.dstPort);
            boolean rev = src.compareTo(dst) > 0;
            Conversation key = rev ? new Conversation(dst, src) : new Conversation(src, dst);
            Bases bases = conversations.get(key);
            if (bases == null || s.syn()) {
                if (bases == null) conversations.put(key, bases = new Bases());
                bases.seq = rev ? s.ack - 1 : s.seq;
                bases.ack = rev ? s.seq : s.ack - 1;
            } else {
                seq -= rev ? bases.ack : bases.seq;
                ack -= rev ? bases.seq : bases.ack;
            }
            // tcpdump makes SACK edges relative even on the segment that sets the bases.
            sackBase = rev ? bases.seq : bases.ack;
        }

        int length = s.payloadLength;
        if (length > 0 || (s.flags & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) != 0) {
            b.append(", seq ").append(Integer.toUnsignedString(seq));
            if (length > 0) b.append(':').append(Integer.toUnsignedString(seq + length));
        }
        if (s.ackFlag()) b.append(", ack ").append(Integer.toUnsignedString(ack));
        b.append(", win ").append(s.window);
        if (s.has(TcpFlags.URG)) b.append(", urg ").append(s.urgent);
        int optLen = OptionLayout.write(s, options, 0);
        if (optLen > 0) {
            b.append(", options [");
            appendOptions(optLen, sackBase, b);
            b.append(']');
        }
        b.append(", length ").append(length);
    }

    /** Walks the option bytes like tcpdump's tcp_print does; they are ours, so well formed. */
    private void appendOptions(int optLen, int sackBase, StringBuilder b) {
        int i = 0;
        while (i < optLen) {
            if (i > 0) b.append(',');
            int kind = options[i] & 0xff;
            if (kind == TcpOptions.EOL) {
                b.append("eol");
                return;
            }
            if (kind == TcpOptions.NOP) {
                b.append("nop");
                i++;
                continue;
            }
            int len = options[i + 1] & 0xff;
            int d = i + 2;
            switch (kind) {
                case TcpOptions.MSS -> b.append("mss ").append(u16(d));
                case TcpOptions.WSCALE -> b.append("wscale ").append(options[d] & 0xff);
                case TcpOptions.SACK_PERMITTED -> b.append("sackOK");
                case TcpOptions.TIMESTAMPS -> b.append("TS val ").append(Integer.toUnsignedString(i32(d)))
                        .append(" ecr ").append(Integer.toUnsignedString(i32(d + 4)));
                case TcpOptions.SACK -> {
                    int n = (len - 2) / TcpOptions.SACK_BLOCK_LENGTH;
                    b.append("sack ").append(n).append(' ');
                    for (int k = 0; k < n; k++) {
                        int at = d + k * TcpOptions.SACK_BLOCK_LENGTH;
                        b.append('{').append(Integer.toUnsignedString(i32(at) - sackBase))
                         .append(':').append(Integer.toUnsignedString(i32(at + 4) - sackBase)).append('}');
                    }
                }
                default -> b.append("unknown-").append(kind);
            }
            i += len;
        }
    }

    private int u16(int i) {
        return (options[i] & 0xff) << 8 | (options[i + 1] & 0xff);
    }

    private int i32(int i) {
        return (options[i] & 0xff) << 24 | (options[i + 1] & 0xff) << 16 | (options[i + 2] & 0xff) << 8 | (options[i + 3] & 0xff);
    }
}
