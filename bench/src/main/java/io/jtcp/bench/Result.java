package io.jtcp.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark's outcome: per-round figures of jtcp and its baseline measured in the
 * same run, their medians, and the ratio jtcp / baseline with its spread over rounds.
 * {@code higherIsBetter} says which way the target points (rates: higher; bytes: lower).
 */
public final class Result {
    public final String name, metric, unit, target, baselineKind;
    public final boolean higherIsBetter;
    /** The target on the ratio (for rates) or on jtcp's own figure (for bytes); NaN for chart-only. */
    public final double targetValue;
    public final boolean targetOnRatio;
    public final List<double[]> rounds = new ArrayList<>();   // {jtcp, baseline}
    public final Map<String, Object> extra = new LinkedHashMap<>();
    /** Labelled series for charts that are not jtcp-vs-baseline bars (lossy, scaling). */
    public final Map<String, double[]> series = new LinkedHashMap<>();
    /** Sub-benchmarks reported together (tun: each direction and MTU, and the connection rate); empty for most. */
    public final List<Result> cases = new ArrayList<>();

    public Result(String name, String metric, String unit, String baselineKind, boolean higherIsBetter,
                  String target, double targetValue, boolean targetOnRatio) {
        this.name = name;
        this.metric = metric;
        this.unit = unit;
        this.baselineKind = baselineKind;
        this.higherIsBetter = higherIsBetter;
        this.target = target;
        this.targetValue = targetValue;
        this.targetOnRatio = targetOnRatio;
    }

    public void add(double jtcp, double baseline) {
        rounds.add(new double[] {jtcp, baseline});
    }

    /** Report the worst round rather than the median (segment: the target holds for every benchmark method). */
    public boolean worstOfRounds;

    public double jtcp() {
        if (!worstOfRounds) return median(col(0));
        return higherIsBetter ? Arrays.stream(col(0)).min().orElse(Double.NaN) : Arrays.stream(col(0)).max().orElse(Double.NaN);
    }
    public double baseline() { return median(col(1)); }
    public double ratio() { return median(ratios()); }
    public double ratioMin() { return Arrays.stream(ratios()).min().orElse(Double.NaN); }
    public double ratioMax() { return Arrays.stream(ratios()).max().orElse(Double.NaN); }
    public double jtcpMin() { return Arrays.stream(col(0)).min().orElse(Double.NaN); }
    public double jtcpMax() { return Arrays.stream(col(0)).max().orElse(Double.NaN); }

    public Boolean met() {
        if (Double.isNaN(targetValue)) return null;
        double v = targetOnRatio ? ratio() : jtcp();
        return higherIsBetter ? v >= targetValue : v <= targetValue;
    }

    double[] ratios() {
        return rounds.stream().mapToDouble(r -> r[0] / r[1]).toArray();
    }

    private double[] col(int i) {
        return rounds.stream().mapToDouble(r -> r[i]).toArray();
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    public String json() {
        if (!cases.isEmpty()) return casesJson();
        StringBuilder b = new StringBuilder("{");
        field(b, "name", name).append(',');
        field(b, "metric", metric).append(',');
        field(b, "unit", unit).append(',');
        b.append("\"jtcp\":").append(num(jtcp())).append(',');
        b.append("\"baseline\":").append(num(baseline())).append(',');
        field(b, "baseline_kind", baselineKind).append(',');
        b.append("\"ratio\":").append(num(ratio())).append(',');
        b.append("\"ratio_min\":").append(num(ratioMin())).append(',');
        b.append("\"ratio_max\":").append(num(ratioMax())).append(',');
        field(b, "target", target).append(',');
        Boolean met = met();
        b.append("\"met\":").append(met == null ? "null" : met.toString()).append(',');
        b.append("\"rounds\":[");
        for (int i = 0; i < rounds.size(); i++) {
            double[] r = rounds.get(i);
            if (i > 0) b.append(',');
            b.append("{\"jtcp\":").append(num(r[0])).append(",\"baseline\":").append(num(r[1]))
                    .append(",\"ratio\":").append(num(r[0] / r[1])).append('}');
        }
        b.append(']');
        if (!series.isEmpty()) {
            b.append(",\"series\":{");
            int i = 0;
            for (var e : series.entrySet()) {
                if (i++ > 0) b.append(',');
                b.append('"').append(esc(e.getKey())).append("\":[");
                double[] v = e.getValue();
                for (int j = 0; j < v.length; j++) b.append(j > 0 ? "," : "").append(num(v[j]));
                b.append(']');
            }
            b.append('}');
        }
        extras(b);
        return b.append('}').toString();
    }

    /** {@code name, metric, cases[]} (each case a whole benchmark object) and the extras. */
    private String casesJson() {
        StringBuilder b = new StringBuilder("{");
        field(b, "name", name).append(',');
        field(b, "metric", metric).append(',');
        b.append("\"cases\":[");
        for (int i = 0; i < cases.size(); i++) b.append(i > 0 ? "," : "").append(cases.get(i).json());
        b.append(']');
        extras(b);
        return b.append('}').toString();
    }

    private void extras(StringBuilder b) {
        for (var e : extra.entrySet()) {
            b.append(",\"").append(esc(e.getKey())).append("\":");
            Object v = e.getValue();
            if (v instanceof Number n) b.append(num(n.doubleValue()));
            else if (v instanceof Boolean x) b.append(x);
            else b.append('"').append(esc(String.valueOf(v))).append('"');
        }
    }

    public String table() {
        if (!cases.isEmpty()) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %s%n", name, metric));
            for (var e : extra.entrySet()) {
                Object v = e.getValue();
                b.append("  ").append(e.getKey()).append(": ")
                        .append(shown(v)).append('\n');
            }
            b.append(String.format(Locale.ROOT, "  %-34s %-7s %12s %12s %8s %8s %8s%n", "case", "unit", "jtcp", "baseline", "ratio", "min", "max"));
            for (Result c : cases) {
                b.append(String.format(Locale.ROOT, "  %-34s %-7s %12s %12s %8s %8s %8s%n", c.name, c.unit, fmt(c.jtcp()),
                        fmt(c.baseline()), fmt(c.ratio()), fmt(c.ratioMin()), fmt(c.ratioMax())));
            }
            for (Result c : cases) b.append('\n').append(c.table());
            return b.toString();
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %s (%s)%n", name, metric, unit));
        b.append(String.format(Locale.ROOT, "  %-7s %16s %16s %10s%n", "round", "jtcp", "baseline", "ratio"));
        for (int i = 0; i < rounds.size(); i++) {
            double[] r = rounds.get(i);
            b.append(String.format(Locale.ROOT, "  %-7d %16s %16s %10s%n", i + 1, fmt(r[0]), fmt(r[1]), fmt(r[0] / r[1])));
        }
        b.append(String.format(Locale.ROOT, "  %-7s %16s %16s %10s   (ratio min %s, max %s)%n", "median", fmt(jtcp()),
                fmt(baseline()), fmt(ratio()), fmt(ratioMin()), fmt(ratioMax())));
        b.append("  baseline: ").append(baselineKind).append('\n');
        for (var e : series.entrySet()) {
            b.append("  ").append(e.getKey()).append(": ");
            for (double v : e.getValue()) b.append(fmt(v)).append(' ');
            b.append('\n');
        }
        for (var e : extra.entrySet()) {
            Object v = e.getValue();
            b.append("  ").append(e.getKey()).append(": ")
                    .append(shown(v)).append('\n');
        }
        Boolean met = met();
        b.append("  target: ").append(target).append(met == null ? "" : met ? "  -> MET" : "  -> MISSED").append('\n');
        return b.toString();
    }

    /** An extra as the table shows it: whole counts in full, other numbers by {@link #fmt}. */
    private static String shown(Object v) {
        if (v instanceof Integer || v instanceof Long) return String.valueOf(v);
        return v instanceof Number n ? fmt(n.doubleValue()) : String.valueOf(v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "-";
        double a = Math.abs(v);
        if (a >= 1e6) return String.format(Locale.ROOT, "%.4g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static StringBuilder field(StringBuilder b, String k, String v) {
        b.append('"').append(k).append("\":");
        if (v == null) return b.append("null");
        return b.append('"').append(esc(v)).append('"');
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
