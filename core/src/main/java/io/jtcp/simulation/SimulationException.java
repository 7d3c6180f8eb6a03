package io.jtcp.simulation;

/**
 * The simulation cannot go on deterministically, or its program failed: an application
 * thread threw, every thread is blocked with nothing left to happen, or a thread outside
 * the simulation blocked on something the simulation cannot see. The message says which
 * threads and where they were.
 */
public final class SimulationException extends RuntimeException {
    public SimulationException(String message) {
        super(message);
    }

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
