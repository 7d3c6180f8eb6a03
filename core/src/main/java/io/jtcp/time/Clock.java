package io.jtcp.time;

/** A source of monotonic time in nanoseconds: virtual in the simulator, the system's in real runs. */
public interface Clock {
    long nanoTime();

    Clock SYSTEM = System::nanoTime;
}
