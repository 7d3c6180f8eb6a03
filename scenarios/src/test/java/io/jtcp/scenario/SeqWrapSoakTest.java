package io.jtcp.scenario;

import io.jtcp.scenario.soak.SeqWrapSoak;
import io.jtcp.scenario.soak.SoakReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequence numbers across 2^32 at 10 Gbit/s, at CI size (32 MiB from an ISS 1 MiB below
 * the wrap; -Djtcp.soak.seqwrap.mib makes it larger, `./jtcp soak seqwrap` runs 16 GiB).
 */
@Tag("soak")
class SeqWrapSoakTest {
    @Test
    void everyByteArrivesAcrossTheWrapAndNothingIsLeft() throws Exception {
        long mib = Long.getLong("jtcp.soak.seqwrap.mib", 32);
        SoakReport r = new SeqWrapSoak(SeqWrapSoak.Config.small().withBytes(mib << 20)).run();
        System.out.println(r.summary());

        assertThat(r.drained()).isTrue();
        assertThat(r.failures()).as(String.join("\n", r.firstFailures())).isZero();
        assertThat(r.fact(SeqWrapSoak.START_ISS)).as("the ISS was placed below the wrap").isEqualTo((1L << 32) - (1 << 20));
        assertThat(r.fact(SeqWrapSoak.SEQ_WRAPS)).isEqualTo(((1L << 32) - (1 << 20) + (mib << 20) + 2) >>> 32);
        assertThat(r.fact(SeqWrapSoak.SEQ_WRAPS)).isPositive();
        assertThat(r.client().none()).as("client leftovers %s", r.client()).isTrue();
        assertThat(r.server().none()).as("server leftovers %s", r.server()).isTrue();
    }
}
