package io.jtcp.nio;

import io.jtcp.api.TcpOption;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JDK's {@link StandardSocketOptions} as jtcp's {@link TcpOption}s: which of them a
 * jtcp socket has, and their values converted (SO_LINGER is seconds, -1 for off, in the JDK
 * and a Duration, null for off, in jtcp). jtcp's own options pass through unchanged.
 */
final class NioOptions {
    private static final Map<SocketOption<?>, TcpOption<?>> STANDARD = Map.of(
            StandardSocketOptions.TCP_NODELAY, TcpOption.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, TcpOption.SO_KEEPALIVE,
            StandardSocketOptions.SO_REUSEADDR, TcpOption.SO_REUSEADDR,
            StandardSocketOptions.SO_RCVBUF, TcpOption.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, TcpOption.SO_SNDBUF,
            StandardSocketOptions.SO_LINGER, TcpOption.SO_LINGER);

    /** What a socket channel supports; a server channel has the subset {@link #SERVER}. */
    static final Set<SocketOption<?>> SOCKET = Stream.concat(STANDARD.keySet().stream(), TcpOption.ALL.stream())
            .collect(Collectors.toUnmodifiableSet());
    static final Set<SocketOption<?>> SERVER = Stream.concat(
                    Stream.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_RCVBUF), TcpOption.ALL.stream())
            .collect(Collectors.toUnmodifiableSet());

    private NioOptions() {}

    /** jtcp's option for {@code name}; UnsupportedOperationException as the JDK's channels throw for one they lack. */
    static TcpOption<?> jtcp(SocketOption<?> name, Set<SocketOption<?>> supported) {
        if (name == null) throw new NullPointerException("option");
        if (!supported.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        return name instanceof TcpOption<?> t ? t : STANDARD.get(name);
    }

    /** The JDK value {@code v} of {@code name} as jtcp's. */
    static Object toJtcp(SocketOption<?> name, Object v) {
        if (v == null && name != StandardSocketOptions.SO_LINGER && !(name instanceof TcpOption<?>)) {
            throw new IllegalArgumentException("Invalid value 'null'");
        }
        if (name == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) v;
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 65535));
        }
        if (!name.type().isInstance(v)) throw new IllegalArgumentException("Invalid value '" + v + "'");
        return v;
    }

    /** jtcp's value {@code v} of {@code name} as the JDK gives it. */
    static Object fromJtcp(SocketOption<?> name, Object v) {
        if (name == StandardSocketOptions.SO_LINGER) return v == null ? -1 : (int) ((Duration) v).toSeconds();
        return v;
    }
}
