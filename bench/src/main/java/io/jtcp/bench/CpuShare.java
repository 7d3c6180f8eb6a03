package io.jtcp.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * How many cores a measured run actually got: the process's CPU time over the run's wall
 * time. On a shared machine two threads are not two cores; a scaling figure means little
 * without it, so {@code scale} reports this beside the rates (and the rate per core, which
 * isolates the stack's own scaling from what the machine granted).
 */
final class CpuShare {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final List<Double> cores = new ArrayList<>();
    private final List<Double> perCore = new ArrayList<>();

    /** {@code run}, measured: its rate is returned unchanged, its CPU share recorded. */
    DoubleSupplier measure(DoubleSupplier run) {
        return () -> {
            long cpu = OS.getProcessCpuTime(), wall = System.nanoTime();
            double rate = run.getAsDouble();
            double used = (double) (OS.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
            cores.add(used);
            perCore.add(rate / used);
            return rate;
        };
    }

    /** Cores used in each measured round, in order (the warm-up's first). */
    List<Double> cores() { return cores; }

    /** The rate per core used in each measured round, in order. */
    List<Double> perCore() { return perCore; }
}
