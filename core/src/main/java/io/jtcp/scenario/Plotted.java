package io.jtcp.scenario;

/** A scenario whose story unfolds over time and has a time plot to show (with {@code --svg}). */
public interface Plotted {
    /** The plot of the last run, as a standalone SVG document. */
    String plotSvg();
}
