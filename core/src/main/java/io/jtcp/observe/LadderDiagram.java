package io.jtcp.observe;

import io.jtcp.observe.LadderModel.Arrow;
import io.jtcp.observe.LadderModel.Host;
import io.jtcp.observe.LadderModel.Note;
import io.jtcp.observe.LadderModel.Span;
import io.jtcp.wire.TcpFlags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ladder (sequence) diagram of a trace, as SVG: one column per host, time flowing
 * down, a slanted arrow per segment from its send on the sender's column to its
 * arrival on the receiver's, labelled like tcpdump with relative sequence numbers
 * ({@code "SYN,ACK seq=0 ack=1"}, {@code "PSH,ACK seq=1:35 ack=1"}).
 *
 * <ul>
 *   <li>A segment that never arrived (the link lost it, dropped it by rule or corrupted
 *       it, or its receiver reports no arrival) stops half-way with an X:
 *       {@code class="segment lost"}. Every other sent segment is {@code class="segment"}.
 *       A copy the link made is drawn dashed, {@code class="duplicate"}.</li>
 *   <li>Beside each column: the state the host entered (from {@link TraceEvent.StateEvent}s),
 *       in grey the calls its user made, in red the segments it discarded and why.</li>
 *   <li>Along the column, outside the notes: brackets for timer spans, TIME_WAIT (to its
 *       end, "TIME_WAIT 2MSL = 60 s") and retransmission timeouts (from a segment's
 *       previous send to the send again, "RTO 200 ms").</li>
 *   <li>Readable at any length: time runs at {@value #PX_PER_MS} px a millisecond for
 *       short gaps and slower for longer ones, any
 *       quiet gap over {@link #QUIET_GAP_NANOS} is drawn as a fixed break marked
 *       "⋯ 59.8 s ⋯", events keep at least {@value #ROW} px apart, and the height grows with
 *       the events (at most {@value #ROW} px an event plus {@value #QUIET_MAX_PX} px a gap).</li>
 * </ul>
 *
 * Pure SVG 1.1, inline styles, no external resources; each arrow carries its tcpdump
 * line as a {@code <title>} tooltip. Collect events as a {@link TraceSink} (on the
 * stack's thread, like any sink), then call {@link #svg()} or {@link #write(Path)}.
 */
public final class LadderDiagram implements TraceSink {
    /** A gap between consecutive events longer than this is drawn as a break. */
    public static final long QUIET_GAP_NANOS = 200_000_000L;
    static final double PX_PER_MS = 1.0;
    static final int QUIET_MAX_PX = 120, LINEAR_MS = 30;
    static final int ROW = 26, NOTE_ROW = 15, BREAK = 46;
    static final int WIDTH_2 = 1100, OUTER = 390, HEADER = 70, FOOTER = 70;

    private static final String FONT = "font-family:'DejaVu Sans',Verdana,Helvetica,Arial,sans-serif;";
    private static final String RED = "#c62828", GREY = "#757575";

    private final List<TraceEvent> events = new ArrayList<>();

    @Override
    public void accept(TraceEvent event) {
        events.add(event);
    }

    /** Events collected so far. */
    public int size() {
        return events.size();
    }

    /** Writes {@link #svg()} to {@code file} as UTF-8. */
    public void write(Path file) throws IOException {
        Files.writeString(file, svg(), StandardCharsets.UTF_8);
    }

    /** The diagram of every event collected so far. */
    public String svg() {
        return new Drawing(new LadderModel(events)).render();
    }

    /** Lays the model out on the page and writes it. */
    private static final class Drawing {
        final LadderModel m;
        final StringBuilder svg = new StringBuilder(64 * 1024);
        final TcpdumpFormat tcpdump = new TcpdumpFormat();
        final double[] columnX;
        final int width;
        /** Each instant's top, and how many rows it holds. */
        final TreeMap<Long, Double> top = new TreeMap<>();
        final Map<Long, Integer> rowsAt = new HashMap<>();
        final List<double[]> breaks = new ArrayList<>(); // {y0, y1, nanos}
        final Map<Arrow, Integer> startRow = new HashMap<>(), endRow = new HashMap<>();
        final Map<Note, Integer> noteRow = new HashMap<>();
        /** Vertical extent of delivered arrows, by sender>receiver and by sender>receiver@send time, sorted. */
        Map<String, List<Double>> flights;
        double bottom;

        Drawing(LadderModel m) {
            this.m = m;
            int n = Math.max(2, m.hosts.size());
            int gap = 360;
            width = 2 * OUTER + (n - 1) * gap;
            columnX = new double[n];
            for (int i = 0; i < n; i++) columnX[i] = OUTER + i * gap;
            assignRows();
            placeInstants();
        }

        /**
         * Rows within an instant: a send takes a row of its own (labels never share a line);
         * an arrival takes the current row unless its host already has something on it, so a
         * reply sent at the instant of the arrival leaves from the arrow's tip.
         */
        private void assignRows() {
            Map<Long, List<String>> used = new HashMap<>(); // per instant: what the current row holds
            Map<Long, Integer> cursor = new HashMap<>();
            // Walk sends and arrivals in the order they happened.
            record Step(long time, int order, Arrow a, boolean send) {}
            List<Step> steps = new ArrayList<>();
            int order = 0;
            Map<Arrow, Integer> outOrder = new HashMap<>();
            for (Arrow a : m.arrows) outOrder.put(a, order++);
            for (Arrow a : m.arrows) {
                if (a.out != null && !a.duplicate) steps.add(new Step(a.out.timeNanos(), 2 * outOrder.get(a), a, true));
                if (a.in != null) steps.add(new Step(a.in.timeNanos(), 2 * outOrder.get(a) + 1, a, false));
            }
            steps.sort((x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Integer.compare(x.order, y.order));
            for (Step s : steps) {
                List<String> row = used.computeIfAbsent(s.time, k -> new ArrayList<>());
                int r = cursor.getOrDefault(s.time, 0);
                Host h = s.send ? s.a.from : s.a.to;
                boolean clash = s.send ? row.stream().anyMatch(u -> u.startsWith("out")) || row.contains("out|" + h.name)
                        : row.contains("in|" + h.name) || row.contains("out|" + h.name);
                if (clash) {
                    r++;
                    row.clear();
                    cursor.put(s.time, r);
                }
                row.add((s.send ? "out|" : "in|") + h.name);
                (s.send ? startRow : endRow).put(s.a, r);
                rowsAt.merge(s.time, r + 1, Math::max);
            }
            // Notes stack beside their column, one line each, starting on the instant's first row.
            Map<String, Integer> perHost = new HashMap<>();
            for (Note n : m.notes) {
                int k = perHost.merge(n.host().name + "|" + n.time(), 1, Integer::sum) - 1;
                noteRow.put(n, k);
            }
            for (long t : m.times) rowsAt.putIfAbsent(t, 1);
        }

        private double instantHeight(long t) {
            int rows = rowsAt.getOrDefault(t, 1);
            int notes = 0;
            for (Note n : m.notes) {
                if (n.time() == t) notes = Math.max(notes, noteRow.get(n) + 1);
            }
            return Math.max(rows * ROW, notes * NOTE_ROW + 4);
        }

        private void placeInstants() {
            double y = HEADER + 20;
            Long prev = null;
            double prevHeight = 0;
            for (long t : new java.util.TreeSet<>(m.times)) {
                if (prev != null) {
                    long dt = t - prev;
                    if (dt > QUIET_GAP_NANOS) {
                        double y0 = y + prevHeight;
                        breaks.add(new double[] {y0, y0 + BREAK, dt});
                        y = y0 + BREAK;
                    } else {
                        y += Math.max(prevHeight, gapPixels(dt));
                    }
                }
                top.put(t, y);
                prevHeight = instantHeight(t);
                prev = t;
            }
            bottom = y + prevHeight + 10;
        }

        /**
         * Short gaps at {@value #PX_PER_MS} px a millisecond, so link delays read as slopes;
         * beyond {@value #LINEAR_MS} ms a gap grows at a third of that, so a delayed ACK or an
         * application's pause up to the break threshold costs at most {@value #QUIET_MAX_PX} px.
         */
        static double gapPixels(long nanos) {
            double ms = nanos / 1e6;
            double px = ms <= LINEAR_MS ? ms * PX_PER_MS : (LINEAR_MS + (ms - LINEAR_MS) / 3) * PX_PER_MS;
            return Math.min(QUIET_MAX_PX, px);
        }

        double y(long t) {
            return top.get(t);
        }

        double x(Host h) {
            return columnX[h.index];
        }

        /** +1 if notes and brackets go to the right of this column, -1 to the left. */
        int side(Host h) {
            return h.index == 0 ? -1 : 1;
        }

        String render() {
            int height = (int) Math.ceil(bottom + FOOTER);
            svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
               .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
               .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
               .append("\">\n");
            svg.append("<title>TCP ladder diagram</title>\n");
            svg.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
               .append("\" style=\"fill:#ffffff\"/>\n");
            columns();
            timeAxis();
            breaks();
            spans();
            notes();
            for (Arrow a : m.arrows) arrow(a);
            legend(height);
            svg.append("</svg>\n");
            return svg.toString();
        }

        private void columns() {
            for (Host h : m.hosts.values()) {
                double x = x(h);
                String label = h.label();
                double w = Math.max(120, label.length() * 8.2 + 24);
                svg.append("<g class=\"host\">");
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"20\" width=\"%.1f\" height=\"30\" rx=\"5\" style=\"fill:#eef2f7;stroke:#37474f;stroke-width:1.2\"/>",
                        x - w / 2, w));
                text(x, 40, label, "font-size:14px;font-weight:bold;fill:#263238;text-anchor:middle;");
                // The column, interrupted at each break.
                double y0 = 50;
                for (double[] b : breaks) {
                    line(x, y0, x, b[0] + 6, "stroke:#37474f;stroke-width:1.5");
                    line(x, b[0] + 6, x, b[1] - 6, "stroke:#b0bec5;stroke-width:1.5;stroke-dasharray:2,4");
                    line(x - 7, b[0] + 9, x + 7, b[0] + 3, "stroke:#37474f;stroke-width:1.2");
                    line(x - 7, b[1] - 3, x + 7, b[1] - 9, "stroke:#37474f;stroke-width:1.2");
                    y0 = b[1] - 6;
                }
                line(x, y0, x, bottom, "stroke:#37474f;stroke-width:1.5");
                svg.append("</g>\n");
            }
        }

        private void timeAxis() {
            svg.append("<g class=\"time\">");
            text(12, 78, "time (s)", "font-size:10px;fill:" + GREY + ";");
            for (Map.Entry<Long, Double> e : top.entrySet()) {
                String s = TraceTime.seconds(e.getKey());
                s = s.substring(0, s.length() - 3); // milliseconds are enough beside the drawing
                text(12, e.getValue() + 4, s, "font-size:10px;fill:" + GREY + ";");
            }
            svg.append("</g>\n");
        }

        private void breaks() {
            double mid = (columnX[0] + columnX[columnX.length - 1]) / 2;
            for (double[] b : breaks) {
                double y = (b[0] + b[1]) / 2;
                svg.append("<g class=\"break\">");
                String label = "\u22ef " + LadderModel.duration((long) b[2]) + " \u22ef";
                text(mid, y + 4, label, "font-size:12px;font-style:italic;fill:" + GREY + ";text-anchor:middle;");
                svg.append("</g>\n");
            }
        }

        /** Timer brackets, in lanes outside the notes; overlapping spans take lanes further out. */
        private void spans() {
            Map<Host, List<double[]>> lanes = new HashMap<>(); // per host, per lane: the y its last span ends
            for (Span s : m.spans) {
                double y0 = y(s.start());
                double y1 = s.end() < 0 ? bottom : y(s.end());
                List<double[]> hostLanes = lanes.computeIfAbsent(s.host(), k -> new ArrayList<>());
                int lane = 0;
                while (lane < hostLanes.size() && hostLanes.get(lane)[0] > y0) lane++;
                if (lane == hostLanes.size()) hostLanes.add(new double[1]);
                hostLanes.get(lane)[0] = y1 + 2;
                int side = side(s.host());
                double x = x(s.host()) + side * (130 + 12 * lane);
                String color = s.label().startsWith("RTO") ? "#ef6c00" : "#6a1b9a";
                String style = "stroke:" + color + ";stroke-width:1.5;fill:none";
                svg.append("<g class=\"timer\">");
                svg.append("<title>").append(escape(s.label())).append("</title>");
                double tick = -side * 6;
                svg.append(String.format(Locale.ROOT, "<path d=\"M %.1f %.1f H %.1f V %.1f%s\" style=\"%s\"/>",
                        x + tick, y0, x, y1, s.end() < 0 ? "" : String.format(Locale.ROOT, " H %.1f", x + tick), style));
                double ty = (y0 + y1) / 2 + 4;
                String anchor = side < 0 ? "end" : "start";
                text(x + side * 6, ty, s.label(), "font-size:11px;fill:" + color + ";text-anchor:" + anchor + ";");
                svg.append("</g>\n");
            }
        }

        private void notes() {
            for (Note n : m.notes) {
                int side = side(n.host());
                double x = x(n.host()) + side * 12;
                double y = y(n.time()) + noteRow.get(n) * NOTE_ROW + 4;
                String anchor = "text-anchor:" + (side < 0 ? "end" : "start") + ";";
                String style = switch (n.kind()) {
                    case STATE -> "font-size:12px;font-weight:bold;fill:#1b5e20;";
                    case CALL -> "font-size:11px;font-style:italic;fill:" + GREY + ";";
                    case DROP -> "font-size:10px;fill:" + RED + ";";
                    case LOSS -> "font-size:10px;font-weight:bold;fill:" + RED + ";";
                };
                svg.append("<g class=\"").append(n.kind().name().toLowerCase(Locale.ROOT)).append("\">");
                text(x, y, n.text(), style + anchor);
                svg.append("</g>\n");
            }
        }

        /** Where an arrow leaves its sender's column: its send's row (a copy leaves with its original). */
        private double startY(Arrow a) {
            if (a.out == null) return y(a.in.timeNanos()) + endRow.getOrDefault(a, 0) * ROW; // only the arrival was seen
            return y(a.out.timeNanos()) + startRow.getOrDefault(a.original != null ? a.original : a, 0) * ROW;
        }

        /**
         * How far down a segment that never arrived would have gone: as far as the delivered
         * segments its host sent at the same instant (so a lost one in a burst runs parallel to
         * its neighbours), else as its host's delivered segments typically go, else a little.
         */
        private double flightDrop(Arrow lost) {
            if (flights == null) {
                flights = new HashMap<>();
                for (Arrow a : m.arrows) {
                    if (a.out == null || a.in == null || a.duplicate) continue;
                    double dy = y(a.in.timeNanos()) + endRow.getOrDefault(a, 0) * ROW - startY(a);
                    flights.computeIfAbsent(a.from.name + ">" + a.to.name + "@" + a.out.timeNanos(), k -> new ArrayList<>()).add(dy);
                    flights.computeIfAbsent(a.from.name + ">" + a.to.name, k -> new ArrayList<>()).add(dy);
                }
                flights.values().forEach(java.util.Collections::sort);
            }
            String pair = lost.from.name + ">" + lost.to.name;
            List<Double> same = flights.get(pair + "@" + lost.out.timeNanos());
            if (same != null) return same.stream().mapToDouble(Double::doubleValue).average().orElse(ROW);
            List<Double> all = flights.get(pair);
            return all != null ? all.get(all.size() / 2) : ROW;
        }

        private void arrow(Arrow a) {
            double x1 = x(a.from), x2 = x(a.to);
            double y1 = startY(a), y2;
            if (a.in != null) {
                y2 = y(a.in.timeNanos()) + endRow.getOrDefault(a, 0) * ROW;
            } else if (a.lost()) {
                x2 = (x1 + x2) / 2;
                y2 = y1 + flightDrop(a) / 2;
            } else {
                y2 = y1 + 0.6 * ROW; // sent to a host that reports nothing: drawn to its column
            }
            if (x1 == x2) return; // a host talking to itself has no arrow to draw
            Segmentish s = new Segmentish(a);
            String color = a.lost() ? RED : s.color();
            String cls = a.duplicate ? "duplicate" : a.lost() ? "segment lost" : "segment";
            svg.append("<g class=\"").append(cls).append("\">");
            svg.append("<title>").append(escape(title(a))).append("</title>");
            String dash = a.lost() || a.duplicate ? ";stroke-dasharray:6,4" : "";
            line(x1, y1, x2, y2, "stroke:" + color + ";stroke-width:" + (s.data() ? "2" : "1.4") + dash);
            if (a.lost()) {
                double d = 6;
                line(x2 - d, y2 - d, x2 + d, y2 + d, "stroke:" + RED + ";stroke-width:2.5");
                line(x2 - d, y2 + d, x2 + d, y2 - d, "stroke:" + RED + ";stroke-width:2.5");
                // Plain loss is what the X says; other fates (dropped by rule, corrupted, ...) are named beside it.
                if (!a.lostReason.equals("LOST")) {
                    String why = a.lostReason.toLowerCase(Locale.ROOT).replace('_', ' ');
                    String style = "font-size:9px;text-anchor:start;";
                    text(x2 + 10, y2 + 3, why, style + "fill:#ffffff;stroke:#ffffff;stroke-width:3;");
                    text(x2 + 10, y2 + 3, why, style + "fill:" + RED + ";");
                }
            } else {
                head(x1, y1, x2, y2, color);
            }
            label(x1, y1, x2, y2, a.label, color, a.lost());
            svg.append("</g>\n");
        }

        private String title(Arrow a) {
            StringBuilder b = new StringBuilder();
            TraceEvent.SegmentEvent e = a.out != null ? a.out : a.in;
            tcpdump.format(e.timeNanos(), e.segment(), b);
            if (a.in != null && a.out != null) b.append("\narrived ").append(TraceTime.seconds(a.in.timeNanos()));
            if (a.lost()) b.append("\nnever arrived: ").append(a.lostReason);
            if (a.discardedReason != null) b.append("\ndiscarded: ").append(a.discardedReason);
            return b.toString();
        }

        private void head(double x1, double y1, double x2, double y2, String color) {
            double len = Math.hypot(x2 - x1, y2 - y1);
            double ux = (x2 - x1) / len, uy = (y2 - y1) / len;
            double bx = x2 - 10 * ux, by = y2 - 10 * uy;
            svg.append(String.format(Locale.ROOT, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" style=\"fill:%s\"/>",
                    x2, y2, bx - 4 * uy, by + 4 * ux, bx + 4 * uy, by - 4 * ux, color));
        }

        /** The label along the arrow, just above it, kept upright; a white halo keeps it legible over lines. */
        private void label(double x1, double y1, double x2, double y2, String text, String color, boolean fromSender) {
            double mx = x1 + (x2 - x1) * 0.5, my = y1 + (y2 - y1) * 0.5;
            String anchor = "middle";
            if (fromSender) {
                // A short (lost) arrow: the label starts at the sender's column instead, so it never overhangs it.
                double len = Math.hypot(x2 - x1, y2 - y1);
                mx = x1 + (x2 - x1) * 8 / len;
                my = y1 + (y2 - y1) * 8 / len;
                anchor = x2 > x1 ? "start" : "end";
            }
            double angle = Math.toDegrees(Math.atan2(y2 - y1, x2 - x1));
            if (angle > 90) angle -= 180;
            if (angle < -90) angle += 180;
            String t = String.format(Locale.ROOT, " transform=\"rotate(%.2f %.1f %.1f)\"", angle, mx, my);
            String base = FONT + "font-size:11px;text-anchor:" + anchor + ";";
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s style=\"%sfill:#ffffff;stroke:#ffffff;stroke-width:4;stroke-linejoin:round\">%s</text>",
                    mx, my - 4, t, base, escape(text)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s style=\"%sfill:%s\">%s</text>",
                    mx, my - 4, t, base, color, escape(text)));
        }

        private void legend(int height) {
            double y = height - 30;
            double x = columnX[0] - 120;
            svg.append("<g class=\"legend\">");
            String[][] items = {{"#2e7d32", "SYN / FIN"}, {"#1565c0", "data"}, {"#546e7a", "ACK"}, {RED, "RST / lost"},
                    {"#ef6c00", "RTO"}, {"#6a1b9a", "TIME_WAIT"}};
            for (String[] it : items) {
                line(x, y, x + 26, y, "stroke:" + it[0] + ";stroke-width:2.5");
                text(x + 32, y + 4, it[1], "font-size:11px;fill:#37474f;");
                x += 40 + it[1].length() * 7 + 20;
            }
            text(columnX[0] - 120, y + 20, "Sequence numbers are relative to each side's initial sequence number; "
                    + "quiet gaps over " + LadderModel.duration(QUIET_GAP_NANOS) + " are cut short (\u22ef).",
                    "font-size:10px;fill:" + GREY + ";");
            svg.append("</g>\n");
        }

        private void line(double x1, double y1, double x2, double y2, String style) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" style=\"%s\"/>",
                    x1, y1, x2, y2, style));
        }

        private void text(double x, double y, String text, String style) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" style=\"%s%s\">%s</text>",
                    x, y, FONT, style, escape(text)));
        }
    }

    /** The colour and weight of a segment's arrow, by what it carries. */
    private record Segmentish(Arrow a) {
        boolean data() {
            return a.segment().payloadLength > 0;
        }

        String color() {
            int f = a.segment().flags;
            if ((f & TcpFlags.RST) != 0) return RED;
            if ((f & (TcpFlags.SYN | TcpFlags.FIN)) != 0) return "#2e7d32";
            if (data()) return "#1565c0";
            return "#546e7a";
        }
    }

    /** Text for SVG content and attribute values; drops characters XML 1.0 cannot carry. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0xfffe || c == 0xffff
                            || Character.isSurrogate(c)) {
                        b.append('?');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
