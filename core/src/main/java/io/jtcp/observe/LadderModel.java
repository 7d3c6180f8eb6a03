package io.jtcp.observe;

import io.jtcp.wire.IpAddress;
import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.LossEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceEvent.StateEvent;
import io.jtcp.observe.TraceEvent.UserEvent;
import io.jtcp.tcp.RecoveryEvent;
import io.jtcp.tcp.State;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a ladder diagram shows, worked out from a trace and independent of drawing:
 * the hosts, one arrow per segment (each sent segment paired with its arrival),
 * the segments that never arrived, state and user-call notes beside each host,
 * and timer spans (TIME_WAIT, retransmission timeouts).
 */
final class LadderModel {
    /** Link fates after which a sent segment does not arrive. */
    static final Set<String> LOSSES = Set.of("LOST", "DROPPED_BY_RULE", "CORRUPTED");
    static final String NET = "net";
    /** Loss events that count a retransmission, which the diagram shows as an arrow instead of a note. */
    static final Set<String> RETRANSMISSIONS = Set.of(RecoveryEvent.FAST_RETRANS.mibName(), RecoveryEvent.SLOW_START_RETRANS.mibName());

    /** A host drawn as a column; {@code traced} if it reported events itself (else only seen as an address). */
    static final class Host {
        final String name;
        IpAddress address;
        boolean hasAddress, traced;
        int index;

        Host(String name) {
            this.name = name;
        }

        String label() {
            if (!hasAddress) return name;
            String a = address.toString();
            return a.equals(name) ? a : name + " " + a;
        }
    }

    /** One segment: sent by {@code from} ({@code out} may be null if only its arrival was seen), received by {@code to}. */
    static final class Arrow {
        final Host from, to;
        final SegmentEvent out;
        SegmentEvent in;
        String label, lostReason, discardedReason;
        boolean retransmission, duplicate;
        /** For a copy the link made: the segment it copies. */
        Arrow original;

        Arrow(Host from, Host to, SegmentEvent out, SegmentEvent in) {
            this.from = from;
            this.to = to;
            this.out = out;
            this.in = in;
        }

        boolean lost() {
            return lostReason != null;
        }

        Segment segment() {
            return (out != null ? out : in).segment();
        }
    }

    /** A note beside a host's column: a state it entered, a call its user made, a segment it discarded, a loss-recovery step. */
    record Note(Host host, long time, String text, Kind kind) {
        enum Kind { STATE, CALL, DROP, LOSS }
    }

    /** A timer span along a host's column; {@code end} is -1 if it was still running when the trace ended. */
    record Span(Host host, long start, long end, String label) {}

    final Map<String, Host> hosts = new LinkedHashMap<>();
    final List<Arrow> arrows = new ArrayList<>();
    final List<Note> notes = new ArrayList<>();
    final List<Span> spans = new ArrayList<>();
    /** Every instant anything is drawn at, unsorted, with repeats. */
    final List<Long> times = new ArrayList<>();

    private final Map<IpAddress, Host> byAddress = new HashMap<>();
    private final Map<SegmentKey, ArrayDeque<Arrow>> inFlight = new HashMap<>();
    private final Map<SegmentKey, Arrow> lastSent = new HashMap<>();
    private final Map<Flow, Integer> isn = new HashMap<>();
    /** Per flow and first sequence number: when it was last sent. */
    private final Map<SeqSent, Long> sentAt = new HashMap<>();
    private final Set<String> rtoAt = new HashSet<>();
    private final Map<String, Long> arrivalsAt = new HashMap<>();
    private final Map<String, Long> timeWaitSince = new HashMap<>();

    private record SegmentKey(IpAddress src, int srcPort, IpAddress dst, int dstPort, int seq, int ack, int flags, int len) {
        static SegmentKey of(Segment s) {
            return new SegmentKey(s.srcAddr, s.srcPort, s.dstAddr, s.dstPort, s.seq, s.ack, s.flags, s.payloadLength);
        }
    }

    /** One direction of a conversation. */
    private record Flow(IpAddress src, int srcPort, IpAddress dst, int dstPort) {
        static Flow of(Segment s) {
            return new Flow(s.srcAddr, s.srcPort, s.dstAddr, s.dstPort);
        }

        Flow reversed() {
            return new Flow(dst, dstPort, src, srcPort);
        }
    }

    private record SeqSent(Flow flow, int seq) {}

    LadderModel(List<TraceEvent> events) {
        // Columns left to right in the order hosts first send: the active opener on the left.
        for (TraceEvent e : events) {
            if (e instanceof SegmentEvent s && SegmentEvent.OUT.equals(s.dir()) && !NET.equals(e.host())) host(e.host());
        }
        for (TraceEvent e : events) {
            if (!NET.equals(e.host())) {
                Host h = host(e.host());
                h.traced = true;
                if (!h.hasAddress && e.local() != null) setAddress(h, e.local());
            }
        }
        for (TraceEvent e : events) {
            switch (e) {
                case SegmentEvent s when SegmentEvent.OUT.equals(s.dir()) -> sent(s);
                case SegmentEvent s -> arrived(s);
                case DropEvent d -> dropped(d);
                case StateEvent s -> state(s);
                case LossEvent l -> {
                    // A retransmission is already an arrow marked (retx); the note tells what recovery decided.
                    if (!RETRANSMISSIONS.contains(l.event())) note(host(l.host()), l.timeNanos(), l.event(), Note.Kind.LOSS);
                }
                case UserEvent u -> {
                    if (!NET.equals(u.host())) note(host(u.host()), u.timeNanos(), u.call() + "()", Note.Kind.CALL);
                }
            }
        }
        for (Arrow a : arrows) {
            // Sent to a host that reports its arrivals, and none came: it never arrived.
            if (a.in == null && a.lostReason == null && a.out != null && a.to.traced) a.lostReason = "never arrived";
        }
        timeWaitSince.forEach((key, since) -> spans.add(new Span(host(key.substring(0, key.indexOf('|'))), since, -1,
                "TIME_WAIT (running)")));
    }

    private void sent(SegmentEvent e) {
        Segment s = e.segment();
        Host from = host(e.host());
        Arrow a = new Arrow(from, hostAt(s.dstAddr), e, null);
        a.label = label(s);
        SegmentKey key = SegmentKey.of(s);
        inFlight.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(a);
        lastSent.put(key, a);
        arrows.add(a);
        times.add(e.timeNanos());

        if (s.seqLength() > 0) {
            SeqSent first = new SeqSent(Flow.of(s), s.seq);
            Long before = sentAt.put(first, e.timeNanos());
            if (before != null) {
                a.retransmission = true;
                a.label += " (retx)";
                // Sent again with nothing arriving at that instant: the retransmission timer fired.
                // Of several segments resent at one instant only the first, whose timer it was, gets the bracket.
                String when = e.host() + "|" + e.timeNanos();
                if (!arrivalsAt.containsKey(when) && rtoAt.add(when)) {
                    spans.add(new Span(from, before, e.timeNanos(), "RTO " + duration(e.timeNanos() - before)));
                }
            }
        }
    }

    private void arrived(SegmentEvent e) {
        Segment s = e.segment();
        times.add(e.timeNanos());
        arrivalsAt.put(e.host() + "|" + e.timeNanos(), e.timeNanos());
        SegmentKey key = SegmentKey.of(s);
        ArrayDeque<Arrow> q = inFlight.get(key);
        Arrow a = q == null ? null : q.peekFirst();
        if (a != null && a.out.timeNanos() <= e.timeNanos()) {
            q.pollFirst();
            a.in = e;
            return;
        }
        // An arrival with no send left to pair it with: a copy the link made, or a sender that is not traced.
        Arrow original = lastSent.get(key);
        Arrow extra = new Arrow(original != null ? original.from : hostAt(s.srcAddr), host(e.host()), original != null ? original.out : null, e);
        extra.duplicate = original != null;
        extra.original = original;
        extra.label = original != null ? original.label + " (copy)" : label(s);
        arrows.add(extra);
    }

    private void dropped(DropEvent d) {
        times.add(d.timeNanos());
        if (NET.equals(d.host())) {
            if (!LOSSES.contains(d.reason())) return;
            // The link reports a loss right after the send: the latest matching segment not yet delivered.
            for (int i = arrows.size() - 1; i >= 0; i--) {
                Arrow a = arrows.get(i);
                if (a.out == null || a.in != null || a.lostReason != null || a.duplicate) continue;
                if (a.out.timeNanos() > d.timeNanos()) continue;
                if (d.local() != null && !(d.local().equals(a.out.remote()) && d.remote() != null && d.remote().equals(a.out.local()))) continue;
                a.lostReason = d.reason();
                ArrayDeque<Arrow> q = inFlight.get(SegmentKey.of(a.out.segment()));
                if (q != null) q.remove(a);
                return;
            }
            return;
        }
        // A host discarded a segment: noted beside its column, and on the arrow that brought it, if one did.
        note(host(d.host()), d.timeNanos(), "dropped " + d.reason(), Note.Kind.DROP);
        for (int i = arrows.size() - 1; i >= 0; i--) {
            Arrow a = arrows.get(i);
            if (a.in == null || !a.in.host().equals(d.host()) || a.in.timeNanos() != d.timeNanos()) continue;
            if (d.local() != null && !d.local().equals(a.in.local())) continue;
            if (a.discardedReason == null) a.discardedReason = d.reason();
            return;
        }
    }

    private void state(StateEvent s) {
        Host h = host(s.host());
        note(h, s.timeNanos(), s.to().name(), Note.Kind.STATE);
        String key = s.host() + "|" + s.local() + "|" + s.remote();
        if (s.to() == State.TIME_WAIT) timeWaitSince.put(key, s.timeNanos());
        if (s.from() == State.TIME_WAIT) {
            Long since = timeWaitSince.remove(key);
            if (since != null) {
                long span = s.timeNanos() - since;
                boolean expired = s.cause() != null && s.cause().contains("2MSL");
                spans.add(new Span(h, since, s.timeNanos(),
                        expired ? "TIME_WAIT 2MSL = " + duration(span) : "TIME_WAIT " + duration(span) + ", then " + s.to()));
            }
        }
    }

    private void note(Host h, long time, String text, Note.Kind kind) {
        notes.add(new Note(h, time, text, kind));
        times.add(time);
    }

    private Host host(String name) {
        return hosts.computeIfAbsent(name, n -> {
            Host h = new Host(n);
            h.index = hosts.size();
            return h;
        });
    }

    private void setAddress(Host h, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        try {
            IpAddress addr = IpAddress.parse(colon < 0 ? endpoint : endpoint.substring(0, colon));
            h.address = addr;
            h.hasAddress = true;
            byAddress.putIfAbsent(addr, h);
        } catch (RuntimeException notAnAddress) {
            // a name that is not an address: the column shows the name alone
        }
    }

    /** The column for a segment's address: the traced host living there, or a column named by the address. */
    private Host hostAt(IpAddress address) {
        Host h = byAddress.get(address);
        if (h != null) return h;
        h = host(address.toString());
        h.address = address;
        h.hasAddress = true;
        byAddress.put(address, h);
        return h;
    }

    /**
     * tcpdump-style label with relative sequence numbers: {@code "SYN seq=0"}, {@code "PSH,ACK seq=1:35 ack=1"}.
     * A SYN sets its direction's base; a flow whose SYN was not seen takes its first sequence number as 1.
     */
    private String label(Segment s) {
        Flow f = Flow.of(s);
        if (s.syn()) {
            isn.put(f, s.seq);
            if (!s.ackFlag()) isn.remove(f.reversed()); // a new connection on this 4-tuple
        }
        int base = isn.computeIfAbsent(f, k -> s.seq - 1);
        StringBuilder b = new StringBuilder(40).append(flagNames(s.flags));
        int len = s.payloadLength;
        if (len > 0 || (s.flags & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) != 0) {
            b.append(" seq=").append(Integer.toUnsignedString(s.seq - base));
            if (len > 0) b.append(':').append(Integer.toUnsignedString(s.seq - base + len));
        }
        if (s.ackFlag()) {
            int peer = isn.computeIfAbsent(f.reversed(), k -> s.ack - 1);
            b.append(" ack=").append(Integer.toUnsignedString(s.ack - peer));
        }
        if (s.seqLength() == 0 && !s.rst() && s.window == 0) b.append(" win=0"); // a zero-window ACK is worth seeing
        return b.toString();
    }

    static String flagNames(int flags) {
        StringBuilder b = new StringBuilder(24);
        String[] names = {"SYN", "FIN", "RST", "PSH", "URG", "ECE", "CWR", "ACK"};
        int[] bits = {TcpFlags.SYN, TcpFlags.FIN, TcpFlags.RST, TcpFlags.PSH, TcpFlags.URG, TcpFlags.ECE, TcpFlags.CWR, TcpFlags.ACK};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) b.append(b.isEmpty() ? "" : ",").append(names[i]);
        }
        return b.isEmpty() ? "(no flags)" : b.toString();
    }

    /** {@code 60 s}, {@code 59.8 s}, {@code 200 ms}, {@code 1.5 ms}. */
    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            if (nanos % 1_000_000_000L == 0) return nanos / 1_000_000_000L + " s";
            return String.format(Locale.ROOT, nanos >= 10_000_000_000L ? "%.1f s" : "%.2f s", nanos / 1e9);
        }
        if (nanos >= 10_000_000L || nanos % 1_000_000L == 0) return Math.round(nanos / 1e6) + " ms";
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
