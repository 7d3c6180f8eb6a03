package io.jtcp.packetdrill;

import io.jtcp.wire.IpAddress;

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

    /**
     * A sockaddr field under its sockaddr_in or its sockaddr_in6 name: packetdrill's grammar
     * spells both families {@code {sa_family=AF_INET6, sin_port=htons(8080), sin_addr=inet_addr("::1")}};
     * strace's sin6_port/sin6_addr are read too.
     */
    private static Expr field(Expr sockaddr, String... names) {
        if (!(sockaddr instanceof Expr.Struct st)) return null;
        for (String name : names) if (st.get(name) != null) return st.get(name);
        return null;
    }

    /** The port of a sockaddr argument, or {@code fallback} when it is {@code ...}. */
    static int port(Expr sockaddr, int fallback) throws UnsupportedFeature {
        Expr port = field(sockaddr, "sin_port", "sin6_port");
        return port != null ? (int) integer(port, fallback) : fallback;
    }

    /** The family of a sockaddr argument (sa_family or sin_family), or {@code fallback} when it names none. */
    static int family(Expr sockaddr, int fallback) throws UnsupportedFeature {
        Expr family = field(sockaddr, "sa_family", "sin_family", "sin6_family");
        return family != null ? (int) integer(family, fallback) : fallback;
    }

    /**
     * The address of a sockaddr argument, or {@code fallback}: {@code inet_addr("...")} or
     * {@code inet_pton(AF_INET6, "...")} of either family; a v4-mapped literal
     * ({@code ::ffff:192.0.2.1}) is the IPv4 address, as the stack holds it.
     */
    static IpAddress address(Expr sockaddr, IpAddress fallback) throws UnsupportedFeature {
        if (field(sockaddr, "sin_addr", "sin6_addr") instanceof Expr.Call c
                && (c.name().equals("inet_addr") || c.name().equals("inet_pton") || c.name().equals("inet6_addr"))
                && !c.args().isEmpty() && c.args().get(c.args().size() - 1) instanceof Expr.Str s) {
            try {
                return IpAddress.parse(s.value());
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
