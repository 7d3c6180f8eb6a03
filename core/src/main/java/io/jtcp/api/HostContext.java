package io.jtcp.api;

import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Which jtcp host the standard interfaces (java.net's sockets and factories, NIO's
 * channels) open their sockets on when the caller does not name one: the host bound to
 * the calling thread (and inherited by the threads it starts, as an
 * {@link InheritableThreadLocal}), else the JVM-wide default host.
 *
 * <p>The simulation binds each application thread to its simulated host; a program on
 * a real-time network sets the default once ({@link #setDefault}) or lets the system
 * properties name one ({@link #setDefaultFactory}, installed by the network configuration).
 */
public final class HostContext {
    private static final InheritableThreadLocal<StackLoop> BOUND = new InheritableThreadLocal<>();
    private static final AtomicReference<StackLoop> DEFAULT = new AtomicReference<>();
    private static volatile Supplier<StackLoop> defaultFactory;

    private HostContext() {}

    /** The host for sockets opened on this thread; a SocketException saying how to name one when there is none. */
    public static StackLoop current() throws SocketException {
        StackLoop bound = BOUND.get();
        if (bound != null) return bound;
        StackLoop d = DEFAULT.get();
        if (d != null) return d;
        Supplier<StackLoop> f = defaultFactory;
        if (f != null) {
            StackLoop made = f.get();
            return DEFAULT.compareAndSet(null, made) ? made : DEFAULT.get();
        }
        throw new SocketException("no jtcp host for thread " + Thread.currentThread().getName()
                + ": bind one with HostContext.bind, set HostContext.setDefault, or name a network in the jtcp.network system property");
    }

    /** Binds {@code host} to the calling thread (and to the threads it starts from now on); null unbinds. */
    public static void bind(StackLoop host) {
        if (host == null) BOUND.remove();
        else BOUND.set(host);
    }

    /** The host bound to the calling thread, or null. */
    public static StackLoop bound() {
        return BOUND.get();
    }

    /** Sets the JVM-wide default host (null clears it). */
    public static void setDefault(StackLoop host) {
        DEFAULT.set(host);
    }

    /** Makes the default host on first use, when none was set: how the system properties name a network. */
    public static void setDefaultFactory(Supplier<StackLoop> factory) {
        defaultFactory = Objects.requireNonNull(factory);
    }
}
