package io.jtcp.scenario;

import io.jtcp.scenario.soak.ChurnSoak;
import io.jtcp.scenario.soak.SoakReport;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The churn soak at CI size (600 connections over one virtual day; -Djtcp.soak.connections
 * and -Djtcp.soak.days make it larger, `./jtcp soak churn` runs the full one): every byte
 * arrives once and in order, every connection ends, TIME_WAIT 4-tuples are taken over,
 * the client's TSval wraps during the run, and neither stack keeps a TCB, TIME_WAIT
 * entry, port share or timer.
 */
@Tag("soak")
class ChurnSoakTest {
    @Test
    void churnOverAHostileLinkLeavesNothingBehind() throws Exception {
        ChurnSoak.Config cfg = ChurnSoak.Config.small()
                .withConnections(Integer.getInteger("jtcp.soak.connections", 600))
                .withDuration(Duration.ofDays(Long.getLong("jtcp.soak.days", 1)));
        SoakReport r = new ChurnSoak(cfg, null).run();
        System.out.println(r.summary());

        assertThat(r.drained()).as("finished within a day after the last start").isTrue();
        assertThat(r.failures()).as(String.join("\n", r.firstFailures())).isZero();
        assertThat(r.client().none()).as("client leftovers %s", r.client()).isTrue();
        assertThat(r.server().none()).as("server leftovers %s", r.server()).isTrue();
        // The run went where it was meant to: TIME_WAIT reuse, a wrapped TSval clock, corrupted packets refused.
        assertThat(r.fact(ChurnSoak.TIME_WAIT_REUSED)).isPositive();
        assertThat(r.fact(ChurnSoak.TS_WRAPPED)).isEqualTo(1);
        assertThat(r.fact(ChurnSoak.CORRUPT_DROPS)).isPositive();
    }
}
