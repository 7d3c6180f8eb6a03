package io.jtcp.net;

import io.jtcp.api.HostContext;
import io.jtcp.api.StackLoop;
import io.jtcp.api.UdpSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * java.net's DatagramSocket on a jtcp host: the DatagramSocketImpl behind
 * {@link JtcpDatagramSocket}, and behind every {@code new DatagramSocket()} of the JVM once
 * {@link JtcpNetwork#installJvmWide()} has run. A dual-stack IPv6 socket, as the JDK's are;
 * SO_TIMEOUT, SO_REUSEADDR, SO_BROADCAST and the buffer sizes map onto the {@link UdpSocket}.
 * Multicast groups are not supported (SocketException, as a host without multicast answers).
 */
final class JtcpDatagramSocketImpl extends DatagramSocketImpl {
    private final StackLoop fixedHost;
    private UdpSocket udp;

    /** On {@code host}, or with null on the calling thread's host when the socket is created. */
    JtcpDatagramSocketImpl(StackLoop host) {
        this.fixedHost = host;
    }

    private UdpSocket udp() throws SocketException {
        if (udp == null) throw new SocketException("Socket is not created");
        return udp;
    }

    @Override
    protected void create() throws SocketException {
        JtcpNetwork.configure();
        udp = asSocketException(() -> UdpSocket.open(fixedHost != null ? fixedHost : HostContext.current(), true));
    }

    @Override
    protected void bind(int lport, InetAddress laddr) throws SocketException {
        UdpSocket u = udp();
        asSocketException(() -> {
            u.bind(JdkWildcard.asJdkBinds(new InetSocketAddress(laddr, lport)));
            return null;
        });
        localPort = udp.localAddress().getPort();
    }

    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        UdpSocket u = udp();
        asSocketException(() -> {
            u.connect(new InetSocketAddress(address, port));
            return null;
        });
    }

    @Override
    protected void disconnect() {
        try {
            udp().disconnect();
        } catch (IOException ignored) {
            // DatagramSocket.disconnect declares nothing: a closed socket stays closed
        }
    }

    @Override
    protected void send(DatagramPacket p) throws IOException {
        SocketAddress to = p.getAddress() == null ? null : p.getSocketAddress();
        udp().send(ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()), (InetSocketAddress) to);
    }

    @Override
    protected void receive(DatagramPacket p) throws IOException {
        take(p, false);
    }

    @Override
    protected int peekData(DatagramPacket p) throws IOException {
        return take(p, true).getPort();
    }

    @Override
    @Deprecated
    protected int peek(InetAddress i) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1], 1);
        InetSocketAddress from = take(p, true);
        return from.getPort();
    }

    private InetSocketAddress take(DatagramPacket p, boolean peek) throws IOException {
        ByteBuffer into = ByteBuffer.wrap(p.getData(), p.getOffset(), p.getData().length - p.getOffset());
        InetSocketAddress from = peek ? udp().peek(into) : udp().receive(into);
        p.setLength(into.position() - p.getOffset());
        p.setSocketAddress(from);
        return from;
    }

    @Override
    protected void close() {
        if (udp != null) udp.close();
    }

    @Override
    protected void setTTL(byte ttl) throws IOException {
        throw noMulticast();
    }

    @Override
    @Deprecated
    protected byte getTTL() throws IOException {
        throw noMulticast();
    }

    @Override
    protected void setTimeToLive(int ttl) throws IOException {
        throw noMulticast();
    }

    @Override
    protected int getTimeToLive() throws IOException {
        throw noMulticast();
    }

    @Override
    protected void join(InetAddress inetaddr) throws IOException {
        throw noMulticast();
    }

    @Override
    protected void leave(InetAddress inetaddr) throws IOException {
        throw noMulticast();
    }

    @Override
    protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        throw noMulticast();
    }

    @Override
    protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        throw noMulticast();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        UdpSocket u = udp();
        asSocketException(() -> {
            switch (optID) {
                case SocketOptions.SO_TIMEOUT -> u.setSoTimeout(Duration.ofMillis((Integer) value));
                case SocketOptions.SO_REUSEADDR -> u.setReuseAddress((Boolean) value);
                case SocketOptions.SO_BROADCAST -> u.setBroadcast((Boolean) value);
                case SocketOptions.SO_RCVBUF -> u.setReceiveBufferSize((Integer) value);
                case SocketOptions.SO_SNDBUF -> u.setSendBufferSize((Integer) value);
                case SocketOptions.IP_TOS -> { }  // recorded by nobody: jtcp sends TOS 0, as the default is
                default -> throw new SocketException("option " + optID + " is not supported by jtcp's DatagramSocket");
            }
            return null;
        });
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        UdpSocket u = udp();
        return asSocketException(() -> switch (optID) {
            case SocketOptions.SO_TIMEOUT -> (int) u.soTimeout().toMillis();
            case SocketOptions.SO_REUSEADDR -> u.reuseAddress();
            case SocketOptions.SO_BROADCAST -> u.broadcast();
            case SocketOptions.SO_RCVBUF -> u.receiveBufferSize();
            case SocketOptions.SO_SNDBUF -> u.sendBufferSize();
            case SocketOptions.IP_TOS -> 0;
            case SocketOptions.SO_BINDADDR -> u.localAddress() == null ? null : u.localAddress().getAddress();
            default -> throw new SocketException("option " + optID + " is not supported by jtcp's DatagramSocket");
        });
    }

    /** What every multicast call answers: jtcp joins no groups. */
    private static SocketException noMulticast() {
        return new SocketException("multicast is not supported by jtcp");
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    /** DatagramSocketImpl's calls may throw SocketException only: the errno-carrying one passes, any other is wrapped. */
    private static <T> T asSocketException(IoCall<T> c) throws SocketException {
        try {
            return c.call();
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw (SocketException) new SocketException(e.getMessage()).initCause(e);
        }
    }
}
