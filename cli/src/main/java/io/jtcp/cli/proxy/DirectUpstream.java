package io.jtcp.cli.proxy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The JDK's own sockets, in the JVM's network namespace: the real kernel routes what the
 * proxy relays. The sockets belong to the namespace of the thread that makes them; the
 * relay makes them on threads that never entered another one.
 */
public final class DirectUpstream implements Upstream {
    private final int connectTimeoutMillis;

    public DirectUpstream(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public Socket connect(InetSocketAddress destination) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(destination, connectTimeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public UdpPath udp(InetSocketAddress destination) throws IOException {
        DatagramSocket s = new DatagramSocket();
        s.connect(destination);
        return new UdpPath() {
            @Override
            public void send(byte[] data, int off, int len) throws IOException {
                s.send(new DatagramPacket(data, off, len));
            }

            @Override
            public int receive(byte[] buf, int timeoutMillis) throws IOException {
                s.setSoTimeout(timeoutMillis);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException idle) {
                    return -1;
                }
                return p.getLength();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    @Override
    public String toString() {
        return "direct";
    }
}
