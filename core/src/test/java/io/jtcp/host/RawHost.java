package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.PacketCodec;
import io.jtcp.wire.Segment;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: one stack at 10.0.0.2, fed raw packets, with every packet it sends decoded and kept. */
final class RawHost {
    static final String ADDRESS = "10.0.0.2";

    final Stack stack;
    private final List<Segment> sent = new ArrayList<>();

    RawHost(Sysctls cfg) {
        stack = new Stack("host", IpAddress.parse(ADDRESS), cfg, this::capture, 1, 0);
    }

    private void capture(byte[] packet, int offset, int length) {
        Segment s = new Segment();
        if (PacketCodec.decode(packet, offset, length, s) != null) throw new AssertionError("the stack sent a packet it cannot decode");
        sent.add(s.copy());
    }

    /** What the stack sent since the last look (a connect, a send, a timer), and forgets it. */
    List<Segment> take() {
        List<Segment> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    /** Hands {@code packet} to the stack at {@code now}; returns what the stack sent in answer. */
    List<Segment> receive(byte[] packet, long now) {
        sent.clear();
        stack.packetArrives(packet, 0, packet.length, now);
        return List.copyOf(sent);
    }
}
