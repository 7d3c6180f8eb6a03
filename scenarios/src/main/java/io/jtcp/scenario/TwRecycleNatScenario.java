package io.jtcp.scenario;

import io.jtcp.wire.IpAddress;
import io.jtcp.config.Sysctls;
import io.jtcp.host.Stack;
import io.jtcp.link.sim.Nat;
import io.jtcp.observe.TraceEvent;
import io.jtcp.tcp.Cause;
import io.jtcp.api.Errno;
import io.jtcp.tcp.State;
import io.jtcp.wire.DropReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 001's advice, net.ipv4.tcp_tw_recycle = 1, played out as Linux up to 4.11 did
 * it. Phase 1, what it buys: a server that closes first keeps its TIME_WAIT for 3.5
 * RTO instead of 60 s. Phase 2, why Linux 4.12 removed it: two laptops behind one NAT
 * reach the server from one address but with two timestamp clocks, and the server's
 * per-host PAWS check drops the SYNs of whichever laptop's clock is behind, silently
 * (PAWSPassive), until its remembered stamp is 60 s old or the connect times out. The
 * same three connections to a server without tcp_tw_recycle all go through at once.
 */
final class TwRecycleNatScenario implements Scenario {
    static final String NAT_ADDRESS = "203.0.113.7", LAPTOP_A = "192.168.1.10", LAPTOP_B = "192.168.1.11",
            PLAIN_SERVER = "10.0.0.3";
    private static final long PAUSE = World.ms(100), ATTEMPT_LIMIT = World.seconds(300);

    /** One connection a laptop tried to make in phase 2, as the run recorded it. */
    record Attempt(String client, String server, long start, long end, boolean connected, Errno error, long pawsDrops) {}

    final List<Attempt> attempts = new ArrayList<>();

    @Override public String name() { return "tw-recycle-nat"; }

    @Override public String title() { return "tcp_tw_recycle: TIME_WAIT of 3.5 RTO, and SYNs dropped from clients behind one NAT"; }

    @Override
    public Explanation run(Run run) throws Exception {
        attempts.clear();
        Sysctls plain = run.options.sysctls().set("tcp_tw_recycle", "0");
        Sysctls recycling = run.options.sysctls().set("tcp_tw_recycle", "1");
        World w = run.world(run.options.sysctls(), recycling);
        w.net.addNat(new Nat(NAT_ADDRESS, 1024, 65535, LAPTOP_A, LAPTOP_B));
        long seed = run.options.seed();
        Stack plainServer = Stories.host(run, w, "server-plain", PLAIN_SERVER, plain, seed + 1);
        // The laptops retry SYNs as Linux did in tcp_tw_recycle's day: tcp_syn_linear_timeouts came with 6.17.
        Sysctls laptops = run.options.sysctls().set("tcp_syn_linear_timeouts", "0");
        Stack laptopA = Stories.host(run, w, "laptop-a", LAPTOP_A, laptops, seed + 2);
        Stack laptopB = Stories.host(run, w, "laptop-b", LAPTOP_B, laptops, seed + 3);
        for (Stack s : List.of(w.server, plainServer)) {
            s.listen(Conversation.PORT, (c, now) -> new App(w.net).sends(Conversation.REPLY, App.AfterSending.CLOSE));
        }

        Stories.call(run, w, "client", World.CLIENT_ADDRESS, null, "phase 1 of 2",
                "connect, read the reply, close: with server (tcp_tw_recycle=1) and server-plain (tcp_tw_recycle=0); each server closes first");
        for (IpAddress server : List.of(World.SERVER, IpAddress.parse(PLAIN_SERVER))) {
            w.client.connect(server, Conversation.PORT, new App(w.net).closesOnEof(0), w.net.now());
        }
        w.net.runWhile(() -> w.server.timeWaitCount() + w.server.connectionCount() > 0 || plainServer.timeWaitCount() == 0,
                World.seconds(10));
        Stories.show(run, w, "server's TIME_WAIT is already over; server-plain's has most of 60 s to go", w.server, plainServer);
        w.net.runWhile(() -> Stories.open(plainServer) + Stories.open(w.client) > 0, w.net.now() + World.seconds(120));
        long recycledTw = timeWaitLength(w, "server"), plainTw = timeWaitLength(w, "server-plain");

        for (Stack server : List.of(w.server, plainServer)) {
            Stories.call(run, w, server.name(), server == w.server ? World.SERVER_ADDRESS : PLAIN_SERVER, null, "phase 2 of 2",
                    "laptop-a, laptop-b, laptop-a in turn, all behind NAT " + NAT_ADDRESS + ", to " + server.name()
                            + " (tcp_tw_recycle=" + (server.sysctls().tcpTwRecycle() ? 1 : 0) + ")");
            for (Stack laptop : List.of(laptopA, laptopB, laptopA)) attempt(run, w, laptop, server);
        }
        w.net.runWhile(() -> List.of(w.server, plainServer, laptopA, laptopB).stream().mapToInt(Stories::open).sum() > 0,
                w.net.now() + World.seconds(600));
        return explain(w, recycledTw, plainTw);
    }

    /** One laptop connects, reads the reply and closes after the server; the next attempt waits for it to end. */
    private void attempt(Run run, World w, Stack laptop, Stack server) throws Exception {
        w.net.runFor(PAUSE);
        long start = w.net.now();
        long dropsBefore = server.counters().pawsPassive;
        App app = new App(w.net).closesOnEof(0);
        laptop.connect(server.address(), Conversation.PORT, app, start);
        w.net.runWhile(() -> !app.closedNotice, start + ATTEMPT_LIMIT);
        boolean connected = app.conn != null;
        attempts.add(new Attempt(laptop.name(), server.name(), start, w.net.now(), connected, app.error,
                server.counters().pawsPassive - dropsBefore));
        if (!connected) {
            Stories.call(run, w, laptop.name(), null, server.address().withPort(Conversation.PORT),
                    "connect", "-1 " + app.error);
        }
    }

    /** From the host's entering TIME_WAIT to its expiry, as the trace recorded them. */
    static long timeWaitLength(World w, String host) {
        long entered = -1;
        for (TraceEvent.StateEvent e : w.stateEvents(host)) {
            if (e.to() == State.TIME_WAIT && entered < 0) entered = e.timeNanos();
            if (entered >= 0 && e.cause() != null && e.cause().equals(Cause.TIME_WAIT_EXPIRED.toString())) {
                return e.timeNanos() - entered;
            }
        }
        return -1;
    }

    private Explanation explain(World w, long recycledTw, long plainTw) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("Phase 1: server, with tcp_tw_recycle=1, kept its TIME_WAIT for %.3f s: 3.5 times its RTO of"
                + " %.0f ms ((rto << 2) - (rto >> 1), Linux 4.11's tcp_time_wait); server-plain kept its for %.0f s (2MSL)."
                + " That is what seed 001 was after: far fewer TIME_WAIT entries on a busy server that closes first.",
                recycledTw / 1e9, recycledTw / 3.5 / 1e6, plainTw / 1e9));
        for (String server : List.of("server", "server-plain")) {
            List<String> told = new ArrayList<>();
            for (Attempt a : attempts) {
                if (!a.server().equals(server)) continue;
                String fate = a.connected()
                        ? (a.pawsDrops() == 0 ? "connected at once"
                                : String.format("connected only after %.1f s, when a SYN retransmission found the stamp 60 s old", (a.end() - a.start()) / 1e9))
                        : String.format("gave up after %.1f s: connect() failed with %s", (a.end() - a.start()) / 1e9, a.error());
                told.add(a.client() + " " + fate + (a.pawsDrops() > 0 ? " (" + a.pawsDrops() + " SYNs dropped without a word, PAWSPassive)" : ""));
            }
            lines.add("Phase 2, " + server + ": " + String.join("; ", told) + ".");
        }
        long drops = w.drops("server").stream().filter(d -> d.reason().equals(DropReason.PAWS_PASSIVE.name())).count();
        lines.add(drops == 0
                ? "No SYN was dropped: this seed's two laptop clocks happened to agree to within a millisecond."
                : "Why: the server remembers one timestamp per peer address, taken when a connection from it entered TIME_WAIT,"
                        + " and for 60 s drops any SYN from that address whose TSval is behind it (tcp_peer_is_proven)."
                        + " Behind NAT " + NAT_ADDRESS + " the two laptops are one address with two unrelated timestamp clocks,"
                        + " so the laptop whose clock is behind looked like an old duplicate: " + drops + " SYNs dropped, no RST,"
                        + " no error, only a connect() that hangs. Linux removed tcp_tw_recycle in 4.12 for this.");
        return new Explanation(List.copyOf(lines));
    }
}
