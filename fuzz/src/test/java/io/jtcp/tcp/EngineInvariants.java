package io.jtcp.tcp;

import io.jtcp.wire.Seq;

/**
 * What must hold after every event a connection processes, whatever the input. Reads the
 * engine's own fields (the one place the fuzz module does), so a renamed field breaks here only.
 *
 * <ul>
 *   <li>SND.UNA &lt;= SND.NXT &lt;= SND.MAX, in sequence arithmetic (RFC 9293 §3.3.1; SND.MAX is BSD's snd_max).</li>
 *   <li>RCV.NXT never moves back within one incarnation (same IRS).</li>
 *   <li>Reads return the peer's bytes in sequence order, each once, never beyond RCV.NXT or
 *       the peer's FIN, and none after end of stream was reported.</li>
 *   <li>Timers belong to their states: none in CLOSED or LISTEN, the 2MSL timer only in
 *       TIME_WAIT, the FIN_WAIT_2 timer only in FIN_WAIT_2.</li>
 * </ul>
 */
final class EngineInvariants {
    private final Connection c;
    private int irs, rcvNxt;
    private boolean synchronizedBefore;
    /** The sequence number of the next byte a read must return, once a read has been seen in this incarnation. */
    private int readSeq, readIrs;
    private boolean readStarted, endOfStreamSeen;

    EngineInvariants(Connection c) { this.c = c; }

    void beforeSegment() {
        synchronizedBefore = c.state().isSynchronized();
        irs = c.irs;
        rcvNxt = c.rcvNxt;
    }

    void after(String event) {
        State s = c.state();
        if (s != State.CLOSED && s != State.LISTEN) {
            require(Seq.leq(c.sndUna, c.sndNxt), event, "SND.UNA <= SND.NXT");
            require(Seq.leq(c.sndNxt, c.sndMax), event, "SND.NXT <= SND.MAX");
        }
        if (synchronizedBefore && s.isSynchronized() && c.irs == irs) {
            require(Seq.geq(c.rcvNxt, rcvNxt), event, "RCV.NXT moved back from " + Integer.toUnsignedString(rcvNxt));
        }
        TimerTable t = c.timers;
        if (s == State.CLOSED || s == State.LISTEN) require(c.nextDeadline() == Long.MAX_VALUE, event, "no timer in " + s);
        if (t.armed(TimerTable.Kind.TIME_WAIT)) require(s == State.TIME_WAIT, event, "2MSL timer outside TIME_WAIT");
        if (t.armed(TimerTable.Kind.FIN_WAIT_2)) require(s == State.FIN_WAIT_2, event, "FIN_WAIT_2 timer outside FIN_WAIT_2");
        synchronizedBefore = false;
    }

    /** A read returned {@code n} (or -1 at end of stream) into {@code b}. */
    void read(byte[] b, int n, boolean peek) {
        if (!readStarted || c.irs != readIrs) {
            // The first read of this incarnation (a LISTEN fixture may take a new peer): the stream starts after the peer's SYN.
            readStarted = true;
            readIrs = c.irs;
            readSeq = c.irs + 1;
            endOfStreamSeen = false;
        }
        if (n < 0) {
            // End of stream from the peer's FIN is final. After the user's shutdown(SHUT_RD) Linux keeps
            // accepting data, and recv returns what arrives later (tcp_recvmsg copies before it checks RCV_SHUTDOWN).
            if (c.peerFinSeen && Seq.geq(c.rcvNxt, c.peerFinSeq + 1)) endOfStreamSeen = true;
            return;
        }
        if (n == 0) return;
        require(!endOfStreamSeen, "receive", n + " bytes after end of stream");
        for (int i = 0; i < n; i++) {
            if (b[i] != ConnectionFuzzTest.peerByte(readSeq + i)) {
                throw new AssertionError("receive: byte " + i + " of " + n + " is not the peer's byte at "
                        + Integer.toUnsignedString(readSeq + i) + ": out of order or duplicated; " + c.status(c.now()));
            }
        }
        require(Seq.leq(readSeq + n, c.rcvNxt), "receive", "read past RCV.NXT");
        require(!c.peerFinSeen || Seq.leq(readSeq + n, c.peerFinSeq), "receive", "read past the peer's FIN");
        if (!peek) readSeq += n;
    }

    private void require(boolean ok, String event, String what) {
        if (!ok) throw new AssertionError("after " + event + ": " + what + "; " + c.status(c.now()));
    }
}
