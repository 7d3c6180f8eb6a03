package io.jtcp.tcp;

import io.jtcp.api.ErrnoException;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/** TCP_CM_INQ's value, Linux's tcp_inq_hint: unlike SIOCINQ it counts an unread FIN, and stays 1 once the stream is done. */
class InqHintTest {

    private static int read(Transcript t, int max) throws ErrnoException {
        return t.c.receive(new byte[max], 0, max, t.now);
    }

    @Test
    void countsQueuedBytesThenTheFinThenStaysOneAtEndOfStream() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().psh().seq(PEER_ISS + 1).ack(ISS + 1).payload("0123456789"));
        assertThat(read(t, 4)).isEqualTo(4);
        assertThat(t.c.inqHint()).isEqualTo(6);
        assertThat(read(t, 6)).isEqualTo(6);
        assertThat(t.c.inqHint()).isZero();

        t.send(in().fin().psh().seq(PEER_ISS + 11).ack(ISS + 1).payload("abc"));
        assertThat(t.c.inqHint()).isEqualTo(4);
        assertThat(read(t, 3)).isEqualTo(3);
        assertThat(t.c.inqHint()).isEqualTo(1); // the FIN, not yet read past: SIOCINQ says 0 here
        assertThat(t.c.ioctl(Ioctl.SIOCINQ)).isZero();
        assertThat(read(t, 3)).isEqualTo(-1);
        assertThat(t.c.inqHint()).isEqualTo(1);
    }
}
