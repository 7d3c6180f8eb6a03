package io.jtcp.net;

import io.jtcp.api.TcpOption;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * jtcp's socket options as {@link SocketOption}s, for {@code Socket.setOption} and NIO's
 * {@code setOption}, and the translation of the JDK's standard ones: TCP_NODELAY,
 * SO_KEEPALIVE, SO_REUSEADDR, SO_RCVBUF and SO_SNDBUF map one to one; SO_LINGER's
 * seconds (negative: off) become {@link TcpOption#SO_LINGER}'s Duration (null: off).
 * Every {@link TcpOption} is reachable as {@code JtcpSocketOptions.of(TcpOption.X)}.
 */
public final class JtcpSocketOptions {
    private record Wrapped<T>(TcpOption<T> option) implements SocketOption<T> {
        @Override public String name() { return "jtcp." + option.name(); }
        @Override public Class<T> type() { return option.type(); }
        @Override public String toString() { return name(); }
    }

    private static final Map<TcpOption<?>, SocketOption<?>> WRAPPED = new LinkedHashMap<>();
    static {
        for (TcpOption<?> o : TcpOption.ALL) WRAPPED.put(o, new Wrapped<>(o));
    }

    /** The standard options that are jtcp's own with the same value type. */
    private static final Map<SocketOption<?>, TcpOption<?>> SAME_TYPE = Map.of(
            StandardSocketOptions.TCP_NODELAY, TcpOption.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, TcpOption.SO_KEEPALIVE,
            StandardSocketOptions.SO_REUSEADDR, TcpOption.SO_REUSEADDR,
            StandardSocketOptions.SO_RCVBUF, TcpOption.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, TcpOption.SO_SNDBUF);

    private JtcpSocketOptions() {}

    /** {@code option} as a {@link SocketOption} (named "jtcp." and the setsockopt name). */
    @SuppressWarnings("unchecked")
    public static <T> SocketOption<T> of(TcpOption<T> option) {
        return (SocketOption<T>) WRAPPED.get(option);
    }

    /** The options a jtcp socket takes: the standard ones above and every jtcp one. */
    public static Set<SocketOption<?>> supported() {
        Set<SocketOption<?>> all = new LinkedHashSet<>(SAME_TYPE.keySet());
        all.add(StandardSocketOptions.SO_LINGER);
        all.addAll(WRAPPED.values());
        return all;
    }

    /** Where an option's value goes: a TcpSocket's or a TcpServerSocket's options. */
    interface Target {
        <T> void set(TcpOption<T> option, T value) throws java.io.IOException;

        <T> T get(TcpOption<T> option) throws java.io.IOException;
    }

    /** setsockopt through {@code name}; UnsupportedOperationException for an option jtcp does not have, as the JDK throws. */
    @SuppressWarnings("unchecked")
    static <T> void set(Target target, SocketOption<T> name, T value) throws java.io.IOException {
        if (name instanceof Wrapped<T> w) {
            target.set(w.option(), value);
        } else if (name == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) value;
            target.set(TcpOption.SO_LINGER, seconds < 0 ? null : Duration.ofSeconds(seconds));
        } else if (SAME_TYPE.containsKey(name)) {
            if ((name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) && (Integer) value <= 0) {
                throw new IllegalArgumentException("Invalid value '" + value + "'");
            }
            target.set((TcpOption<T>) SAME_TYPE.get(name), value);
        } else {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T get(Target target, SocketOption<T> name) throws java.io.IOException {
        if (name instanceof Wrapped<T> w) return target.get(w.option());
        if (name == StandardSocketOptions.SO_LINGER) {
            Duration d = target.get(TcpOption.SO_LINGER);
            return (T) Integer.valueOf(d == null ? -1 : (int) d.toSeconds());
        }
        if (SAME_TYPE.containsKey(name)) return target.get((TcpOption<T>) SAME_TYPE.get(name));
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }
}
