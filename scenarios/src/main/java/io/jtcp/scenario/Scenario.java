package io.jtcp.scenario;

/**
 * One of the seeds' stories, runnable on the simulator: it sets up the hosts,
 * plays the story, shows the views at its telling moments, and returns a short
 * explanation of what happened, written from what the run actually did.
 */
public interface Scenario {
    /** The command-line name, e.g. {@code lost-final-ack}. */
    String name();

    /** One line for {@code scenario --list}. */
    String title();

    /** Plays the story; the explanation's lines refer to what the trace just showed. */
    Explanation run(Run run) throws Exception;
}
