package io.jtcp.link.sim;

import io.jtcp.link.PacketSink;
import io.jtcp.wire.IpAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/** A test host: sends packets at scripted times (its only timers) and records what arrives. */
final class ScriptedNode implements SimNode {
    record Arrival(long time, byte[] bytes) {}
    private record Planned(long time, long order, byte[] bytes) {}

    final List<Arrival> received = new ArrayList<>();
    final List<Long> advancedAt = new ArrayList<>();
    private final PriorityQueue<Planned> plan = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
    private long order;
    PacketSink sink;

    ScriptedNode attachTo(SimNetwork net, IpAddress address) {
        sink = net.attach(address, this);
        return this;
    }

    ScriptedNode sendAt(long time, byte[] packet) {
        plan.add(new Planned(time, order++, packet));
        return this;
    }

    List<Integer> receivedIds() {
        return received.stream().map(a -> TestPackets.id(a.bytes)).toList();
    }

    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        received.add(new Arrival(now, Arrays.copyOfRange(packet, offset, offset + length)));
    }

    @Override
    public long nextDeadline() {
        Planned p = plan.peek();
        return p == null ? Long.MAX_VALUE : p.time;
    }

    @Override
    public void advance(long now) {
        advancedAt.add(now);
        while (!plan.isEmpty() && plan.peek().time <= now) {
            byte[] b = plan.poll().bytes;
            sink.send(b, 0, b.length);
        }
    }
}
