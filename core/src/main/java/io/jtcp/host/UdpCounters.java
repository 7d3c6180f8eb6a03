package io.jtcp.host;

/**
 * The UDP MIB, as nstat shows Linux's Udp* counters (both families together). Written on
 * the stack's thread; a snapshot view reads them there.
 */
public final class UdpCounters {
    public long inDatagrams, outDatagrams, noPorts, inErrors, inCsumErrors, rcvbufErrors, ignoredMulti;
}
