package io.jtcp.packetdrill;

import io.jtcp.tcp.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * The ancillary data recvmsg returns in msg_control, checked against the script's
 * {@code msg_control=[{cmsg_level=..., cmsg_type=..., cmsg_data=...}]} as packetdrill
 * checks an in/out argument. TCP's only one here is TCP_CM_INQ, which tcp_recvmsg
 * appends to every successful receive (EOF included) while TCP_INQ is on.
 */
final class ControlMessages {
    private ControlMessages() {}

    private record Cmsg(long level, long type, long data) {
        String render() { return "{level=" + level + ", type=" + type + ", data=" + data + "}"; }
    }

    /** True when {@code call} is a recvmsg whose msghdr names control messages to check. */
    static boolean expected(Syscall call) {
        return call.name().equals("recvmsg") && call.arg(1) instanceof Expr.Struct msg
                && msg.get("msg_control") instanceof Expr.Array control && !control.items().isEmpty();
    }

    /** {@code read}, with the control messages of each successful return compared to the script's. */
    static CallResult.Retry checked(Syscall call, Connection c, CallResult.Retry read) {
        if (!expected(call)) return read;
        Expr.Array control = (Expr.Array) ((Expr.Struct) call.arg(1)).get("msg_control");
        return t -> {
            CallResult.Done d = read.attempt(t);
            if (d == null || d.errno() != null || d.mismatch() != null) return d;
            return CallResult.checked(d.value(), mismatch(control, actual(c)));
        };
    }

    private static List<Cmsg> actual(Connection c) {
        List<Cmsg> out = new ArrayList<>();
        if (c.options().inq) out.add(new Cmsg(Symbols.IPPROTO_TCP, SocketFeatureSymbols.TCP_CM_INQ, c.inqHint()));
        return out;
    }

    private static String mismatch(Expr.Array script, List<Cmsg> actual) throws UnsupportedFeature {
        List<Cmsg> want = new ArrayList<>();
        for (Expr item : script.items()) {
            if (!(item instanceof Expr.Struct st)) throw new UnsupportedFeature("control message " + item.render());
            want.add(new Cmsg(Args.integer(st.get("cmsg_level"), -1), Args.integer(st.get("cmsg_type"), -1),
                    Args.integer(st.get("cmsg_data"), -1)));
        }
        if (want.equals(actual)) return null;
        return "Bad msg_control: expected: " + want.stream().map(Cmsg::render).toList()
                + " actual: " + actual.stream().map(Cmsg::render).toList();
    }
}
