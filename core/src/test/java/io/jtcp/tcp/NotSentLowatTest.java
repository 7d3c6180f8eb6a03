package io.jtcp.tcp;

import org.junit.jupiter.api.Test;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP_NOTSENT_LOWAT as Linux's tcp_stream_memory_free judges it: the bytes written but not
 * yet sent, doubled when poll or the write-space wakeup asks, must stay under the mark.
 */
class NotSentLowatTest {

    @Test
    void unsentBytesCountAgainstTheMarkAndDoubleForWakeups() throws Exception {
        Transcript t = withOptions(o -> o.notsentLowat = 3000).established();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(2920)).drain();
        t.write(DataTransferTest.text(2920, 'a'));
        assertThat(t.drain()).hasSize(2); // the peer's window takes it all: nothing unsent
        assertThat(t.c.streamMemoryFree(true)).isTrue();

        t.write(DataTransferTest.text(1400, 'b'));
        assertThat(t.c.streamMemoryFree(true)).isTrue(); // 2 x 1400 < 3000
        t.write(DataTransferTest.text(200, 'c'));
        assertThat(t.c.streamMemoryFree(false)).isTrue();
        assertThat(t.c.streamMemoryFree(true)).isFalse(); // 2 x 1600 >= 3000: poll says not writable
        t.write(DataTransferTest.text(1400, 'd'));
        assertThat(t.c.streamMemoryFree(false)).isFalse(); // 3000 unsent: sendmsg would stop queueing

        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1 + 2920).win(2920));
        assertThat(t.drain()).hasSize(2); // 2920 of the 3000 go out
        assertThat(t.c.streamMemoryFree(true)).isTrue();
    }

    @Test
    void withoutTheOptionUnsentBytesNeverCount() throws Exception {
        Transcript t = new Transcript().established();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(1460)).drain();
        t.write(DataTransferTest.text(20000, 'x'));
        assertThat(t.c.streamMemoryFree(true)).isTrue();
    }
}
