package io.jtcp.host;

import io.jtcp.config.Sysctls;
import io.jtcp.tcp.Cause;
import io.jtcp.tcp.CookieHandshake;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.Resets;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import io.jtcp.wire.FourTuple;
import io.jtcp.wire.Segment;

/**
 * What a stack does with a segment for a listening port that has no connection of
 * its own: the SYN queue, SYN cookies and the accept queue's overflow, in the order
 * of Linux's tcp_conn_request. A file of its own as TIME_WAIT's path is
 * ({@link TimeWait}); it works on the stack's current segment.
 */
final class ListenerInput {
    private static final System.Logger LOG = System.getLogger(ListenerInput.class.getName());
    private final Stack stack;
    private final Segment rx;
    private final StackCounters counters;
    private final SynCookies cookies;
    private final FastOpenServer fastOpen;
    private final Segment rstReply = new Segment();
    private final Segment cookieReply = new Segment();

    ListenerInput(Stack stack, SynCookies cookies, FastOpenServer fastOpen) {
        this.stack = stack;
        this.rx = stack.rx;
        this.counters = stack.counters();
        this.cookies = cookies;
        this.fastOpen = fastOpen;
    }

    /** The stack's sysctls as they are now: a listener's SYN handling follows a change at once, as Linux's does. */
    private Sysctls cfg() { return stack.sysctls(); }

    /**
     * A segment for a listening port with no connection of its own (RFC 9293 §3.10.7.2):
     * a SYN asks for a connection ({@link #synArrives}); an ACK may return a SYN cookie
     * ({@link #cookieAckArrives}), unless it also carries a FIN; everything else gets the LISTEN rules: a RST is
     * ignored, an ACK is answered with a RST, anything else is dropped. Those answers
     * need no TCB, so none is made for them.
     */
    void segmentArrives(Listening listener) {
        if (rx.syn() && !rx.ackFlag() && !rx.rst()) {
            // Linux's tcp_rcv_state_process drops a SYN+FIN in LISTEN before tcp_conn_request sees it.
            if (rx.fin()) stack.countArrivingDrop(DropReason.LISTEN_SYN_FIN);
            else synArrives(listener);
            return;
        }
        if (rx.rst()) {
            stack.countArrivingDrop(DropReason.LISTEN_RST);
        } else if (rx.ackFlag()) {
            if (!rx.syn() && cookieAckArrives(listener)) return;
            stack.countArrivingDrop(DropReason.LISTEN_ACK);
            if (Resets.replyTo(rx, rstReply)) stack.transmit(rstReply, stack.now);
        } else {
            stack.countArrivingDrop(DropReason.UNEXPECTED_SEGMENT);
        }
    }

    /**
     * A SYN for a listener, decided in the order of Linux's tcp_conn_request: if the SYN
     * queue is full (tcp_max_syn_backlog), or tcp_syncookies = 2, the SYN gets a cookie
     * when tcp_syncookies allows and is dropped otherwise (TCPReqQFullDoCookies /
     * TCPReqQFullDrop, ListenDrops); then a full accept queue drops it, cookie or not
     * (ListenOverflows and ListenDrops, as sk_acceptq_is_full does); otherwise a
     * connection enters SYN_RECEIVED and the SYN queue. A dropped SYN is left to the
     * client's retransmission.
     *
     * <p>Linux since 4.4 bounds its request queue by the listen backlog and uses
     * tcp_max_syn_backlog only to keep the last quarter of it for proven peers when
     * cookies are off; jtcp keeps the documented meaning of tcp_max_syn_backlog as the
     * SYN queue's bound ("maximal number of remembered connection requests"), and has
     * no per-destination metrics for the proven-peer rule.
     */
    private void synArrives(Listening listener) {
        boolean wantCookie = false;
        if (cfg().tcpSyncookies() == 2 || listener.synQueueLength >= cfg().tcpMaxSynBacklog()) {
            // tcp_syn_flood_action
            if (cfg().tcpSyncookies() != 2 && !listener.synFloodWarned) warnOfFlood(listener);
            if (cfg().tcpSyncookies() == 0) {
                counters.reqQFullDrop++;
                counters.listenDrops++;
                stack.countArrivingDrop(DropReason.LISTEN_OVERFLOW);
                return;
            }
            counters.reqQFullDoCookies++;
            wantCookie = true;
        }
        if (listener.acceptQueueFull()) {
            overflow();
            return;
        }
        if (wantCookie) {
            sendCookie(listener);
            return;
        }
        if (failsPerHostPaws()) return;
        Endpoint ep = stack.register(FourTuple.ofArriving(rx), null, listener, listener.options.share());
        try {
            ep.conn.openPassive(stack.now);
        } catch (ErrnoException impossible) {
            throw new IllegalStateException("a new connection is CLOSED", impossible);
        }
        FastOpenServer.Decision tfo = fastOpen.decide(cfg(), listener, rx);
        if (tfo.child()) ep.conn.acceptFastOpen();
        if (tfo.cookie() != null) ep.conn.offerFastOpenCookie(tfo.cookie(), tfo.exp());
        ep.conn.segmentArrives(rx, stack.now);
        if (ep.conn.state() == State.SYN_RECEIVED && tfo.child()) {
            // tcp_conn_request puts a Fast Open child straight into the accept queue: accept() returns it
            // before the handshake completes, with the SYN's data readable.
            ep.fastOpenOf = listener;
            listener.fastOpenQueueLength++;
            stack.counters().passiveOpens++;  // tcp_create_openreq_child counts it now; it leaves the listener below
            stack.enqueueForAccept(ep);
        } else if (ep.conn.state() == State.SYN_RECEIVED) {
            ep.inSynQueue = true;
            listener.synQueueLength++;
        } else if (ep.conn.state() == State.LISTEN) {
            stack.discard(ep);
        }
    }

    /**
     * Linux's tcp_syn_flood_action logs once per listener (not at all with tcp_syncookies = 2,
     * where a cookie for every SYN is the plan rather than a sign of attack).
     */
    private void warnOfFlood(Listening listener) {
        listener.synFloodWarned = true;
        LOG.log(System.Logger.Level.INFO, () -> "TCP: Possible SYN flooding on port " + listener.address.withPort(listener.port) + ". "
                + (cfg().tcpSyncookies() == 0 ? "Dropping request" : "Sending cookies") + ".  Check SNMP counters.");
    }

    /**
     * tcp_tw_recycle's check of a SYN that will get a SYN queue entry (Linux 4.11's
     * tcp_conn_request, neither a cookie nor handed over by TIME_WAIT): a SYN from a
     * host whose remembered timestamp is under 60 s old and ahead of the SYN's is an
     * old duplicate by this rule, dropped without an answer (PAWSPassive, ListenDrops).
     * Hosts behind one NAT share an address but not a clock, which is why 4.12 removed it.
     */
    private boolean failsPerHostPaws() {
        if (!cfg().tcpTwRecycle() || stack.synFromTimeWait()
                || !stack.peerTimestamps().rejects(rx.srcAddr, rx.hasTimestamps, rx.tsVal, stack.now)) {
            return false;
        }
        counters.pawsPassive++;
        counters.listenDrops++;
        stack.countArrivingDrop(DropReason.PAWS_PASSIVE);
        return true;
    }

    /**
     * Answers the SYN in the stack's current segment statelessly (RFC 4987 §3.6): a SYN-ACK whose ISS is
     * the cookie and whose TSval carries the options the cookie has no room for; nothing
     * is remembered (Linux's cookie_v4_init_sequence, tcp_synq_overflow).
     */
    private void sendCookie(Listening listener) {
        int peerMss = rx.mss >= 0 ? rx.mss : SynCookies.MSS_TABLE[0];
        int cookie = cookies.make(rx.dstAddr, rx.dstPort, rx.srcAddr, rx.srcPort, rx.seq, SynCookies.mssIndex(peerMss), stack.now);
        // The timestamp offset is a hash of its own; a SYN without timestamps (a flood's, often) needs none.
        int tsOffset = rx.hasTimestamps ? stack.isn.tsOffset(rx.dstAddr, rx.srcAddr) : 0;
        CookieHandshake.synAck(cfg(), listener.options, rx, cookie, tsOffset, stack.now, cookieReply);
        listener.lastCookieAt = stack.now;
        counters.syncookiesSent++;
        stack.transmit(cookieReply, stack.now);
    }

    /**
     * An ACK to a listener, with no connection for its 4-tuple: if the listener sent
     * cookies lately and SEG.ACK - 1 is a valid cookie for this 4-tuple and SEG.SEQ - 1,
     * the connection is rebuilt in ESTABLISHED from it and queued for accept (Linux's
     * cookie_v4_check). Returns false when the ACK should get the LISTEN state's RST:
     * not a cookie (SyncookiesFailed when one was possible). A valid cookie that finds
     * the accept queue full is dropped without a word (ListenOverflows), as Linux does:
     * nothing remains to retransmit a SYN-ACK, so the client learns it when its data
     * goes unacknowledged.
     */
    private boolean cookieAckArrives(Listening listener) {
        if (cfg().tcpSyncookies() == 0 || !listener.sentCookiesRecently(stack.now)) return false;
        int mssIndex = cookies.check(rx.ack - 1, rx.dstAddr, rx.dstPort, rx.srcAddr, rx.srcPort, rx.seq - 1, stack.now);
        if (mssIndex < 0) {
            counters.syncookiesFailed++;
            return false;
        }
        counters.syncookiesRecv++;
        CookieHandshake.Terms terms = CookieHandshake.termsFromAck(cfg(), rx, SynCookies.MSS_TABLE[mssIndex]);
        if (terms == null) return false;
        if (listener.acceptQueueFull()) {
            overflow();
            return true;
        }
        Endpoint ep = stack.register(FourTuple.ofArriving(rx), null, listener, listener.options.share(), rx.ack - 1);
        try {
            ep.conn.openFromCookie(terms, rx, stack.now);
        } catch (ErrnoException impossible) {
            throw new IllegalStateException("a new connection is CLOSED", impossible);
        }
        return true;
    }

    /**
     * Linux's answer to an accept queue that is full when a handshake completes
     * (tcp_check_req, listen_overflow): the final ACK is counted (ListenOverflows,
     * ListenDrops) and then, with tcp_abort_on_overflow = 0, dropped: the connection
     * stays in SYN_RECEIVED and its SYN-ACK retransmission gives the client another
     * chance once the application has accepted. With tcp_abort_on_overflow = 1 the
     * ACK is answered with a RST and the request is dropped (embryonic_reset,
     * EmbryonicRsts).
     */
    boolean handshakeIntoFullQueue(Endpoint ep) {
        if (!ep.inSynQueue || !rx.ackFlag() || rx.rst() || rx.syn() || !ep.listener.acceptQueueFull()) return false;
        overflow();
        if (cfg().tcpAbortOnOverflow()) {
            if (Resets.replyTo(rx, rstReply)) stack.transmit(rstReply, stack.now);
            counters.embryonicRsts++;
            ep.conn.dropRequest(Cause.ACCEPT_QUEUE_OVERFLOW, stack.now);
        }
        return true;
    }

    /**
     * A request (a child in SYN_RECEIVED, Fast Open's aside) whose listener was closed: Linux
     * leaves it alone at close(2) (inet_csk_listen_stop resets only the accept queue) and
     * drops it, without a SYN-ACK, RST or counter, the next time anything touches it: its
     * timer (reqsk_timer_handler, when the listener is no longer in LISTEN and no reuseport
     * sibling takes it) or a segment for it (tcp_v4_rcv, which then looks the segment up
     * again, finding a new listener, TIME_WAIT or nobody). Returns whether it was dropped.
     */
    boolean dropOrphanedRequest(Endpoint ep) {
        if (!ep.inSynQueue || !ep.listener.closed) return false;
        ep.conn.dropRequest(Cause.CLOSE_BEFORE_SYNCHRONIZED, stack.now);
        return true;
    }

    /** A SYN or handshake that found the accept queue full: ListenOverflows and ListenDrops, as Linux counts them. */
    private void overflow() {
        counters.listenOverflows++;
        counters.listenDrops++;
        stack.countArrivingDrop(DropReason.LISTEN_OVERFLOW);
    }
}
