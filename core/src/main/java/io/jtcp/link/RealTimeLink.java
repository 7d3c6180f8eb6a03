package io.jtcp.link;

import io.jtcp.wire.IpAddress;

/**
 * A link that runs in real time, with real threads: a stack attaches at each of its
 * addresses, handing over where its arriving packets go, and gets back the sink
 * for its outgoing ones.
 */
public interface RealTimeLink {
    /** Attaches {@code receiver} at {@code address}; fails if the address is taken. */
    PacketSink attach(IpAddress address, PacketReceiver receiver);

    /** Detaches whatever is at {@code address}; packets for it are dropped from now on. */
    void detach(IpAddress address);
}
