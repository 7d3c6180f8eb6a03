package io.jtcp.tun;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A private network namespace ({@code ip netns add jtcp-<random>}) and a platform thread
 * that has setns(2)'d into it. setns changes the namespace of the calling thread only,
 * and a socket or TUN device belongs to the namespace of the thread that created it, so
 * JDK sockets and {@link TunDevice}s made by {@link #call} live in the namespace and can
 * then be used from any thread.
 *
 * <p>Every namespace this class creates is deleted by {@link #close()}, and, should the
 * program end without it (a failed test, Ctrl-C), by a JVM shutdown hook.
 */
public final class NetNs implements AutoCloseable {
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String ns : LIVE) deleteQuietly(ns);
        }, "jtcp-netns-cleanup"));
    }

    private final String name;
    private final boolean owned;
    private final ExecutorService inside;

    private NetNs(String name, boolean owned) {
        this.name = name;
        this.owned = owned;
        this.inside = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("jtcp-netns-" + name).unstarted(() -> {
            try {
                enter(name);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            r.run();
        }));
    }

    /** Creates a namespace named {@code prefix} plus 8 random hex digits, with its loopback up. */
    public static NetNs create(String prefix) throws IOException {
        return create(prefix + HexFormat.of().toHexDigits(RANDOM.nextInt()), true);
    }

    /**
     * Creates the namespace {@code name}, or enters it if it exists. Only a namespace
     * created here is deleted on close.
     */
    public static NetNs createOrEnter(String name) throws IOException {
        boolean exists = Ip.run("ip", "netns", "list").lines().anyMatch(l -> l.split(" ")[0].equals(name));
        return exists ? new NetNs(name, false) : create(name, true);
    }

    private static NetNs create(String name, boolean owned) throws IOException {
        LIVE.add(name);
        try {
            Ip.run("ip", "netns", "add", name);
            Ip.ip(name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            deleteQuietly(name);
            LIVE.remove(name);
            throw e;
        }
        return new NetNs(name, owned);
    }

    public String name() { return name; }

    /** Runs {@code task} on this namespace's own thread (setns'd into it) and returns its result. */
    public <T> T call(Callable<T> task) throws IOException {
        Future<T> f = inside.submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IOException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Runs a command inside the namespace ({@code ip netns exec}); returns its output. */
    public String exec(String... command) throws IOException {
        return Ip.exec(name, command);
    }

    /** A new platform thread that enters this namespace before running {@code body}. */
    public Thread newThread(String threadName, Runnable body) {
        return Thread.ofPlatform().daemon().name(threadName).unstarted(() -> {
            try {
                enter(name);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            body.run();
        });
    }

    /** Moves the calling thread into namespace {@code name} (setns on /var/run/netns/NAME). */
    static void enter(String name) throws IOException {
        String path = "/var/run/netns/" + name;
        int fd = Native.open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        try {
            Native.setns(fd, Native.CLONE_NEWNET, path);
        } finally {
            Native.close(fd);
        }
    }

    /** Stops the namespace's thread and deletes the namespace if this run created it. */
    @Override
    public void close() {
        inside.shutdownNow();
        if (owned) {
            deleteQuietly(name);
            LIVE.remove(name);
        }
    }

    private static void deleteQuietly(String ns) {
        try {
            Ip.run("ip", "netns", "delete", ns);
        } catch (IOException | RuntimeException ignored) {
            // already gone, or nothing more we can do
        }
    }

    /** Namespaces created by this JVM and not yet deleted (for leak checks in tests). */
    public static Set<String> live() {
        return Set.copyOf(LIVE);
    }

    @Override
    public String toString() {
        return "NetNs[" + name + "]";
    }
}
