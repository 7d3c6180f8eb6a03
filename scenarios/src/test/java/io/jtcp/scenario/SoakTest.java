package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.link.sim.SimHost;
import io.jtcp.link.sim.SimNetwork;
import io.jtcp.tcp.Connection;
import io.jtcp.api.Errno;
import io.jtcp.api.ErrnoException;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.IpAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand connections over a hostile link: 10% loss, 5% duplication, 5%
 * reordering, 1% corruption. Each client sends a random payload of up to 1 MiB
 * and half-closes; the server answers with a smaller payload and closes once it
 * has read everything. Every byte must arrive exactly once and in order (the
 * digests match), every connection must end CLOSED, and neither host may keep a
 * TCB or a timer.
 */
@Tag("soak")
class SoakTest {
    // When it fails, SOAK_DEBUG=1 prints the unfinished connections and SOAK_TRACE=FILE writes the whole trace.
    static final int CONNECTIONS = 1000;
    static final int MAX_REQUEST = 1 << 20;
    static final int MAX_REPLY = 64 << 10;

    @Test
    void everyByteArrivesOnceAndInOrderAndEveryConnectionCloses() throws Exception {
        SimNetwork net = new SimNetwork(2026);
        net.setDefaultLink(LinkParams.DEFAULT.withLoss(0.10).withDuplicate(0.05)
                .withReorder(0.05, Duration.ofMillis(10)).withCorrupt(0.01));
        Sysctls cfg = Sysctls.linux();
        Stack client = SimHost.create(net, "client", "10.0.0.1", cfg, 1).stack();
        Stack server = SimHost.create(net, "server", "10.0.0.2", cfg, 2).stack();
        if (System.getenv("SOAK_TRACE") != null) {
            var out = new java.io.PrintStream(new java.io.FileOutputStream(System.getenv("SOAK_TRACE")), false);
            io.jtcp.observe.TraceSink sink = new io.jtcp.observe.TextTracePrinter(out);
            client.setTrace(sink);
            server.setTrace(sink);
            net.addTap(new NetworkTrace(sink));
        }
        SplittableRandom sizes = new SplittableRandom(99);
        List<Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            transfers.add(new Transfer(i, sizes.nextInt(MAX_REQUEST + 1), sizes.nextInt(MAX_REPLY + 1)));
        }
        // The server knows which transfer a connection is by the request's first 4 bytes.
        server.listen(80, (c, now) -> new Peer(transfers, -1));
        for (Transfer t : transfers) {
            net.at(t.id * Duration.ofMillis(20).toNanos(), () -> {
                try {
                    client.connect(IpAddress.parse("10.0.0.2"), 80, new Peer(transfers, t.id), net.now());
                } catch (ErrnoException e) {
                    throw new AssertionError(e);
                }
            });
        }

        boolean drained = net.runWhile(() -> transfers.stream().anyMatch(t -> !t.done())
                || client.connectionCount() + client.timeWaitCount() + server.connectionCount()
                        + server.timeWaitCount() > 0, Duration.ofHours(6).toNanos());

        if (System.getenv("SOAK_DEBUG") != null) {
            System.out.println("drained " + drained + " at " + net.now() / 1e9 + " s; open: client " + client.connectionCount()
                    + " server " + server.connectionCount());
            client.connections().stream().limit(5).forEach(st -> System.out.println("client " + st));
            server.connections().stream().limit(5).forEach(st -> System.out.println("server " + st));
            transfers.stream().filter(t -> !t.done()).limit(5).forEach(t -> System.out.println("#" + t.id + " req "
                    + t.requestReceived + "/" + t.requestSize + " reply " + t.replyReceived + "/" + t.replySize
                    + " closed " + t.clientClosed + "/" + t.serverClosed + " errors " + t.errors));
        }
        assertThat(drained).as("the run finished within 6 virtual hours").isTrue();
        if (System.getenv("SOAK_DEBUG") != null) {
            transfers.stream().filter(t -> t.requestReceived != t.requestSize || t.replyReceived != t.replySize || !t.errors.isEmpty())
                    .limit(10).forEach(t -> System.out.println("#" + t.id + " req " + t.requestReceived + "/" + t.requestSize
                            + " reply " + t.replyReceived + "/" + t.replySize + " errors " + t.errors));
            System.out.println("failed: " + transfers.stream().filter(t -> t.requestReceived != t.requestSize || !t.errors.isEmpty()).count());
        }
        for (Transfer t : transfers) {
            assertThat(t.requestReceived).as("request bytes of #%d", t.id).isEqualTo(t.requestSize);
            assertThat(t.replyReceived).as("reply bytes of #%d", t.id).isEqualTo(t.replySize);
            assertThat(t.requestDigestAtServer).as("request digest of #%d", t.id).isEqualTo(t.expected(true));
            assertThat(t.replyDigestAtClient).as("reply digest of #%d", t.id).isEqualTo(t.expected(false));
            assertThat(t.errors).as("errors of #%d", t.id).isEmpty();
        }
        assertThat(client.connectionCount()).isZero();
        assertThat(server.connectionCount()).isZero();
        assertThat(client.timeWaitCount() + server.timeWaitCount()).isZero();
        assertThat(client.portsInUse()).as("no port share leaked").isZero();
        assertThat(server.portsInUse()).as("only the listener's port").isEqualTo(1);
        assertThat(client.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(server.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        // The faults really happened and were survived.
        assertThat(client.counters().drops(DropReason.TCP_BAD_CHECKSUM) + server.counters().drops(DropReason.TCP_BAD_CHECKSUM)
                + client.counters().drops(DropReason.IP_BAD_CHECKSUM) + server.counters().drops(DropReason.IP_BAD_CHECKSUM))
                .isPositive();
        assertThat(client.counters().drops(DropReason.OLD_SEQUENCE) + server.counters().drops(DropReason.OLD_SEQUENCE)).isPositive();
    }

    /** One connection's expectations and what was observed of it. */
    static final class Transfer {
        final int id;
        final int requestSize, replySize;
        long requestReceived, replyReceived;
        byte[] requestDigestAtServer, replyDigestAtClient;
        final List<Errno> errors = new ArrayList<>();
        int resetsAfterCompletion;
        boolean clientClosed, serverClosed;

        Transfer(int id, int requestSize, int replySize) {
            this.id = id;
            this.requestSize = Math.max(4, requestSize);
            this.replySize = replySize;
        }

        boolean done() { return clientClosed && serverClosed; }

        byte[] expected(boolean request) {
            MessageDigest d = sha256();
            Source s = new Source(this, request);
            byte[] chunk = new byte[16384];
            for (int n; (n = s.next(chunk)) > 0; ) d.update(chunk, 0, n);
            return d.digest();
        }
    }

    /** A payload generated on the fly: the transfer's id in the first 4 bytes, then seeded random bytes. */
    static final class Source {
        private final SplittableRandom random;
        private final int size;
        private final int id;
        private int produced;

        Source(Transfer t, boolean request) {
            this.random = new SplittableRandom(t.id * 2L + (request ? 0 : 1));
            this.size = request ? t.requestSize : t.replySize;
            this.id = t.id;
        }

        int next(byte[] into) {
            int n = Math.min(into.length, size - produced);
            random.nextBytes(into);
            if (produced == 0 && n >= 4) {
                into[0] = (byte) (id >>> 24); into[1] = (byte) (id >>> 16); into[2] = (byte) (id >>> 8); into[3] = (byte) id;
            }
            produced += n;
            return n;
        }
    }

    /**
     * Either end: sends its payload as space allows, then half-closes; digests what it
     * reads; closes once it has both sent everything and read to end of stream.
     */
    static final class Peer implements SocketHandler {
        private final List<Transfer> transfers;
        private final boolean isClient;
        private Transfer t;
        private Source source;
        private final byte[] chunk = new byte[16384];
        private int chunkLen, chunkOff;
        private boolean sent, endOfStream;
        private final MessageDigest digest = sha256();
        private long received;
        private final byte[] head = new byte[4];

        Peer(List<Transfer> transfers, int id) {
            this.transfers = transfers;
            this.isClient = id >= 0;
            if (isClient) start(transfers.get(id));
        }

        private void start(Transfer transfer) {
            t = transfer;
            source = new Source(t, isClient);
        }

        @Override
        public void established(Connection c, long now) { pump(c, now); }

        @Override
        public void writable(Connection c, long now) { pump(c, now); }

        @Override
        public void readable(Connection c, long now) {
            byte[] buf = new byte[16384];
            try {
                for (int n; !endOfStream && (n = c.receive(buf, 0, buf.length, now)) != 0; ) {
                    if (n < 0) {
                        finishReading(c, now);
                        break;
                    }
                    if (t == null) identify(buf, n);
                    digest.update(buf, 0, n);
                    received += n;
                }
                pump(c, now);
            } catch (ErrnoException e) {
                t.errors.add(e.errno());
            }
        }

        /** The server learns the transfer from the first four request bytes (a request is at least 4 long). */
        private void identify(byte[] buf, int n) {
            int have = (int) Math.min(4, received);
            System.arraycopy(buf, 0, head, have, Math.min(4 - have, n));
            if (received + n >= 4) start(transfers.get((head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff));
        }

        private void finishReading(Connection c, long now) {
            if (endOfStream) return;
            endOfStream = true;
            if (isClient) {
                t.replyReceived = received;
                t.replyDigestAtClient = digest.digest();
            } else {
                t.requestReceived = received;
                t.requestDigestAtServer = digest.digest();
            }
            if (sent) c.close(now);
        }

        private void pump(Connection c, long now) {
            if (sent || t == null) return;
            try {
                while (true) {
                    if (chunkOff == chunkLen) {
                        chunkLen = source.next(chunk);
                        chunkOff = 0;
                        if (chunkLen == 0) {
                            sent = true;
                            c.shutdownOutput(now);
                            if (endOfStream) c.close(now);
                            return;
                        }
                    }
                    int n = c.send(chunk, chunkOff, chunkLen - chunkOff, now);
                    if (n == 0) return;
                    chunkOff += n;
                }
            } catch (ErrnoException e) {
                t.errors.add(e.errno());
            }
        }

        @Override
        public void closed(Connection c, Errno error, long now) {
            if (t == null) return;
            // A reset after this end has sent and read everything costs no data: under heavy loss a FIN's
            // retransmission can outlive the peer's TIME_WAIT and meet RST, as it would with Linux.
            if (error != null && !(sent && endOfStream)) t.errors.add(error);
            if (error != null && sent && endOfStream) t.resetsAfterCompletion++;
            if (isClient) t.clientClosed = true;
            else t.serverClosed = true;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
