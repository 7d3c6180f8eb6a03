package io.jtcp.packetdrill;

import static io.jtcp.packetdrill.SocketFeatureSymbols.*;

import io.jtcp.packetdrill.CallResult.Done;
import io.jtcp.tcp.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * epoll(7) over the sockets of {@link SocketCalls}, as Linux's fs/eventpoll.c does it: an
 * item's readiness is the socket's poll mask (tcp_poll) filtered by its events, EPOLLERR
 * and EPOLLHUP always included. A level-triggered item is reported whenever that is non-zero;
 * an edge-triggered one (EPOLLET) only after a wakeup put it on the ready list
 * (ep_poll_callback): the socket's data_ready, write_space or state_change. ep_send_events
 * takes an ET item off the list when it reports it, so a second epoll_wait without a new
 * wakeup finds nothing even though the socket is still readable. EPOLLONESHOT disarms an
 * item once reported, until EPOLL_CTL_MOD.
 *
 * <p>The wakeups are inferred between calls from what the socket shows: more received
 * (RCV.NXT moved: data or a FIN), a new state or error, or writability coming back.
 */
final class Epoll {
    /** What the socket looked like at the last look: a difference means a wakeup happened since. */
    private record Snapshot(long rcvNxt, Object state, Object error, boolean writable) {}

    private static final class Item {
        long events;
        final Expr data;
        boolean ready;
        boolean disarmed;
        Snapshot seen;

        Item(long events, Expr data) {
            this.events = events;
            this.data = data;
        }
    }

    private final SocketCalls sockets;
    private final TreeMap<Integer, Map<Integer, Item>> instances = new TreeMap<>();

    Epoll(SocketCalls sockets) {
        this.sockets = sockets;
    }

    boolean owns(int fd) {
        return instances.containsKey(fd);
    }

    /** close(2) of an epoll descriptor; false when {@code fd} is not one. */
    boolean close(int fd) {
        return instances.remove(fd) != null;
    }

    CallResult call(Syscall call, long now) throws UnsupportedFeature {
        return switch (call.name()) {
            case "epoll_create" -> Args.integer(call.arg(0), 1) <= 0 ? CallResult.fail("EINVAL") : create(call);
            case "epoll_create1" -> (Args.integer(call.arg(0), 0) & ~0x80000L) != 0 ? CallResult.fail("EINVAL") : create(call);
            case "epoll_ctl" -> ctl(call);
            case "epoll_wait", "epoll_pwait" -> await(call, now);
            default -> throw new UnsupportedFeature("system call " + call.name());
        };
    }

    private Done create(Syscall call) {
        int fd = sockets.claimFd(call);
        if (fd < 0) return CallResult.checked(-fd, "duplicate fd " + -fd + " in script");
        instances.put(fd, new LinkedHashMap<>());
        return CallResult.ok(fd);
    }

    /** ep_ctl: ADD (EEXIST if present), MOD and DEL (ENOENT if absent); a socket must be open (EBADF). */
    private Done ctl(Syscall call) throws UnsupportedFeature {
        Map<Integer, Item> items = instances.get((int) Args.integer(call.arg(0), -1));
        int op = (int) Args.integer(call.arg(1), -1);
        int fd = (int) Args.integer(call.arg(2), -1);
        if (items == null || !sockets.isSocket(fd)) return CallResult.fail(items == null && !sockets.isSocket(fd) ? "EBADF"
                : items == null ? "EINVAL" : owns(fd) ? "EINVAL" : "EBADF");
        Expr ev = call.arg(3);
        long events = ev instanceof Expr.Struct st ? Args.integer(st.get("events"), 0) : 0;
        Expr data = ev instanceof Expr.Struct st ? dataOf(st) : null;
        Item item = items.get(fd);
        switch (op) {
            case EPOLL_CTL_ADD -> {
                if (item != null) return CallResult.fail("EEXIST");
                items.put(fd, arm(new Item(events, data), fd));
            }
            case EPOLL_CTL_MOD -> {
                if (item == null) return CallResult.fail("ENOENT");
                Item fresh = new Item(events, data);
                items.put(fd, arm(fresh, fd));
            }
            case EPOLL_CTL_DEL -> {
                if (item == null) return CallResult.fail("ENOENT");
                items.remove(fd);
            }
            default -> { return CallResult.fail("EINVAL"); }
        }
        return CallResult.ok(0);
    }

    /** ep_insert and ep_modify poll the socket once: an item already ready goes on the ready list. */
    private Item arm(Item item, int fd) {
        item.seen = snapshot(fd);
        item.ready = mask(item, fd) != 0;
        return item;
    }

    private CallResult await(Syscall call, long now) throws UnsupportedFeature {
        Map<Integer, Item> items = instances.get((int) Args.integer(call.arg(0), -1));
        if (items == null) return CallResult.fail(sockets.isSocket((int) Args.integer(call.arg(0), -1)) ? "EINVAL" : "EBADF");
        int max = (int) Args.integer(call.arg(2), 1);
        if (max <= 0) return CallResult.fail("EINVAL");
        long timeoutMs = Args.integer(call.arg(3), 0);
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : now + timeoutMs * 1_000_000;
        List<Expr> expected = call.arg(1) instanceof Expr.Array a ? a.items()
                : call.arg(1) instanceof Expr.Struct st ? List.of(st) : List.of();
        CallResult.Retry attempt = t -> {
            Done d = sendEvents(items, max, expected);
            return d.value() > 0 || t >= deadline ? d : null;
        };
        Done first = attempt.attempt(now);
        return first != null ? first : new CallResult.Blocked(attempt, deadline);
    }

    /** ep_send_events: report up to {@code max} ready items; ET and ONESHOT ones leave the ready list. */
    private Done sendEvents(Map<Integer, Item> items, int max, List<Expr> expected) throws UnsupportedFeature {
        List<String> mismatches = new ArrayList<>();
        int n = 0;
        for (Map.Entry<Integer, Item> e : items.entrySet()) {
            int fd = e.getKey();
            Item item = e.getValue();
            Snapshot now = snapshot(fd);
            if (!now.equals(item.seen)) item.ready = true; // a wakeup since the last look
            item.seen = now;
            if (n == max || item.disarmed || !item.ready) continue;
            long revents = mask(item, fd);
            boolean edge = (item.events & EPOLLET) != 0;
            if (revents == 0 || edge) item.ready = false;
            if ((item.events & EPOLLONESHOT) != 0 && revents != 0) item.disarmed = true;
            if (revents == 0) continue;
            if (n < expected.size()) check(expected.get(n), revents, item.data, mismatches);
            n++;
        }
        return CallResult.checked(n, mismatches.isEmpty() ? null : String.join("; ", mismatches));
    }

    private long mask(Item item, int fd) {
        return sockets.readiness(fd) & (item.events | EPOLLERR | EPOLLHUP);
    }

    private Snapshot snapshot(int fd) {
        Connection c = sockets.connection(fd);
        if (c == null) return new Snapshot(sockets.readiness(fd), null, null, false);
        return new Snapshot(c.status(c.now()).rcvNxt(), c.state(), c.error(), (sockets.readiness(fd) & EPOLLOUT) != 0);
    }

    private static Expr dataOf(Expr.Struct st) {
        for (String name : List.of("fd", "ptr", "u32", "u64", "data")) if (st.get(name) != null) return st.get(name);
        return null;
    }

    private static void check(Expr want, long revents, Expr data, List<String> mismatches) throws UnsupportedFeature {
        if (!(want instanceof Expr.Struct st)) return;
        Expr events = st.get("events");
        if (events != null && !(events instanceof Expr.Ellipsis) && Args.integer(events, revents) != revents) {
            mismatches.add("epoll_event.events: expected: " + Args.integer(events, 0) + " actual: " + revents);
        }
        Expr wantData = dataOf(st);
        if (wantData != null && data != null && !(wantData instanceof Expr.Ellipsis)
                && !Objects.equals(Args.integer(wantData, 0), Args.integer(data, 0))) {
            mismatches.add("epoll_event.data: expected: " + wantData.render() + " actual: " + data.render());
        }
    }
}
