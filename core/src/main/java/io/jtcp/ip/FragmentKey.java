package io.jtcp.ip;

import io.jtcp.wire.IpAddress;

/**
 * What names one datagram's fragments: (src, dst, id, protocol) for IPv4 as Linux's
 * ip_find keys its ipq, (src, dst, id) for IPv6 as fq_find does (protocol is then
 * {@link #ANY_PROTOCOL}). Mutable so one probe looks queues up without garbage; a queue
 * keeps a {@link #copy()}.
 */
final class FragmentKey {
    static final int ANY_PROTOCOL = -1;

    private IpAddress src, dst;
    private int id, protocol;

    FragmentKey set(IpAddress src, IpAddress dst, int id, int protocol) {
        this.src = src;
        this.dst = dst;
        this.id = id;
        this.protocol = protocol;
        return this;
    }

    int id() { return id; }

    FragmentKey copy() {
        return new FragmentKey().set(src, dst, id, protocol);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentKey k && id == k.id && protocol == k.protocol && src.equals(k.src) && dst.equals(k.dst);
    }

    @Override
    public int hashCode() {
        return (src.hashCode() * 31 + dst.hashCode()) * 31 + id * 17 + protocol;
    }
}
