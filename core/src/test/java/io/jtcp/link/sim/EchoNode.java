package io.jtcp.link.sim;

import io.jtcp.link.PacketSink;
import io.jtcp.wire.IpAddress;

/** Sends every packet back to its source, decrementing the IPv4 TTL and stopping at zero. */
final class EchoNode implements SimNode {
    PacketSink sink;
    int echoed;

    EchoNode attachTo(SimNetwork net, IpAddress address) {
        sink = net.attach(address, this);
        return this;
    }

    @Override
    public void receive(byte[] packet, int offset, int length, long now) {
        if (length < 20 || packet[offset + 8] == 0) return;
        byte[] reply = TestPackets.swapAddresses(packet, offset, length);
        reply[8]--;
        echoed++;
        sink.send(reply, 0, reply.length);
    }

    @Override
    public long nextDeadline() {
        return Long.MAX_VALUE;
    }

    @Override
    public void advance(long now) {}
}
