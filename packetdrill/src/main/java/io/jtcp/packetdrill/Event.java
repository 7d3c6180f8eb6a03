package io.jtcp.packetdrill;

/** One line of a script's timeline. */
sealed interface Event {
    int line();

    EventTime time();

    String renderAction();

    default String render() { return time().render() + " " + renderAction(); }

    record Packet(int line, EventTime time, ScriptPacket packet) implements Event {
        public String renderAction() { return packet.render(); }
    }

    /**
     * A system call; {@code blockingEnd} is the time after {@code ...} when the call
     * must return (same reference as the start: relative if the start is), or null.
     */
    record Call(int line, EventTime time, Long blockingEnd, Syscall call) implements Event {
        public String render() {
            return time.render() + (blockingEnd == null ? "" : "..." + EventTime.seconds(blockingEnd)) + " " + call.render();
        }

        public String renderAction() { return call.render(); }
    }

    /** An ICMP packet (parser.y's icmp_packet_spec); {@code code}, {@code mtu} and {@code echoed} may be null. */
    record Icmp(int line, EventTime time, boolean inbound, String type, String code, Long mtu, String echoed) implements Event {
        public String renderAction() {
            return (inbound ? "<" : ">") + " icmp " + type + (code == null ? "" : " " + code) + (mtu == null ? "" : " mtu " + mtu)
                    + (echoed == null ? "" : " " + echoed);
        }
    }

    /** A backquoted shell command. */
    record Command(int line, EventTime time, String command) implements Event {
        public String renderAction() { return "`" + command + "`"; }
    }

    /** A {@code %{ python }%} block. */
    record Code(int line, EventTime time, String code) implements Event {
        public String renderAction() { return "%{" + code + "}%"; }
    }
}
