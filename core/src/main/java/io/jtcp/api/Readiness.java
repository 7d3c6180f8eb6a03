package io.jtcp.api;

/**
 * The bits of a socket's ready set, as poll(2) would report them, published by the loop
 * after every event that may change them ({@link TcpSocket#readiness()},
 * {@link TcpServerSocket#readiness()}). The values are those of
 * {@link java.nio.channels.SelectionKey}'s operations, so a selector can mask with them directly.
 */
public final class Readiness {
    /** A read would not wait: data is queued, the peer's FIN came, input was shut down, or an error is pending (POLLIN, POLLRDHUP, POLLERR). */
    public static final int READ = 1;
    /** A write would not wait: there is room in the send buffer, output was shut down, or an error is pending (POLLOUT, POLLERR). */
    public static final int WRITE = 1 << 2;
    /** The last connect attempt has finished, established or failed: the future of {@link TcpSocket#connectAsync} is done. */
    public static final int CONNECT = 1 << 3;
    /** An established connection waits in the accept queue. */
    public static final int ACCEPT = 1 << 4;

    private Readiness() {}
}
