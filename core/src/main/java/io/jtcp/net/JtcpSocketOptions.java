package io.jtcp.net;

import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoCarrier;
import io.jtcp.api.TcpOption;
import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one translation of the JDK's {@link SocketOption}s to jtcp's {@link TcpOption}s,
 * used by java.net's sockets ({@link JtcpSocket}, {@link JtcpServerSocket}) and NIO's
 * channels (io.jtcp.nio) alike. TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR, SO_RCVBUF and
 * SO_SNDBUF map one to one; SO_LINGER's seconds (negative: off; cut to 65535 as the JDK
 * does) become {@link TcpOption#SO_LINGER}'s Duration (null: off). Every {@link TcpOption}
 * is itself a SocketOption, so jtcp's own options pass as they are:
 * {@code socket.setOption(TcpOption.TCP_KEEPIDLE, Duration.ofSeconds(30))}.
 *
 * <p>The checks are the JDK's: an option the socket does not have is an
 * UnsupportedOperationException, a value of the wrong type or out of range (setsockopt's
 * EINVAL) an IllegalArgumentException.
 */
public final class JtcpSocketOptions {
    /** The standard options that are jtcp's own with the same value type. */
    private static final Map<SocketOption<?>, TcpOption<?>> SAME_TYPE = Map.of(
            StandardSocketOptions.TCP_NODELAY, TcpOption.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, TcpOption.SO_KEEPALIVE,
            StandardSocketOptions.SO_REUSEADDR, TcpOption.SO_REUSEADDR,
            StandardSocketOptions.SO_RCVBUF, TcpOption.SO_RCVBUF,
            StandardSocketOptions.SO_SNDBUF, TcpOption.SO_SNDBUF);
    /** The JDK's limit for SO_LINGER (the kernel's l_linger is an int, the JDK keeps it to 16 bits). */
    private static final int MAX_LINGER_SECONDS = 65535;

    private static final Set<SocketOption<?>> SOCKET;
    private static final Set<SocketOption<?>> SERVER;
    static {
        Set<SocketOption<?>> socket = new LinkedHashSet<>(SAME_TYPE.keySet());
        socket.add(StandardSocketOptions.SO_LINGER);
        socket.addAll(TcpOption.ALL);
        SOCKET = Set.copyOf(socket);
        // A listener has what the JDK's server sockets have, and every jtcp option (its
        // accepted connections inherit them, TCP_DEFER_ACCEPT is a listener's own).
        Set<SocketOption<?>> server = new LinkedHashSet<>(Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_RCVBUF));
        server.addAll(TcpOption.ALL);
        SERVER = Set.copyOf(server);
    }

    private JtcpSocketOptions() {}

    /** {@code option} as a {@link SocketOption}: the option itself, which is one. */
    public static <T> SocketOption<T> of(TcpOption<T> option) {
        return Objects.requireNonNull(option);
    }

    /** The options a jtcp socket (a client or accepted one) takes. */
    public static Set<SocketOption<?>> supported() {
        return SOCKET;
    }

    /** The options a jtcp listener takes: SO_REUSEADDR, SO_RCVBUF and jtcp's own. */
    public static Set<SocketOption<?>> supportedByServer() {
        return SERVER;
    }

    /** setsockopt(2) of {@code name} on {@code socket}. */
    public static <T> void set(TcpSocket socket, SocketOption<T> name, T value) throws IOException {
        setChecked(name, value, SOCKET, new Target() {
            @Override
            public <V> void set(TcpOption<V> o, V v) throws IOException {
                socket.setOption(o, v);
            }
        });
    }

    /** setsockopt(2) of {@code name} on {@code listener}. */
    public static <T> void set(TcpServerSocket listener, SocketOption<T> name, T value) throws IOException {
        setChecked(name, value, SERVER, new Target() {
            @Override
            public <V> void set(TcpOption<V> o, V v) throws IOException {
                listener.setOption(o, v);
            }
        });
    }

    /** getsockopt(2) of {@code name} on {@code socket}, in the JDK's type. */
    public static <T> T get(TcpSocket socket, SocketOption<T> name) throws IOException {
        return fromJtcp(name, socket.getOption(jtcp(name, SOCKET)));
    }

    /** getsockopt(2) of {@code name} on {@code listener}, in the JDK's type. */
    public static <T> T get(TcpServerSocket listener, SocketOption<T> name) throws IOException {
        return fromJtcp(name, listener.getOption(jtcp(name, SERVER)));
    }

    private interface Target {
        <V> void set(TcpOption<V> option, V value) throws IOException;
    }

    @SuppressWarnings("unchecked")
    private static <T> void setChecked(SocketOption<T> name, T value, Set<SocketOption<?>> supported, Target target) throws IOException {
        TcpOption<Object> o = (TcpOption<Object>) jtcp(name, supported);
        // null is a value only of jtcp's own options that mean "off" by it (SO_LINGER, TCP_LINGER2).
        if (value == null ? o != name : !name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
        try {
            target.set(o, toJtcp(name, value));
        } catch (IOException e) {
            if (ErrnoCarrier.errnoOf(e) == Errno.EINVAL) throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            throw e;
        }
    }

    /** jtcp's option for {@code name}; UnsupportedOperationException, as the JDK's sockets throw, for one it lacks. */
    private static TcpOption<?> jtcp(SocketOption<?> name, Set<SocketOption<?>> supported) {
        Objects.requireNonNull(name, "option");
        if (!supported.contains(name)) throw new UnsupportedOperationException("'" + name + "' not supported");
        if (name == StandardSocketOptions.SO_LINGER) return TcpOption.SO_LINGER;
        return name instanceof TcpOption<?> t ? t : SAME_TYPE.get(name);
    }

    private static Object toJtcp(SocketOption<?> name, Object value) {
        if (name == StandardSocketOptions.SO_LINGER) {
            int seconds = (Integer) value;
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX_LINGER_SECONDS));
        }
        if ((name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) && (Integer) value <= 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T fromJtcp(SocketOption<T> name, Object value) {
        if (name == StandardSocketOptions.SO_LINGER) {
            Duration d = (Duration) value;
            return (T) Integer.valueOf(d == null ? -1 : (int) d.toSeconds());
        }
        return (T) value;
    }
}
