package io.jtcp.tcp;

import io.jtcp.api.Errno;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.jtcp.tcp.Transcript.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer takes its window back to zero with our data in flight, and TCP_USER_TIMEOUT is
 * set: the retransmissions become window probes (tcp_retransmit_timer), their timer is
 * clamped to the user timeout, and reaching it ends the connection with ETIMEDOUT. Found by
 * the connection fuzz target: the clamped timer landed on the timeout itself, which did not
 * count as passed, so it fired at that instant again and again, sending without end.
 */
class ShrunkWindowUserTimeoutTest {
    @Test
    void theUserTimeoutEndsProbingOfAShrunkWindow() throws Exception {
        Transcript t = withOptions(o -> o.userTimeout = Duration.ofSeconds(10)).established();
        t.write(new String(new char[5000]).replace('\0', 'x'));
        assertThat(t.drain()).isNotEmpty();
        t.send(in().seq(PEER_ISS + 1).ack(ISS + 1).win(0)); // nothing acknowledged, the window shut
        t.drain();
        int firings = 0;
        while (t.c.state() != State.CLOSED && firings < 1_000) {
            t.now = Math.max(t.now, t.c.nextDeadline());
            t.c.onTimer(t.now);
            t.drain();
            firings++;
        }
        assertThat(t.c.state()).as("closed after %d timer firings", firings).isEqualTo(State.CLOSED);
        assertThat(t.failures).containsExactly(Errno.ETIMEDOUT);
        assertThat(firings).as("backed-off probes, not a timer firing at one instant").isLessThan(20);
    }
}
