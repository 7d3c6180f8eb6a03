package io.jtcp.cli.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A SOCKS5 server as the upstream (RFC 1928): CONNECT for each TCP connection, UDP
 * ASSOCIATE for each UDP flow (the association lives as long as its TCP control
 * connection, §7, so a flow holds one open and closes it when it expires).
 */
public final class Socks5Upstream implements Upstream {
    private final InetSocketAddress server;
    private final int connectTimeoutMillis;

    public Socks5Upstream(InetSocketAddress server, int connectTimeoutMillis) {
        this.server = server;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public Socket connect(InetSocketAddress destination) throws IOException {
        Socket s = control();
        try {
            // The server's own connect may take as long as ours would; the reply waits for it.
            Socks5.request(s.getOutputStream(), new DataInputStream(s.getInputStream()), Socks5.CONNECT, destination);
            s.setSoTimeout(0);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public UdpPath udp(InetSocketAddress destination) throws IOException {
        Socket control = control();
        DatagramSocket d = null;
        try {
            // DST.ADDR 0.0.0.0:0: we do not know our own address as the server sees it (§7 allows it).
            InetSocketAddress any = new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[4]), 0);
            InetSocketAddress relay = Socks5.request(control.getOutputStream(), new DataInputStream(control.getInputStream()),
                    Socks5.UDP_ASSOCIATE, any);
            // A relay address of all zeros means "the address you reached me at".
            if (relay.getAddress().isAnyLocalAddress()) relay = new InetSocketAddress(server.getAddress(), relay.getPort());
            d = new DatagramSocket();
            d.connect(relay);
            return new Association(control, d, destination);
        } catch (IOException e) {
            control.close();
            if (d != null) d.close();
            throw e;
        }
    }

    private Socket control() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, connectTimeoutMillis);
            s.setSoTimeout(connectTimeoutMillis);
            OutputStream out = s.getOutputStream();
            Socks5.greet(out, new DataInputStream(s.getInputStream()));
            return s;
        } catch (IOException e) {
            s.close();
            throw new UpstreamException(Verdict.HOST_UNREACHABLE, "SOCKS server " + server + ": " + e.getMessage());
        }
    }

    /** One UDP ASSOCIATE: datagrams to the relay carry the destination in their header. */
    private static final class Association implements UdpPath {
        private final Socket control;
        private final DatagramSocket socket;
        private final byte[] header;

        Association(Socket control, DatagramSocket socket, InetSocketAddress destination) {
            this.control = control;
            this.socket = socket;
            ByteBuffer b = ByteBuffer.allocate(22);
            int n = Socks5.putUdpHeader(b, destination);
            this.header = java.util.Arrays.copyOf(b.array(), n);
        }

        @Override
        public void send(byte[] data, int off, int len) throws IOException {
            byte[] d = new byte[header.length + len];
            System.arraycopy(header, 0, d, 0, header.length);
            System.arraycopy(data, off, d, header.length, len);
            socket.send(new DatagramPacket(d, d.length));
        }

        @Override
        public int receive(byte[] buf, int timeoutMillis) throws IOException {
            byte[] d = new byte[buf.length + 22];
            socket.setSoTimeout(timeoutMillis);
            while (true) {
                DatagramPacket p = new DatagramPacket(d, d.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException idle) {
                    return -1;
                }
                int off = Socks5.udpDataOffset(d, p.getLength());
                if (off < 0) continue;
                int n = Math.min(p.getLength() - off, buf.length);
                System.arraycopy(d, off, buf, 0, n);
                return n;
            }
        }

        @Override
        public void close() {
            socket.close();
            try {
                control.close();
            } catch (IOException ignored) {
                // closing; nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return "socks5 " + server;
    }
}
