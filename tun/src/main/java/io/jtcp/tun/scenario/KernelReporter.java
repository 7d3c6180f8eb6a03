package io.jtcp.tun.scenario;

import io.jtcp.scenario.Reporter;

/** A {@link Reporter} that can also show what the kernel's tools say, and plain notes. */
public interface KernelReporter extends Reporter {
    /** What {@code command} printed in the kernel's namespace at a telling moment. */
    void kernelView(long timeNanos, String moment, String command, String output);

    /** A line about the run itself (its settings, a caveat on timing). */
    void note(String text);
}
