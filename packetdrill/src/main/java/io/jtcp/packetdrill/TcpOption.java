package io.jtcp.packetdrill;

import java.util.List;
import java.util.stream.Collectors;

/** One TCP option as a script writes it inside {@code <...>}. */
sealed interface TcpOption {

    String render();

    record Nop() implements TcpOption {
        public String render() { return "nop"; }
    }

    record Eol() implements TcpOption {
        public String render() { return "eol"; }
    }

    record Mss(int value) implements TcpOption {
        public String render() { return "mss " + value; }
    }

    record WindowScale(int shift) implements TcpOption {
        public String render() { return "wscale " + shift; }
    }

    record SackPermitted() implements TcpOption {
        public String render() { return "sackOK"; }
    }

    /** Edges as written: relative to the ISN of the side they acknowledge. */
    record Sack(List<long[]> blocks) implements TcpOption {
        public String render() {
            return "sack" + blocks.stream().map(b -> " " + b[0] + ":" + b[1]).collect(Collectors.joining());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sack s && render().equals(s.render());
        }

        @Override
        public int hashCode() { return render().hashCode(); }
    }

    record Timestamp(long val, long ecr) implements TcpOption {
        public String render() { return "TS val " + val + " ecr " + ecr; }
    }

    /**
     * TCP Fast Open (RFC 7413): {@code FO} (kind 34) or {@code FOEXP} (kind 254, magic
     * 0xF989), with a cookie as hex, or empty for a cookie request.
     */
    record FastOpen(boolean exp, String cookieHex) implements TcpOption {
        public String render() { return (exp ? "FOEXP" : "FO") + (cookieHex.isEmpty() ? "" : " " + cookieHex); }

        byte[] cookie() {
            byte[] b = new byte[cookieHex.length() / 2];
            for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(cookieHex.substring(2 * i, 2 * i + 2), 16);
            return b;
        }
    }

    /** An option the runner does not model (FO, md5, ECN, ...): the script is reported unsupported. */
    record Unsupported(String name, String text) implements TcpOption {
        public String render() { return text; }
    }
}
