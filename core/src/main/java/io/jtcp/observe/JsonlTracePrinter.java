package io.jtcp.observe;

import io.jtcp.observe.TraceEvent.DropEvent;
import io.jtcp.observe.TraceEvent.LossEvent;
import io.jtcp.observe.TraceEvent.SegmentEvent;
import io.jtcp.observe.TraceEvent.StateEvent;
import io.jtcp.observe.TraceEvent.UserEvent;
import io.jtcp.wire.Segment;
import io.jtcp.wire.TcpFlags;

/**
 * Prints a trace as JSON Lines: one object an event, members in a fixed order.
 * Every object has {@code t} (seconds, six decimals), {@code type} ({@code segment},
 * {@code state}, {@code drop}, {@code loss} or {@code user}), {@code host}, {@code local} and
 * {@code remote}; the rest depends on the type (see README, "Trace format").
 * Sequence, acknowledgment and timestamp values are absolute and unsigned.
 */
public final class JsonlTracePrinter extends LinePrinter {

    public JsonlTracePrinter(Appendable out) {
        super(out);
    }

    /** The JSON object {@link #accept} prints for {@code event}, without the newline. */
    @Override
    public String line(TraceEvent event) {
        StringBuilder b = new StringBuilder(160);
        Json.Obj o = new Json.Obj(b);
        o.rawNumber("t", TraceTime.seconds(event.timeNanos()));
        o.string("type", switch (event) {
            case SegmentEvent s -> "segment";
            case StateEvent s -> "state";
            case DropEvent d -> "drop";
            case LossEvent l -> "loss";
            case UserEvent u -> "user";
        });
        o.string("host", event.host()).string("local", event.local()).string("remote", event.remote());
        switch (event) {
            case SegmentEvent s -> segment(o.string("dir", s.dir()), s.segment());
            case StateEvent s -> o.string("from", s.from().name()).string("to", s.to().name()).string("cause", s.cause());
            case DropEvent d -> o.string("reason", d.reason()).string("detail", d.detail());
            case LossEvent l -> o.string("event", l.event()).string("detail", l.detail());
            case UserEvent u -> o.string("call", u.call()).string("result", u.result());
        }
        o.end();
        return b.toString();
    }

    private static void segment(Json.Obj o, Segment s) {
        o.string("flags", TcpFlags.tcpdump(s.flags))
         .number("seq", Integer.toUnsignedLong(s.seq));
        if (s.ackFlag()) o.number("ack", Integer.toUnsignedLong(s.ack));
        o.number("win", s.window).number("len", s.payloadLength);
        boolean any = s.mss >= 0 || s.windowScale >= 0 || s.sackPermitted || s.hasTimestamps || s.sackCount > 0;
        if (!any) return;
        Json.Obj opt = o.object("options");
        if (s.mss >= 0) opt.number("mss", s.mss);
        if (s.windowScale >= 0) opt.number("wscale", s.windowScale);
        if (s.sackPermitted) opt.bool("sackOK", true);
        if (s.hasTimestamps) {
            opt.number("tsval", Integer.toUnsignedLong(s.tsVal)).number("tsecr", Integer.toUnsignedLong(s.tsEcr));
        }
        if (s.sackCount > 0) {
            StringBuilder a = opt.array("sack");
            for (int i = 0; i < s.sackCount; i++) {
                if (i > 0) a.append(',');
                a.append('[').append(Integer.toUnsignedLong(s.sackLeft(i)))
                 .append(',').append(Integer.toUnsignedLong(s.sackRight(i))).append(']');
            }
            a.append(']');
        }
        opt.end();
    }
}
