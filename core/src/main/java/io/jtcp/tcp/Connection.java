package io.jtcp.tcp;

import io.jtcp.api.ConnectionStatus;

import io.jtcp.api.ErrnoException;

import io.jtcp.api.Errno;

import io.jtcp.config.Sysctls;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.IpAddress;
import io.jtcp.wire.Segment;
import io.jtcp.wire.Seq;

/**
 * One TCP connection: its transmission control block (RFC 9293 §3.3.1) and the
 * user calls of §3.10.1–§3.10.6. Sans-IO: time arrives as {@code now}
 * (nanoseconds of whatever clock drives the stack), segments arrive as values,
 * outgoing segments go to a {@link SegmentOut}, and timers are deadlines the
 * owner reads with {@link #nextDeadline()} and fires with {@link #onTimer(long)}.
 *
 * <p>Arrival processing lives in {@link Input}, segment building in
 * {@link Output}, timers in {@link Timers}, loss recovery in
 * {@link LossRecovery} over the {@link Scoreboard} of what was sent, growth of the
 * window in a {@link CongestionControl}; they share this class's package-private
 * fields, which carry the RFC's names.
 *
 * <p>The send sequence space's rules are {@link SendSequence}'s, the negotiated
 * options {@link Negotiated} ({@code agreed}).
 *
 * <p>Not thread-safe: one stack thread owns it (DESIGN.md).
 */
public final class Connection {
    static final long NEVER = Long.MAX_VALUE;

    final Sysctls cfg;
    /** Read freely; written only through {@link #options()} or {@link SocketOptions#withBufferSizes}, since a listener's children share its object. */
    SocketOptions opts;
    final SegmentOut out;
    final ConnectionEvents events;
    IpAddress localAddr, remoteAddr;
    int localPort, remotePort;
    State state = State.CLOSED;
    /** Opened from LISTEN: an RST in SYN_RECEIVED returns it there (§3.10.7.4). */
    boolean passive;
    /** A request whose bare final ACK TCP_DEFER_ACCEPT held back (Linux's inet_rsk(req)->acked). */
    boolean requestAcked;
    /** Rebuilt from a SYN cookie: no TCB existed while the SYN-ACK was out ({@link #openFromCookie}). */
    boolean synCookie;
    /** TCP Fast Open (RFC 7413), see {@link FastOpen}: a passive child that took its SYN's data (tcp_passive_fastopen). */
    boolean fastOpenChild;
    /** Data rode on the SYN and was accepted: TCPI_OPT_SYN_DATA. */
    boolean synData;
    /** The cookie the first SYN-ACK carries (Linux sends it once, not on retransmissions), or null. */
    byte[] synAckCookie;
    boolean synAckCookieExp;
    /**
     * Active Fast Open ({@link FastOpenClient}): the option our first SYN carries (null:
     * none, empty: a cookie request) and its form; the send buffer's bytes that ride on
     * that SYN (Linux's fastopen_req->copied); whether the SYN did carry the option (syn_fastopen).
     */
    byte[] synFoCookie;
    boolean synFoExp;
    int synDataLength;
    boolean synFastOpen;
    /** A blocking send waits for the handshake (Linux's sk_write_pending): the SYN-ACK's ACK can ride on its data. */
    boolean writePending;

    /*
     * Send sequence space (§3.3.1), Linux's snd_una, snd_nxt, snd_wnd, snd_wl1 and
     * max_window; kept here rather than in an object of its own (which cost every connection
     * a header and a reference); its rules are {@link SendSequence}'s.
     */
    /** ISS: our initial send sequence number (§3.4.1). */
    int iss;
    /** SND.UNA, SND.NXT, and the highest sequence number sent (BSD's snd_max): see {@link SendSequence}. */
    int sndUna, sndNxt, sndMax;
    /** SEG.SEQ of the segment that last set SND.WND (SND.WL1; like Linux, no SND.WL2 is kept). */
    int sndWl1;
    /** SND.WND in bytes, already scaled, and the largest the peer ever offered (Linux's max_window). */
    long sndWnd, sndMaxWnd;
    /**
     * SND.UNA has moved past our SYN: the handshake's half that is ours is done. Remembered,
     * not derived: {@code Seq.gt(sndUna, iss)} stops being true once 2^31 bytes have been
     * acknowledged (sequence numbers compare modulo 2^32), which once stalled every
     * transfer at 2 GiB.
     */
    boolean synAcked;
    // Receive sequence space.
    int irs, rcvNxt, rcvUp;
    /** RCV.NXT + RCV.WND as last advertised: the right edge never moves left (§3.8.6.2.2). */
    int rcvEdge;
    /**
     * The most we are willing to offer yet (Linux's rcv_ssthresh): it starts at what a
     * SYN can carry and grows with each segment received, so the window opens as the
     * peer shows it can fill it rather than all at once.
     */
    long rcvSsthresh;
    /** The largest window we will ever offer (Linux's window_clamp): see {@link ReceiveSpace}. */
    long windowClamp;
    /** Receive-buffer autotuning (Linux's rcvq_space): bytes read in the last measured round trip, and where and when it began. */
    long rcvqSpace, rcvqTime;
    int rcvqSeq;
    boolean urgentPending;

    /** Negotiated options and path limits (§3.7.1, RFC 7323, RFC 2018). */
    final Negotiated agreed = new Negotiated();
    /** ECN's state (RFC 3168), Linux's ecn_flags: {@link Ecn#OK}, QUEUE_CWR, DEMAND_CWR, SEEN. */
    int ecnFlags;
    /** A D-SACK block (RFC 2883) owed to the peer on our next segment: {@link DuplicateSack}. */
    boolean dsackPending;
    int dsackStart, dsackEnd;
    int tsOffset, tsRecent;
    long tsRecentAt;
    int lastAckSent;

    // Queues. The send buffer holds everything from sendHeadSeq on, sent or not.
    final SendBuffer sendBuf;
    final ReceiveBuffer recvBuf;
    int sendHeadSeq;
    boolean finQueued;
    int finSeq;
    boolean peerFinSeen;
    int peerFinSeq;
    boolean readShut, orphan;
    /** The error that ended the connection; reported once to the user, as Linux does. */
    Errno error;
    /** The last ICMP error heard while synchronized (Linux's sk_err_soft): a timeout reports it instead of ETIMEDOUT. */
    Errno softError;
    boolean errorReported;
    /** The time of the event being processed, set by every entry point. */
    long now;
    /** Application notifications owed, delivered when the event is fully processed. */
    int pendingNotices;
    static final int NOTICE_ESTABLISHED = 1, NOTICE_READABLE = 2, NOTICE_WRITABLE = 4, NOTICE_CLOSED = 8;

    final TimerTable timers = new TimerTable();
    int retries;
    /** Zero-window probes sent since the window was last open: the probe interval doubles with each. */
    int persistBackoff;
    /** Zero-window probes the peer has not answered; any acceptable ACK answers them (Linux's icsk_probes_out). */
    int persistProbes;
    int keepaliveProbes;
    long lastReceivedAt;
    /** When the oldest unacknowledged data was sent or last made progress: TCP_USER_TIMEOUT counts from here. */
    long outstandingSince;
    long reportedDeadline = NEVER;

    // Acknowledgment policy.
    boolean ackNow;
    /** In-sequence data was refused for want of buffer: the next ACK offers a zero window (Linux's ICSK_ACK_NOMEM). */
    boolean windowNoMem;
    /*
     * When received data is acknowledged (Linux's icsk_ack): quick-ACK and interactive
     * modes, the ACK timeout. Fields here rather than an object of their own, which cost
     * every connection a header and a reference; their rules are {@link AckPolicy}'s.
     */
    /** ACKs still to be sent at once (icsk_ack.quick). */
    int ackQuick;
    /** The ACK timeout; 0 until the first data arrives (icsk_ack.ato). */
    long ackAto;
    /** When data last arrived (icsk_ack.lrcvtime). */
    long ackLastDataAt;
    /** Interactive mode (Linux's pingpong). */
    boolean ackInteractive;
    /** Received data or a FIN is owed an ACK (ICSK_ACK_SCHEDULED). */
    boolean ackScheduled;
    /** A segment shorter than {@link #ackRcvMss} arrived since the last ACK; twice for {@link #ackPushedTwice} (ICSK_ACK_PUSHED, PUSHED2). */
    boolean ackPushed, ackPushedTwice;
    /** The peer's segment size as we have seen it (icsk_ack.rcv_mss); 0 until first needed. */
    int ackRcvMss;

    long lastOutOfWindowAckAt = Long.MIN_VALUE / 2;

    /** Segments sent again (Linux's TcpRetransSegs, per connection). */
    long retransmittedSegments;
    /** TCP_INFO's counters and clocks. */
    final TcpStats stats = new TcpStats();

    /** What was sent and not yet acknowledged, segment by segment. */
    final Scoreboard board = new Scoreboard();
    /** Loss detection and recovery, and the congestion window it and the algorithm share. */
    final LossRecovery recovery;
    final RttEstimator rtt;
    boolean rttTiming;
    int rttSeq;
    long rttStart;
    /** The send being pushed carries MSG_MORE: its push is corked like TCP_CORK's. */
    boolean moreToCome;
    /**
     * The newest bytes queued came with MSG_MORE, so the segment that ends with them has no
     * PSH: tcp_sendmsg_locked marks PSH on a write's last skb only without MSG_MORE (tcp_mark_push).
     */
    boolean tailWrittenWithMore;
    /** End of the last sub-MSS segment sent (Linux's snd_sml), for Minshall's variant of Nagle. */
    int sndSml;
    /** End of the last segment sent with PSH (Linux's pushed_seq). */
    int pushedSeq;

    /**
     * A TCB in CLOSED, ready for {@link #openActive} or {@link #openPassive}.
     * {@code iss} is the initial send sequence number (RFC 9293 §3.4.1, chosen by the
     * host); {@code tsOffset} randomizes this connection's timestamp clock (RFC 7323 §5.4).
     */
    public Connection(Sysctls cfg, SocketOptions opts, FourTuple tuple, int iss, int tsOffset,
                      SegmentOut out, ConnectionEvents events) {
        this.cfg = cfg;
        this.opts = opts;
        this.out = out;
        this.events = events;
        this.localAddr = tuple.localAddr();
        this.localPort = tuple.localPort();
        this.remoteAddr = tuple.remoteAddr();
        this.remotePort = tuple.remotePort();
        this.iss = iss;
        this.tsOffset = tsOffset;
        this.sendBuf = new SendBuffer(opts.sndBuf);
        this.recvBuf = new ReceiveBuffer(ReceiveSpace.capacity(cfg, opts));
        this.rtt = new RttEstimator(RttEstimator.Bounds.of(cfg));
        agreed.advertisedMss = advertisedMss(cfg, opts, tuple.isV6());
        agreed.pathMtu = cfg.mtu();
        this.recovery = new LossRecovery(this);
        newIncarnation(false);
    }

    /** Charges this connection's buffers to its stack's socket memory (tcp_mem); the stack calls it once, at creation. */
    public void chargeMemoryTo(TcpMemory memory) {
        sendBuf.chargeTo(memory);
        recvBuf.chargeTo(memory);
    }

    /** The MSS our SYN or SYN-ACK announces: the MTU's for the family, or less under TCP_MAXSEG. */
    static int advertisedMss(Sysctls cfg, SocketOptions opts, boolean v6) {
        int mss = cfg.mss(v6);
        return opts.maxSeg > 0 ? Math.min(opts.maxSeg, mss) : mss;
    }

    // ---- OPEN (§3.10.1) ----

    /** Active OPEN: send a SYN and enter SYN_SENT. */
    public void openActive(long now) throws ErrnoException {
        openActive(null, new byte[0], 0, 0, now);
    }

    /**
     * Active OPEN with TCP Fast Open (RFC 7413 §4.1, Linux's tcp_sendmsg_fastopen): the
     * SYN carries {@code offer}'s cookie and as much of the data as fits, or asks for a
     * cookie and carries none (see {@link FastOpenClient}). Returns how many bytes of
     * {@code data} the SYN took; the rest is the caller's to send once established.
     * A null {@code offer} is a plain open.
     */
    public int openActive(FastOpenOffer offer, byte[] data, int offset, int length, long now) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        this.now = now;
        if (state != State.CLOSED) throw new ErrnoException(state == State.SYN_SENT ? Errno.EALREADY : Errno.EISCONN);
        newIncarnation(false);
        sndUna = sndNxt = sndMax = sndSml = pushedSeq = iss;
        sendHeadSeq = iss + 1;
        lastReceivedAt = now;
        // What our SYN offers; the options settled by the SYN-ACK confirm it (ReceiveSpace.synExchanged).
        rcvSsthresh = ReceiveSpace.initialWindow(cfg, opts, agreed.advertisedMss);
        int carried = offer == null ? 0 : FastOpenClient.prepareSyn(this, offer, data, offset, length);
        setState(State.SYN_SENT, Cause.ACTIVE_OPEN);
        afterEvent(now);
        return carried;
    }

    /** Passive OPEN: wait in LISTEN for a SYN. A zero remote address accepts any peer. */
    public void openPassive(long now) throws ErrnoException {
        this.now = now;
        if (state != State.CLOSED) throw new ErrnoException(Errno.EISCONN);
        newIncarnation(true);
        setState(State.LISTEN, Cause.PASSIVE_OPEN);
        afterEvent(now);
    }

    /**
     * Marks this listener's child (still in LISTEN, the SYN not yet processed) as a Fast
     * Open one: the SYN's data is taken and acknowledged by the SYN-ACK, and data may be
     * sent before the handshake completes (RFC 7413 §4.2.2, Linux's tcp_fastopen_create_child).
     */
    public void acceptFastOpen() {
        fastOpenChild = true;
    }

    /** The cookie option for our first SYN-ACK (a cookie the client asked for, or a fresh one for a bad cookie). */
    public void offerFastOpenCookie(byte[] cookie, boolean exp) {
        synAckCookie = cookie;
        synAckCookieExp = exp;
    }

    /** A blocking send is (or no longer is) waiting for the handshake to complete. */
    public void writePending(boolean waiting) { writePending = waiting; }

    /**
     * The blocking send that waited for the handshake returns, after queuing whatever it had
     * left: an ACK still held for its data goes now (see {@link AckPolicy#writerReturned}).
     */
    public void writerReturned(long now) {
        if (!writePending) return;
        this.now = now;
        writePending = false;
        AckPolicy.writerReturned(this);
        afterEvent(now);
    }

    /** Bytes of the send buffer that rode (or ride) on our first SYN (active Fast Open). */
    public int synDataQueued() { return synDataLength; }

    /**
     * A passive open completed by an ACK that returned a valid SYN cookie (RFC 4987
     * §3.6): no TCB existed while our SYN-ACK was out, so this one is filled in as if
     * the SYN (with the options {@code terms} recovered) had arrived in LISTEN and our
     * SYN-ACK with ISS = {@link Connection#iss} had been sent, and then {@code ack} is processed
     * like any segment in SYN_RECEIVED: it completes the handshake, and data or a FIN
     * it carries is delivered. Like Linux's cookie_v4_check, whose child socket is
     * born in SYN_RECV and moved to ESTABLISHED by the same ACK. The caller has checked
     * that {@code ack} acknowledges ISS + 1 and chose ISS = SEG.ACK - 1 accordingly.
     */
    public void openFromCookie(CookieHandshake.Terms terms, Segment ack, long now) throws ErrnoException {
        this.now = now;
        if (state != State.CLOSED) throw new ErrnoException(Errno.EISCONN);
        newIncarnation(true);
        setState(State.LISTEN, Cause.PASSIVE_OPEN);
        Input.cookieAck(this, terms, ack);
        afterEvent(now);
    }

    // ---- SEND (§3.10.2) ----

    /**
     * Queues bytes for sending and returns how many fit in the send buffer (0 when
     * full: wait for {@link ConnectionEvents#writable}). Data queued before the
     * handshake completes goes out once it does.
     */
    public int send(byte[] data, int offset, int length, long now) throws ErrnoException {
        return send(data, offset, length, false, now);
    }

    /**
     * {@link #send}, or with {@code more} send(2)'s MSG_MORE: this call's push is
     * corked, so a partial segment waits for the rest (Linux's tcp_push turns MSG_MORE
     * into TCP_NAGLE_CORK for that push only; later pushes follow the socket's options).
     */
    public int send(byte[] data, int offset, int length, boolean more, long now) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        this.now = now;
        throwPendingSendError();
        switch (state) {
            case CLOSED -> throw new ErrnoException(Errno.ENOTCONN);
            case LISTEN -> throw new ErrnoException(Errno.ENOTCONN);
            default -> {
                if (finQueued) throw new ErrnoException(Errno.EPIPE, "sending side already shut down");
            }
        }
        int accepted = sendBuf.write(data, offset, length);
        if (accepted > 0) {
            moreToCome = more;
            tailWrittenWithMore = more;
            try {
                afterEvent(now);
            } finally {
                moreToCome = false;
            }
        }
        return accepted;
    }

    // ---- RECEIVE (§3.10.3) ----

    /**
     * Copies in-order received bytes; returns the count, 0 if none are ready yet, or
     * -1 at end of stream (the peer's FIN has been read past, or receiving was shut down).
     */
    public int receive(byte[] into, int offset, int length, long now) throws ErrnoException {
        return receive(into, offset, length, false, now);
    }

    /**
     * {@link #receive}, or with {@code peek} recv(2)'s MSG_PEEK: the bytes are copied
     * but stay queued, so the window does not open and the next receive sees them again.
     */
    public int receive(byte[] into, int offset, int length, boolean peek, long now) throws ErrnoException {
        java.util.Objects.checkFromIndexSize(offset, length, into.length);
        this.now = now;
        // tcp_recvmsg copies what is queued before it looks at RCV_SHUTDOWN: shutdown(SHUT_RD) ends the stream only after it.
        int n = peek ? recvBuf.peek(into, offset, length) : recvBuf.read(into, offset, length);
        if (n > 0 && peek) return n;
        if (n > 0) {
            ReceiveSpace.applicationRead(this);
            AckPolicy.afterRead(this);
            Output.windowUpdateIfOpened(this);
            afterEvent(now);
            return n;
        }
        if (readShut) return -1;
        // tcp_recvmsg checks SOCK_DONE (the peer's FIN arrived) before sk_err: after the
        // peer's FIN a reset leaves reads at end of stream, its error for SO_ERROR and sends.
        if (peerFinSeen && Seq.geq(rcvNxt, peerFinSeq + 1)) return -1;
        if (throwPendingReceiveError()) return -1;
        if (state == State.CLOSED) throw new ErrnoException(Errno.ENOTCONN);
        return 0;
    }

    /**
     * TCP_CM_INQ's value, Linux's tcp_inq_hint: RCV.NXT minus what was read, so an unread FIN
     * counts one; once the connection is done (FIN read, or reset) and nothing is left it is
     * still 1, telling the reader to read on until it sees end of stream.
     */
    public int inqHint() {
        int inq = recvBuf.readable() + (peerFinSeen ? 1 : 0);
        return inq == 0 && state == State.CLOSED ? 1 : inq;
    }

    /** Bytes ready for {@link #receive} without waiting. */
    public int available() { return recvBuf.readable(); }

    /** True once every byte before the peer's FIN has been read: the next receive returns -1. */
    public boolean atEndOfStream() {
        return recvBuf.readable() == 0 && receiveShutdown();
    }

    /**
     * Linux's RCV_SHUTDOWN: the peer's FIN has arrived in order (tcp_fin), or shutdown(SHUT_RD)
     * was called, whether or not data before it is still unread (tcp_poll's POLLRDHUP).
     */
    public boolean receiveShutdown() {
        return readShut || peerFinSeen && Seq.geq(rcvNxt, peerFinSeq + 1);
    }

    /** ioctl(2) on the connection's socket: SIOCINQ (FIONREAD), SIOCOUTQ or SIOCOUTQNSD, as Linux's tcp_ioctl answers. */
    public int ioctl(Ioctl request) throws ErrnoException {
        return request.answer(this);
    }

    /**
     * Linux's tcp_stream_memory_free: fewer bytes written but never sent (write_seq - snd_nxt,
     * jtcp's SND.MAX being Linux's snd_nxt) than TCP_NOTSENT_LOWAT. With {@code wake}, as poll
     * and the write-space wakeup ask it, the unsent bytes count double, so a writer is woken
     * only once half the mark has drained and is not woken for every few bytes sent.
     */
    public boolean streamMemoryFree(boolean wake) {
        if (opts.notsentLowat <= 0) return true;
        long notSent = Ioctl.SIOCOUTQNSD.queued(this);
        return (notSent << (wake ? 1 : 0)) < opts.notsentLowat;
    }

    /** Free space in the send buffer. */
    public int sendSpace() { return finQueued || state == State.CLOSED ? 0 : sendBuf.free(); }

    // ---- CLOSE (§3.10.4), shutdown, ABORT (§3.10.5) ----

    /**
     * shutdown(SHUT_WR): queue a FIN behind the pending data; receiving goes on
     * (the half-close). The connection is still the application's.
     */
    public void shutdownOutput(long now) throws ErrnoException {
        this.now = now;
        throwPendingSendError();
        switch (state) {
            case CLOSED, LISTEN -> throw new ErrnoException(Errno.ENOTCONN);
            case SYN_SENT -> {
                setState(State.CLOSED, Cause.CLOSE_BEFORE_SYNCHRONIZED);
                afterEvent(now);
                return;
            }
            default -> { }
        }
        if (finQueued) return;
        queueFin(Cause.SHUTDOWN_FIN_SENT);
        afterEvent(now);
    }

    /**
     * shutdown(SHUT_RD): once the queue is read, receives return end of stream. Like Linux
     * (tcp_shutdown leaves the receive side alone; only tcp_recvmsg tests RCV_SHUTDOWN), data
     * queued before or arriving after is still acknowledged, queued and readable.
     */
    public void shutdownInput(long now) throws ErrnoException {
        this.now = now;
        if (state == State.CLOSED || state == State.LISTEN) throw new ErrnoException(Errno.ENOTCONN);
        readShut = true;
        afterEvent(now);
    }

    /**
     * CLOSE: the application is done with the connection. Like Linux, unread
     * received data turns the close into an abort (RST); otherwise a FIN is queued
     * behind the pending data and the connection lives on as an orphan until the
     * close completes.
     */
    public void close(long now) {
        this.now = now;
        orphan = true;
        switch (state) {
            case CLOSED -> { }
            case LISTEN, SYN_SENT -> setState(State.CLOSED, Cause.CLOSE_BEFORE_SYNCHRONIZED);
            default -> {
                if (recvBuf.readable() > 0) {
                    resetAndClose(Cause.ABORT_UNREAD_DATA);
                } else {
                    readShut = true;
                    if (!finQueued) queueFin(Cause.CLOSE_FIN_SENT);
                    if (TcpMemory.orphanedOutOfResources(this)) resetAndClose(Cause.ABORT_ON_MEMORY);
                    else Timers.armFinWait2IfOrphaned(this);
                }
            }
        }
        if (state == State.CLOSED || state == State.TIME_WAIT) TcpMemory.ended(this);
        afterEvent(now);
    }

    /**
     * An ICMP or ICMPv6 error quoting one of this connection's segments, whose sequence
     * number was {@code quotedSeq} ({@link PathErrors}); {@code fatal} as Linux's
     * icmp_err_convert marks the code. Returns false when the quoted segment is not one in
     * flight (RFC 5927's check), and nothing was done.
     */
    public boolean icmpError(Errno errno, boolean fatal, int quotedSeq, long now) {
        this.now = now;
        if (!PathErrors.inWindow(this, quotedSeq)) return false;
        PathErrors.error(this, errno, fatal);
        afterEvent(now);
        return true;
    }

    /**
     * "Fragmentation needed" or "packet too big" for this connection's path: segments
     * shrink to fit {@code pathMtu} and what is outstanding goes again ({@link PathErrors}).
     */
    public void pathMtuReduced(int pathMtu, long now) {
        this.now = now;
        PathErrors.mtuReduced(this, pathMtu);
        afterEvent(now);
    }

    /** Whether {@code seq} is in [SND.UNA, SND.NXT]: the test an ICMP error's quoted segment must pass (RFC 5927). */
    public boolean sequenceInFlight(int seq) {
        return PathErrors.inWindow(this, seq);
    }

    /** Before the connection opens: the path MTU the host has learned towards its peer. */
    public void initialPathMtu(int pathMtu) {
        agreed.pathMtu = Math.min(agreed.pathMtu, pathMtu);
    }

    /** The path MTU the connection sends for (ss -i's pmtu). */
    public int pathMtu() { return agreed.pathMtu; }

    /** ABORT: send RST where the peer holds state, and delete the TCB (§3.10.5). */
    public void abort(long now) {
        this.now = now;
        orphan = true;
        switch (state) {
            case CLOSED -> { }
            case LISTEN, SYN_SENT, CLOSING, LAST_ACK, TIME_WAIT -> setState(State.CLOSED, Cause.ABORT);
            default -> resetAndClose(Cause.ABORT);
        }
        afterEvent(now);
    }

    /**
     * setsockopt(2) on a live connection: call after changing {@link #options()}.
     * Like Linux's tcp_set_keepalive and TCP_KEEPIDLE, the keepalive timer is armed,
     * re-armed from the last segment heard, or stopped (probes already under way keep
     * their interval); data that TCP_NODELAY now lets go is sent. A TCP_CONGESTION that
     * names another algorithm takes over from the current window
     * (tcp_reinit_congestion_control).
     */
    public void optionsChanged(long now) {
        this.now = now;
        if (opts.congestion != null && opts.congestion != recovery.algorithm()) recovery.switchAlgorithm(opts.congestion);
        if (state.isSynchronized() && state != State.TIME_WAIT) {
            if (!opts.keepAlive) timers.cancel(TimerTable.Kind.KEEPALIVE);
            else if (keepaliveProbes == 0) Timers.armKeepalive(this);
        }
        afterEvent(now);
    }

    /**
     * The host answered for this request (a passive connection in SYN_RECEIVED) and
     * drops it: the TCB is deleted without a segment of its own, as Linux's
     * inet_csk_reqsk_queue_drop forgets a request sock.
     */
    public void dropRequest(Cause cause, long now) {
        this.now = now;
        if (state != State.SYN_RECEIVED || !passive) throw new IllegalStateException("not a request: " + this);
        orphan = true;
        setState(State.CLOSED, cause);
        afterEvent(now);
    }

    /**
     * setsockopt(TCP_QUICKACK): false delays ACKs so they can ride on replies (interactive
     * mode); true acknowledges promptly again, sending an owed ACK once everything has been
     * read. Not sticky, as on Linux: the connection leaves or re-enters interactive mode
     * by itself as traffic goes ({@link AckPolicy}).
     */
    public void setQuickAck(boolean on, long now) {
        this.now = now;
        AckPolicy.setQuickAck(this, on);
        afterEvent(now);
    }

    /** getsockopt(TCP_QUICKACK): 1 unless the connection is in interactive (pingpong) mode. */
    public boolean quickAck() {
        return !ackInteractive;
    }

    // ---- SEGMENT ARRIVES (§3.10.7) and timeouts (§3.10.8) ----

    /**
     * Processes one arriving segment addressed to this connection. Never throws for
     * any segment content. Returns false only when TIME_WAIT accepted a SYN as the
     * start of a new incarnation (RFC 6191) and closed itself: the owner should hand
     * that SYN to a listener.
     */
    public boolean segmentArrives(Segment seg, long now) {
        this.now = now;
        State before = state;
        int una = sndUna, nxt = rcvNxt;
        boolean taken = Input.segmentArrives(this, seg);
        stats.arrived(this, seg, before, una, nxt, agreed.advertisedMss);
        afterEvent(now);
        return taken;
    }

    /** Fires every timer whose deadline is at or before {@code now}. */
    public void onTimer(long now) {
        this.now = now;
        Timers.fire(this);
        afterEvent(now);
    }

    /** The earliest timer deadline, or {@link Long#MAX_VALUE} when no timer runs. */
    public long nextDeadline() {
        return timers.next();
    }

    // ---- hand-off to a host's TIME_WAIT table ----

    /**
     * The host takes TIME_WAIT over (Linux's tcp_time_wait): returns what TIME_WAIT
     * still needs and stops this TCB's timers, so nothing but the application's own
     * reference keeps the connection alive. The state stays TIME_WAIT; the host no
     * longer feeds this object segments or timer events. As Linux's socket is done
     * (TCP_CLOSE) once its tcp_timewait_sock takes over, the application is told the
     * connection is closed now rather than 2MSL later.
     */
    public TimeWaitFacts handOffTimeWait() {
        if (state != State.TIME_WAIT) throw new IllegalStateException("not in TIME_WAIT: " + state);
        long wnd = rcvWnd();
        int window = (int) Math.min(wnd >> (agreed.wscaleOk ? agreed.rcvWscale : 0), 0xFFFF);
        TimeWaitFacts facts = new TimeWaitFacts(sndMax, rcvNxt, window, agreed.tsOk, tsRecent, tsRecentAt, tsOffset, rtt.rto());
        timers.cancelAll();
        sendBuf.trim();
        events.closed(this);
        return facts;
    }

    /**
     * Seeds TS.Recent from the TIME_WAIT entry whose 4-tuple this new connection reuses
     * (Linux's tcp_twsk_unique, under tcp_tw_reuse). Call right after {@link #openActive}.
     */
    public void seedTimestamps(int tsRecent, long tsRecentAt) {
        this.tsRecent = tsRecent;
        this.tsRecentAt = tsRecentAt;
    }

    /** The initial send sequence number (ISS) this connection was created with. */
    public int iss() { return iss; }

    // ---- STATUS (§3.10.6) ----

    public State state() { return state; }

    public FourTuple tuple() { return new FourTuple(localAddr, localPort, remoteAddr, remotePort); }

    /** The tuple's parts without allocating one: what a host demultiplexes by. */
    public IpAddress localAddress() { return localAddr; }

    public int localPort() { return localPort; }

    public IpAddress remoteAddress() { return remoteAddr; }

    public int remotePort() { return remotePort; }

    public boolean isOrphan() { return orphan; }

    /** The error that ended the connection, or null. */
    public Errno error() { return error; }

    /**
     * The error that ended the connection while no call has reported it yet: Linux's
     * sk_err, which poll shows as POLLERR and the next receive or send returns.
     */
    public Errno pendingError() { return errorReported ? null : error; }

    /**
     * getsockopt(SO_ERROR), as Linux's sock_error: the pending error, which reading
     * clears, so later calls meet only its aftermath (EPIPE on send, end of stream).
     */
    public Errno takeError() {
        Errno e = pendingError();
        if (e != null) errorReported = true;
        return e;
    }

    public SocketOptions options() { return opts = opts.writable(); }

    public ConnectionStatus status(long now) {
        return StatusReport.of(this, now);
    }

    /** getsockopt(TCP_INFO): Linux's struct tcp_info for this connection at {@code now}. */
    public TcpInfo tcpInfo(long now) {
        return TcpInfo.of(this, now);
    }

    // ---- shared by Input, Output and Timers ----

    /**
     * OPEN on a CLOSED TCB, or SYN_RECEIVED falling back to LISTEN: RFC 9293 has a new TCB
     * made, so nothing of an earlier incarnation (its FINs, queues, error, options, timers)
     * may leak into the next one.
     */
    void newIncarnation(boolean passiveOpen) {
        passive = passiveOpen;
        synCookie = false;
        requestAcked = false;
        timers.cancelAll();
        SendSequence.reset(this);
        irs = rcvNxt = rcvUp = rcvEdge = 0;
        urgentPending = false;
        agreed.reset(ReceiveSpace.initialWscale(cfg, opts));
        ecnFlags = 0;
        dsackPending = false;
        tsRecent = 0;
        tsRecentAt = 0;
        lastAckSent = 0;
        sendBuf.consume(sendBuf.size());
        sendBuf.trim();
        recvBuf.clear();
        // Options set since the last incarnation (SO_RCVBUF / SO_SNDBUF before connect or listen) size this one.
        recvBuf.setCapacity(ReceiveSpace.capacity(cfg, opts));
        sendBuf.setCapacity(opts.sndBuf);
        finQueued = peerFinSeen = readShut = orphan = false;
        finSeq = peerFinSeq = 0;
        error = null;
        errorReported = false;
        retries = persistBackoff = persistProbes = keepaliveProbes = 0;
        ackNow = false;
        AckPolicy.reset(this);
        lastOutOfWindowAckAt = Long.MIN_VALUE / 2;
        rcvSsthresh = windowClamp = rcvqSpace = rcvqTime = 0;
        rcvqSeq = 0;
        pendingNotices = 0;
        board.clear();
        recovery.reset();
        rtt.reset();
        rttTiming = false;
        stats.reset(now, Math.min(agreed.advertisedMss, Tcp.DEFAULT_MSS));
        fastOpenChild = synData = synAckCookieExp = synFoExp = synFastOpen = writePending = false;
        tailWrittenWithMore = false;
        synAckCookie = synFoCookie = null;
        synDataLength = 0;
    }

    void queueFin(Cause cause) {
        finQueued = true;
        finSeq = sendHeadSeq + sendBuf.size();
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> setState(State.FIN_WAIT_1, cause);
            case CLOSE_WAIT -> setState(State.LAST_ACK, cause);
            default -> { }
        }
    }

    /**
     * Sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> as Linux's tcp_send_active_reset does
     * ({@link Output#sendActiveReset}), and deletes the TCB (ABORT, abort-on-close).
     */
    void resetAndClose(Cause cause) {
        Output.sendActiveReset(this);
        setState(State.CLOSED, cause);
    }

    /** What a timeout reports: the last soft ICMP error, else ETIMEDOUT (Linux's tcp_write_err). */
    Errno timeoutError() {
        return softError != null ? softError : Errno.ETIMEDOUT;
    }

    /** Ends the connection with an error the user will see on the next call. */
    void fail(Errno errno, Cause cause) {
        error = errno;
        setState(State.CLOSED, cause);
        events.failed(this, errno);
    }

    void setState(State to, Cause cause) {
        State from = state;
        state = to;
        if (to == State.CLOSED || to == State.TIME_WAIT) TcpMemory.ended(this);
        switch (to) {
            case ESTABLISHED -> {
                ReceiveSpace.established(this);
                SendSpace.expand(this);
                Timers.armKeepalive(this);
                notice(NOTICE_ESTABLISHED);
            }
            case FIN_WAIT_2 -> Timers.armFinWait2IfOrphaned(this);
            case TIME_WAIT -> Timers.enterTimeWait(this);
            case CLOSED -> {
                timers.cancelAll();
                sendBuf.trim();
                notice(NOTICE_CLOSED);
            }
            default -> { }
        }
        events.transition(this, from, to, cause);
    }

    /** Our SYN is acknowledged ({@link Connection#synAcked}, remembered rather than derived). */
    boolean ourSynAcked() { return synAcked; }

    /**
     * The handshake's go-back-N: send again from SND.UNA (the SYN or SYN-ACK, then what
     * followed it), forgetting the records of what was sent after it.
     */
    void resendFromUna() {
        sndNxt = sndUna;
        board.clear();
    }

    boolean ourFinAcked() { return finQueued && Seq.gt(sndUna, finSeq); }

    /** The window we advertise, RCV.WND: up to the last advertised right edge. */
    long rcvWnd() { return Math.max(0, rcvEdge - rcvNxt); }

    int tsNow(long now) { return (int) (now / 1_000_000L) + tsOffset; }

    /** Like Linux, the error that ended a connection is reported once; later sends get EPIPE. */
    private void throwPendingSendError() throws ErrnoException {
        if (error == null) return;
        if (errorReported) throw new ErrnoException(Errno.EPIPE);
        errorReported = true;
        throw new ErrnoException(error);
    }

    /** A receive sees the error once, then end of stream. */
    private boolean throwPendingReceiveError() throws ErrnoException {
        if (error == null) return false;
        if (errorReported) return true;
        errorReported = true;
        throw new ErrnoException(error);
    }

    /**
     * Every entry point ends here: flush what can be sent, report the next deadline,
     * then tell the application what changed. A handler that calls back in (to
     * send a reply, to close) runs a nested event of its own.
     */
    private void afterEvent(long now) {
        if (state != State.CLOSED && state != State.LISTEN) Output.push(this);
        long deadline = nextDeadline();
        if (deadline != reportedDeadline) {
            reportedDeadline = deadline;
            events.deadlineChanged(this, deadline);
        }
        while (pendingNotices != 0) {
            int notices = pendingNotices;
            pendingNotices = 0;
            if ((notices & NOTICE_ESTABLISHED) != 0) events.established(this);
            if ((notices & NOTICE_READABLE) != 0) events.readable(this);
            if ((notices & NOTICE_WRITABLE) != 0) events.writable(this);
            if ((notices & NOTICE_CLOSED) != 0) events.closed(this);
        }
    }

    void notice(int what) {
        pendingNotices |= what;
    }

    /** The time of the event being processed (or last processed): what observers stamp their records with. */
    public long now() {
        return now;
    }

    @Override
    public String toString() {
        return tuple() + " " + state;
    }
}
