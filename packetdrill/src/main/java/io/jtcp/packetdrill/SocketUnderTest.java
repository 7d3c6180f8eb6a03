package io.jtcp.packetdrill;

import java.util.HashMap;
import java.util.Map;

/**
 * packetdrill's "socket under test" (its struct socket): the one connection scripted
 * packets belong to, and the numbers that map script space to live space (socket.h):
 * inbound SYN sequence numbers are taken as they are and become the remote ISN; every
 * other remote sequence number is relative to it; local sequence numbers are relative
 * to the stack's ISN, except in a SYN, where the script's own ISN is subtracted
 * instead. Outbound TS vals are remembered so inbound TS ecrs can echo them.
 */
final class SocketUnderTest {
    enum Phase { LISTENING, PASSIVE_SYN_RECEIVED, ACTIVE_CONNECTING, ACTIVE_SYN_SENT }

    Phase phase;
    int localPort;
    int remotePort;
    long scriptLocalIsn;
    int liveLocalIsn;
    int remoteIsn;

    private boolean firstTsSeen;
    private long firstScriptTsVal;
    private int firstLiveTsVal;
    private final Map<Long, Integer> tsValMap = new HashMap<>();

    SocketUnderTest(Phase phase, int localPort, int remotePort) {
        this.phase = phase;
        this.localPort = localPort;
        this.remotePort = remotePort;
    }

    /** remote_seq_script_to_live_offset */
    int remoteSeqToLive(long scriptSeq, boolean syn) {
        return (int) scriptSeq + (syn ? 0 : remoteIsn);
    }

    /** local_seq_script_to_live_offset */
    int localSeqToLive(long scriptSeq, boolean syn) {
        return (int) scriptSeq + (syn ? liveLocalIsn - (int) scriptLocalIsn : liveLocalIsn);
    }

    /** local_seq_live_to_script_offset, as an unsigned 32-bit script number. */
    long localSeqToScript(int liveSeq, boolean syn) {
        return Integer.toUnsignedLong(liveSeq - (syn ? liveLocalIsn - (int) scriptLocalIsn : liveLocalIsn));
    }

    /** remote_seq_live_to_script_offset */
    long remoteSeqToScript(int liveSeq, boolean syn) {
        return Integer.toUnsignedLong(liveSeq - (syn ? 0 : remoteIsn));
    }

    /** Remembers an outbound TS val (map_outbound_live_packet); returns it in script space for comparison. */
    long outboundTsVal(long scriptVal, int liveVal) {
        tsValMap.put(scriptVal, liveVal);
        if (!firstTsSeen) {
            firstTsSeen = true;
            firstScriptTsVal = scriptVal;
            firstLiveTsVal = liveVal;
        }
        return (firstScriptTsVal + Integer.toUnsignedLong(liveVal - firstLiveTsVal)) & 0xFFFFFFFFL;
    }

    /**
     * The live TS ecr for an inbound packet's scripted one: the exact outbound TS val the
     * script named, or one interpolated from the first (tcp_ts_ecr_scaled), or null when
     * no outbound TS val has been seen yet.
     */
    Integer inboundTsEcr(long scriptEcr) {
        Integer exact = tsValMap.get(scriptEcr);
        if (exact != null) return exact;
        if (!firstTsSeen) return null;
        return (int) (scriptEcr - firstScriptTsVal) + firstLiveTsVal;
    }
}
