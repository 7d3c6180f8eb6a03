package io.jtcp.bench;

import java.util.Collection;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the JMH segment benchmarks with the GC profiler and reports bytes and nanoseconds per operation. */
final class Micro {
    private Micro() {}

    static io.jtcp.bench.Result segment(Harness.Options o) throws Exception {
        io.jtcp.bench.Result r = new io.jtcp.bench.Result("segment",
                "bytes allocated per op on the established fast path (JMH -prof gc)", "B/op",
                "none: the target is absolute", false, "0 B/op", 0.5, false);
        r.worstOfRounds = true;
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(SegmentBench.class.getName())
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-Xmx1g")
                .output("/dev/stderr")   // JMH's log is progress: stdout keeps only the table or the JSON object
                .build()).run();
        for (RunResult rr : results) {
            String method = rr.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            double ns = rr.getPrimaryResult().getScore();
            Result<?> alloc = rr.getSecondaryResults().get("gc.alloc.rate.norm");
            double bytes = alloc == null ? Double.NaN : alloc.getScore();
            r.add(bytes, Double.NaN);
            r.extra.put(method + "_ns_per_op", ns);
            r.extra.put(method + "_bytes_per_op", bytes);
        }
        r.extra.put("dataAndAck_is", "2 data segments of 1448 B + 1 ACK, both stacks, application read included");
        return r;
    }
}
