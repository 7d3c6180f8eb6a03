package io.jtcp.bench;

import java.util.Locale;
import java.util.Map;

/** Small hand-written SVG charts: grouped bars per round, and a line chart for series over x. */
public final class Svg {
    private static final int W = 640, H = 320, L = 80, R = 20, T = 40, B = 50;

    private Svg() {}

    /** jtcp and its baseline, one pair of bars per round plus the medians, with the ratio above each pair. */
    public static String rounds(Result r) {
        int n = r.rounds.size() + 1;
        double max = 0;
        for (double[] x : r.rounds) max = Math.max(max, Math.max(x[0], x[1]));
        StringBuilder s = open(r.name + ": " + r.metric + " (" + r.unit + "), jtcp vs " + r.baselineKind);
        double plotW = W - L - R, plotH = H - T - B;
        axis(s, max, r.unit);
        double group = plotW / n, bar = group * 0.35;
        for (int i = 0; i < n; i++) {
            double j = i < n - 1 ? r.rounds.get(i)[0] : r.jtcp();
            double b = i < n - 1 ? r.rounds.get(i)[1] : r.baseline();
            double x = L + i * group + group * 0.1;
            rect(s, x, j, max, bar, "#1f77b4");
            rect(s, x + bar, b, max, bar, "#ff7f0e");
            text(s, x + bar, H - B + 16, i < n - 1 ? "round " + (i + 1) : "median", "middle", 11);
            text(s, x + bar, T + plotH - plotH * Math.max(j, b) / max - 4, "x" + Result.fmt(j / b), "middle", 10);
        }
        legend(s, new String[] {"jtcp", "baseline"}, new String[] {"#1f77b4", "#ff7f0e"});
        return s.append("</svg>\n").toString();
    }

    /** Lines over labelled x values. */
    public static String lines(String title, String xLabel, String unit, String[] xs, Map<String, double[]> series) {
        double max = 0;
        for (double[] v : series.values()) for (double d : v) if (!Double.isNaN(d)) max = Math.max(max, d);
        StringBuilder s = open(title);
        axis(s, max, unit);
        double plotW = W - L - R, plotH = H - T - B;
        String[] colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
        int c = 0;
        for (var e : series.entrySet()) {
            double[] v = e.getValue();
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) continue;
                double x = L + plotW * (i + 0.5) / xs.length, y = T + plotH - plotH * v[i] / max;
                pts.append(f(x)).append(',').append(f(y)).append(' ');
                s.append("<circle cx='").append(f(x)).append("' cy='").append(f(y)).append("' r='3' fill='")
                        .append(colors[c % 4]).append("'/>\n");
                text(s, x, y - 6, Result.fmt(v[i]), "middle", 10);
            }
            s.append("<polyline fill='none' stroke-width='2' stroke='").append(colors[c % 4]).append("' points='")
                    .append(pts).append("'/>\n");
            c++;
        }
        for (int i = 0; i < xs.length; i++) text(s, L + plotW * (i + 0.5) / xs.length, H - B + 16, xs[i], "middle", 11);
        text(s, L + plotW / 2, H - 12, xLabel, "middle", 11);
        legend(s, series.keySet().toArray(String[]::new), colors);
        return s.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(W).append("' height='").append(H)
                .append("' font-family='sans-serif'>\n<rect width='100%' height='100%' fill='white'/>\n");
        text(s, W / 2.0, 20, title, "middle", 13);
        return s;
    }

    private static void axis(StringBuilder s, double max, String unit) {
        double plotH = H - T - B;
        s.append("<line x1='").append(L).append("' y1='").append(T).append("' x2='").append(L).append("' y2='")
                .append(H - B).append("' stroke='black'/>\n");
        s.append("<line x1='").append(L).append("' y1='").append(H - B).append("' x2='").append(W - R).append("' y2='")
                .append(H - B).append("' stroke='black'/>\n");
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4, y = T + plotH - plotH * i / 4;
            text(s, L - 4, y + 4, Result.fmt(v), "end", 10);
            s.append("<line x1='").append(L).append("' y1='").append(f(y)).append("' x2='").append(W - R)
                    .append("' y2='").append(f(y)).append("' stroke='#ddd'/>\n");
        }
        s.append("<text transform='translate(14,").append(T + plotH / 2).append(") rotate(-90)' text-anchor='middle' font-size='11'>")
                .append(xml(unit)).append("</text>\n");
    }

    private static void rect(StringBuilder s, double x, double v, double max, double w, String color) {
        double plotH = H - T - B, h = max == 0 ? 0 : plotH * v / max;
        s.append("<rect x='").append(f(x)).append("' y='").append(f(T + plotH - h)).append("' width='").append(f(w))
                .append("' height='").append(f(h)).append("' fill='").append(color).append("'/>\n");
    }

    private static void legend(StringBuilder s, String[] names, String[] colors) {
        for (int i = 0; i < names.length; i++) {
            double x = W - R - 150, y = T + 4 + i * 16;
            s.append("<rect x='").append(f(x)).append("' y='").append(f(y)).append("' width='10' height='10' fill='")
                    .append(colors[i % colors.length]).append("'/>\n");
            text(s, x + 14, y + 9, names[i], "start", 11);
        }
    }

    private static void text(StringBuilder s, double x, double y, String t, String anchor, int size) {
        s.append("<text x='").append(f(x)).append("' y='").append(f(y)).append("' text-anchor='").append(anchor)
                .append("' font-size='").append(size).append("'>").append(xml(t)).append("</text>\n");
    }

    private static String xml(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
