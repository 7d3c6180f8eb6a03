package io.jtcp.scenario;

/**
 * A scenario that also draws a time plot of its run (connections per state, queue
 * lengths over virtual time), for {@code scenario NAME --svg}. Ask after
 * {@link Scenario#run}: the plot is of the last run; null before any.
 */
public interface Plotted {
    /** The plot of the last run as an SVG document. */
    String plotSvg();
}
