package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** MSG_PEEK and the queue ioctls (Linux's tcp_recvmsg with MSG_PEEK, tcp_ioctl). */
class PeekAndIoctlTest {

    private static String peek(Transcript t) throws ErrnoException {
        byte[] b = new byte[100];
        int n = t.c.receive(b, 0, b.length, true, t.now);
        return n <= 0 ? "" : new String(b, 0, n);
    }

    @Test
    void peekLeavesTheBytesQueued() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().psh().seq(PEER_ISS + 1).ack(ISS + 1).payload("hello"));
        assertThat(peek(t)).isEqualTo("hello");
        assertThat(peek(t)).isEqualTo("hello");
        assertThat(t.c.ioctl(Ioctl.FIONREAD)).isEqualTo(5);
        assertThat(t.read()).isEqualTo("hello");
        assertThat(t.c.ioctl(Ioctl.SIOCINQ)).isZero();
    }

    @Test
    void inqDoesNotCountTheFin() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().fin().psh().seq(PEER_ISS + 1).ack(ISS + 1).payload("bye"));
        assertThat(t.c.ioctl(Ioctl.SIOCINQ)).isEqualTo(3);
        assertThat(t.read()).isEqualTo("bye");
        assertThat(t.c.ioctl(Ioctl.SIOCINQ)).isZero();
    }

    @Test
    void outqCountsUnacknowledgedAndOutqnsdUnsentBytes() throws Exception {
        Transcript t = new Transcript().established();
        t.write("abc").expect(out().psh().seq(ISS + 1).ack(PEER_ISS + 1).payload("abc"));
        t.write("de").expectNothing(); // Nagle holds it behind the unacknowledged small segment
        assertThat(t.c.ioctl(Ioctl.SIOCOUTQ)).isEqualTo(5);
        assertThat(t.c.ioctl(Ioctl.SIOCOUTQNSD)).isEqualTo(2);
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 4)).drain();
        t.close().drain(); // the FIN takes a sequence number of write_seq
        assertThat(t.c.ioctl(Ioctl.SIOCOUTQ)).isEqualTo(3);
    }

    @Test
    void outqnsdCountsFromTheHighestSequenceSentNotTheWoundBackOne() throws Exception {
        Transcript t = new Transcript().established();
        t.write(DataTransferTest.text(3 * 1460, 'x'));
        assertThat(t.drain()).hasSize(3);
        // The timeout winds jtcp's SND.NXT back to resend one segment; Linux's snd_nxt stays where it was.
        t.advance(ms(200));
        assertThat(t.drain()).hasSize(1);
        assertThat(t.c.ioctl(Ioctl.SIOCOUTQNSD)).isZero();
        assertThat(t.c.ioctl(Ioctl.SIOCOUTQ)).isEqualTo(3 * 1460);
    }

    @Test
    void aListenerRefusesAndAHandshakeAnswersZero() throws Exception {
        Transcript l = new Transcript().listening();
        assertThat(errnoOf(() -> l.c.ioctl(Ioctl.SIOCINQ))).isEqualTo(Errno.EINVAL);
        Transcript s = new Transcript().synSent();
        s.write("queued");
        assertThat(s.c.ioctl(Ioctl.SIOCOUTQ)).isZero();
    }
}
