package io.jtcp.host;

/**
 * The UDP MIB, as nstat shows Linux's Udp* counters (both families together). Written on
 * the stack's thread; a snapshot view reads them there.
 */
public final class UdpCounters {
    public long inDatagrams, outDatagrams, noPorts, inErrors, inCsumErrors, rcvbufErrors, ignoredMulti;

    /** Under nstat's names. */
    public java.util.Map<String, Long> asMap() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("UdpInDatagrams", inDatagrams);
        m.put("UdpNoPorts", noPorts);
        m.put("UdpInErrors", inErrors);
        m.put("UdpOutDatagrams", outDatagrams);
        m.put("UdpRcvbufErrors", rcvbufErrors);
        m.put("UdpInCsumErrors", inCsumErrors);
        m.put("UdpIgnoredMulti", ignoredMulti);
        return m;
    }
}
