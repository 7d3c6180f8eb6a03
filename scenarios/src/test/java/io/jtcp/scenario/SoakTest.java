package io.jtcp.scenario;

import io.jtcp.scenario.soak.ChurnSoak;
import io.jtcp.scenario.soak.SoakReport;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand connections over a hostile link: 10% loss, 5% duplication, 5%
 * reordering, 1% corruption, one started every 20 ms. Each client sends up to
 * 1 MiB and half-closes; the server answers up to 64 KiB and closes once it has
 * read everything. Every byte must arrive exactly once and in order, every
 * connection must end, and neither host may keep a TCB, TIME_WAIT entry, port
 * share or timer. {@link ChurnSoakTest} is the same machinery with churn instead
 * of bulk.
 */
@Tag("soak")
class SoakTest {
    @Test
    void everyByteArrivesOnceAndInOrderAndEveryConnectionCloses() throws Exception {
        ChurnSoak.Config bulk = new ChurnSoak.Config(1000, Duration.ofHours(6), 1, 1000, Duration.ofMillis(20), 1 << 20,
                64 << 10, 0.10, 0.05, 0.05, 0.01, 20000, false, 2026);
        SoakReport r = new ChurnSoak(bulk, null).run();
        System.out.println(r.summary());

        assertThat(r.drained()).isTrue();
        assertThat(r.failures()).as(String.join("\n", r.firstFailures())).isZero();
        assertThat(r.client().none()).as("client leftovers %s", r.client()).isTrue();
        assertThat(r.server().none()).as("server leftovers %s", r.server()).isTrue();
        assertThat(r.fact(ChurnSoak.CORRUPT_DROPS)).as("the faults really happened").isPositive();
    }
}
