package io.jtcp.packetdrill;

import io.jtcp.wire.Ip4;

/** Reads system call arguments as the kernel would see them: integers, ports, addresses, iovec lengths. */
final class Args {
    private Args() {}

    /** The integer {@code e} stands for; {@code fallback} for {@code ...}. */
    static long integer(Expr e, long fallback) throws UnsupportedFeature {
        return switch (e) {
            case null -> fallback;
            case Expr.Ellipsis x -> fallback;
            case Expr.Num n -> n.value();
            case Expr.Sym s -> {
                Long v = Symbols.value(s.name());
                if (v == null && LinuxErrno.number(s.name()) > 0) v = (long) LinuxErrno.number(s.name());
                if (v == null) throw new UnsupportedFeature("symbol " + s.name());
                yield v;
            }
            case Expr.Or or -> {
                long v = 0;
                for (Expr t : or.terms()) v |= integer(t, 0);
                yield v;
            }
            case Expr.Array a -> a.items().isEmpty() ? fallback : integer(a.items().get(0), fallback);
            case Expr.Call c when c.name().equals("htons") || c.name().equals("htonl") -> integer(c.args().get(0), fallback);
            default -> throw new UnsupportedFeature("argument " + e.render());
        };
    }

    /** The port of a sockaddr argument, or {@code fallback} when it is {@code ...}. */
    static int port(Expr sockaddr, int fallback) throws UnsupportedFeature {
        if (sockaddr instanceof Expr.Struct st && st.get("sin_port") != null) return (int) integer(st.get("sin_port"), fallback);
        return fallback;
    }

    /** The IPv4 address of a sockaddr argument, or {@code fallback}. */
    static int address(Expr sockaddr, int fallback) throws UnsupportedFeature {
        if (sockaddr instanceof Expr.Struct st && st.get("sin_addr") instanceof Expr.Call c && c.name().equals("inet_addr")
                && c.args().size() == 1 && c.args().get(0) instanceof Expr.Str s) {
            try {
                return Ip4.parse(s.value());
            } catch (IllegalArgumentException e) {
                throw new UnsupportedFeature("address " + s.value());
            }
        }
        return fallback;
    }

    /** The total length of an iovec array {@code [{..., 1000}, {..., 500}]}. */
    static int iovecLength(Expr iov) throws UnsupportedFeature {
        if (!(iov instanceof Expr.Array a)) throw new UnsupportedFeature("iovec " + iov.render());
        int total = 0;
        for (Expr item : a.items()) {
            if (!(item instanceof Expr.Struct st) || st.fields().size() != 2) throw new UnsupportedFeature("iovec " + item.render());
            total += (int) integer(st.fields().get(1).value(), 0);
        }
        return total;
    }

    /** A constant's name as the script wrote it, for messages. */
    static String describe(Expr e) {
        return e.render();
    }
}
