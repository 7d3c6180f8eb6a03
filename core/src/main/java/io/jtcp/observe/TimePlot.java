package io.jtcp.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small time plot as SVG: quantities sampled over virtual time (connections per
 * state, queue lengths), one polyline per series, with axes, ticks, a legend and
 * vertical marker lines for the moments a story turns on ("connect fails").
 * Values are drawn as steps: a sample holds until the next, as a count does.
 *
 * <pre>
 * TimePlot p = new TimePlot("TIME_WAIT entries", "connections");
 * TimePlot.Series tw = p.series("TIME_WAIT");
 * tw.add(t, stack.timeWaitCount());              // as the run goes
 * p.marker(failedAt, "connect: EADDRNOTAVAIL");
 * String svg = p.svg();
 * </pre>
 *
 * Pure SVG 1.1 with inline styles, like {@link LadderDiagram}.
 */
public final class TimePlot {
    static final int WIDTH = 1120, HEIGHT = 460, LEFT = 70, RIGHT = 350, TOP = 50, BOTTOM = 60;
    private static final String FONT = "font-family:'DejaVu Sans',Verdana,Helvetica,Arial,sans-serif;";
    private static final String[] COLOURS = {"#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037"};
    private static final String MARKER = "#c62828";

    /** One named line: samples (time in ns, value) in time order. */
    public static final class Series {
        final String name;
        final List<Long> times = new ArrayList<>();
        final List<Double> values = new ArrayList<>();

        Series(String name) {
            this.name = name;
        }

        public Series add(long timeNanos, double value) {
            if (!times.isEmpty() && timeNanos < times.getLast()) {
                throw new IllegalArgumentException("samples must come in time order");
            }
            times.add(timeNanos);
            values.add(value);
            return this;
        }

        public int size() {
            return values.size();
        }

        public String name() {
            return name;
        }
    }

    private record Marker(long timeNanos, String label) {}

    private final String title, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    public TimePlot(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    /** A new series, drawn in the next colour. */
    public Series series(String name) {
        Series s = new Series(name);
        series.add(s);
        return s;
    }

    /** A vertical line at {@code timeNanos}, labelled. */
    public TimePlot marker(long timeNanos, String label) {
        markers.add(new Marker(timeNanos, label));
        return this;
    }

    public List<Series> allSeries() {
        return List.copyOf(series);
    }

    public String svg() {
        long tMax = 1;
        double vMax = 1;
        for (Series s : series) {
            for (int i = 0; i < s.size(); i++) {
                tMax = Math.max(tMax, s.times.get(i));
                vMax = Math.max(vMax, s.values.get(i));
            }
        }
        for (Marker m : markers) tMax = Math.max(tMax, m.timeNanos);
        double xStep = niceStep(tMax / 1e9, 8), yStep = niceStep(vMax, 6);
        double xMax = Math.ceil(tMax / 1e9 / xStep) * xStep, yMax = Math.ceil(vMax / yStep) * yStep;
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;

        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        b.append("<title>").append(escape(title)).append("</title>\n");
        b.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" style=\"fill:#ffffff\"/>%n", WIDTH, HEIGHT));
        text(b, LEFT, 28, title, "font-size:16px;font-weight:bold;", "start");

        // Grid, ticks and labels.
        for (double y = 0; y <= yMax + yStep / 2; y += yStep) {
            double py = TOP + plotH - y / yMax * plotH;
            line(b, LEFT, py, LEFT + plotW, py, "stroke:#e0e0e0;stroke-width:1");
            text(b, LEFT - 8, py + 4, number(y), "font-size:11px;fill:#424242;", "end");
        }
        for (double x = 0; x <= xMax + xStep / 2; x += xStep) {
            double px = LEFT + x / xMax * plotW;
            line(b, px, TOP + plotH, px, TOP + plotH + 5, "stroke:#424242;stroke-width:1");
            text(b, px, TOP + plotH + 19, number(x), "font-size:11px;fill:#424242;", "middle");
        }
        line(b, LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "stroke:#212121;stroke-width:1.5");
        line(b, LEFT, TOP, LEFT, TOP + plotH, "stroke:#212121;stroke-width:1.5");
        text(b, LEFT + plotW / 2.0, HEIGHT - 18, "virtual time (s)", "font-size:12px;", "middle");
        b.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" transform=\"rotate(-90 18 %.1f)\" style=\"%sfont-size:12px;"
                + "text-anchor:middle\">%s</text>%n", TOP + plotH / 2.0, TOP + plotH / 2.0, FONT, escape(yLabel)));

        // Series, as steps.
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            if (s.size() == 0) continue;
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            double prevY = Double.NaN;
            for (int i = 0; i < s.size(); i++) {
                double px = LEFT + s.times.get(i) / 1e9 / xMax * plotW;
                double py = TOP + plotH - s.values.get(i) / yMax * plotH;
                if (!Double.isNaN(prevY)) pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, prevY));
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                prevY = py;
            }
            b.append(String.format(Locale.ROOT, "<polyline class=\"series\" points=\"%s\" style=\"fill:none;stroke:%s;"
                    + "stroke-width:2\"><title>%s</title></polyline>%n", pts.toString().trim(), colour, escape(s.name)));
            double ly = TOP + 10 + k * 20;
            line(b, LEFT + plotW + 16, ly, LEFT + plotW + 40, ly, "stroke:" + colour + ";stroke-width:3");
            text(b, LEFT + plotW + 46, ly + 4, s.name, "font-size:12px;", "start");
        }

        // Markers, labels staggered so neighbours do not overlap.
        for (int k = 0; k < markers.size(); k++) {
            Marker m = markers.get(k);
            double px = LEFT + m.timeNanos / 1e9 / xMax * plotW;
            b.append(String.format(Locale.ROOT, "<line class=\"marker\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                    + " style=\"stroke:%s;stroke-width:1.5;stroke-dasharray:6,4\"/>%n", px, TOP, px, TOP + plotH, MARKER));
            double ty = TOP + 14 + (k % 3) * 14;
            boolean right = px < LEFT + plotW * 0.7;
            text(b, right ? px + 4 : px - 4, ty, m.label + " (" + number(m.timeNanos / 1e9) + " s)",
                    "font-size:11px;fill:" + MARKER + ";", right ? "start" : "end");
        }
        b.append("</svg>\n");
        return b.toString();
    }

    /** 1, 2 or 5 times a power of ten, so that about {@code ticks} steps cover {@code max}. */
    static double niceStep(double max, int ticks) {
        double raw = Math.max(max, 1e-9) / ticks;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / pow;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
    }

    private static String number(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) return Long.toString(Math.round(v));
        return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }

    private static void line(StringBuilder b, double x1, double y1, double x2, double y2, String style) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" style=\"%s\"/>%n",
                x1, y1, x2, y2, style));
    }

    private static void text(StringBuilder b, double x, double y, String s, String style, String anchor) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" style=\"%s%stext-anchor:%s\">%s</text>%n",
                x, y, FONT, style, anchor, escape(s)));
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
