package io.jtcp.bench;

import io.jtcp.config.Sysctls;
import io.jtcp.host.SocketHandler;
import io.jtcp.host.Stack;
import io.jtcp.host.TimeWaitProbe;
import io.jtcp.api.ErrnoException;
import io.jtcp.tcp.SocketOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory benchmarks, each in a JVM of its own with a fixed heap so that "heap after
 * GC" weighs only what the benchmark holds. The child prints one {@code ROUND} line per
 * round on stdout; progress goes to the shared stderr.
 */
public final class Forked {
    private Forked() {}

    static Result timeWait(Harness.Options o) throws Exception {
        long n = o.count > 0 ? o.count : 10_000_000L;
        int linux = slabObjectSize("tw_sock_TCP", 256);
        Result r = new Result("timewait", "heap bytes per TIME_WAIT entry, " + n + " entries held (forked JVM, -Xmx2g)",
                "B/entry", "Linux tw_sock_TCP slab object size (/proc/slabinfo, this kernel)", false,
                "<= 64 B/entry, 10M entries in a 2 GiB heap", 64, false);
        List<double[]> rows = fork("timewait", "-Xmx2g", o.rounds, n);
        double[] ins = new double[rows.size()], look = new double[rows.size()], arr = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            r.add(rows.get(i)[0], linux);
            ins[i] = rows.get(i)[1];
            look[i] = rows.get(i)[2];
            arr[i] = rows.get(i)[3];
        }
        r.extra.put("insert_per_s_median", Result.median(ins));
        r.extra.put("lookup_per_s_median", Result.median(look));
        r.extra.put("array_bytes_per_entry", Result.median(arr));
        // IPv6 entries live in a wide table (the remote address's 128 bits in two more longs): their own budget, 80 B.
        List<double[]> v6 = fork("timewait6", "-Xmx2g", o.rounds, n);
        double[] heap6 = new double[v6.size()], arr6 = new double[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            heap6[i] = v6.get(i)[0];
            arr6[i] = v6.get(i)[3];
        }
        r.extra.put("ipv6_bytes_per_entry_median", Result.median(heap6));
        r.extra.put("ipv6_array_bytes_per_entry", Result.median(arr6));
        r.extra.put("ipv6_target", "<= 80 B/entry of arrays: IPv4's 64 and the 16-byte address");
        r.extra.put("heap", "-Xmx2g");
        return r;
    }

    static Result idle(Harness.Options o) throws Exception {
        long n = o.count > 0 ? o.count : 1_000_000L;
        int linux = slabObjectSize("TCP", 2432);
        Result r = new Result("idle", "heap bytes per established idle connection with keepalive armed, " + n
                + " in one stack with as many TIME_WAIT entries besides (forked JVM, -Xmx8g)", "B/conn",
                "Linux TCP slab object (struct tcp_sock, no buffers) from /proc/slabinfo, this kernel", false,
                "<= 1 KiB/connection including buffers", 1024, false);
        // Every connection outlives the open, so survivors go straight to the old generation
        // instead of being copied between survivor spaces first. A young generation of 2 GiB
        // (ParallelGC's default is a third; 512 MiB left the old one 1.5 GiB more) makes the
        // open's collections few: each one scans the cards the demux table and the timer
        // lists dirtied all over the old generation, so their count, not the bytes promoted,
        // is what grows with the table. 2M opened in 5.1 s instead of 9.7 s with 512 MiB
        // (young pauses 2.4 s instead of 4.6); 10M (in a 14 GiB heap) in 62 s, 31 s of it
        // young pauses, where a 768 MiB young generation took 135 s, 88 of them pauses.
        List<double[]> rows = fork("idle", "-Xmx8g -Xmn2g -XX:MaxTenuringThreshold=0", o.rounds, n);
        double[] open = new double[rows.size()], timer = new double[rows.size()], tw = new double[rows.size()],
                heap = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            r.add(rows.get(i)[0], linux);
            open[i] = rows.get(i)[1];
            timer[i] = rows.get(i)[2];
            tw[i] = rows.get(i)[3];
            heap[i] = rows.get(i)[4];
        }
        r.extra.put("open_all_seconds_median", Result.median(open));
        r.extra.put("timer_ms_per_virtual_second_median", Result.median(timer));
        r.extra.put("time_wait_entries_besides", n);
        r.extra.put("time_wait_bytes_per_entry_median", Result.median(tw));
        r.extra.put("heap_gib_after_gc_median", Result.median(heap));
        return r;
    }

    /**
     * Runs {@code what} in a JVM with {@code heap}'s flags. Compact object headers (JEP 519,
     * a product flag since JDK 25) make every object's header 8 bytes instead of 12: a
     * deployment holding millions of small objects would set it, so the memory figures do.
     */
    private static List<double[]> fork(String what, String heap, int rounds, long n) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(heap.split(" ")));
        cmd.addAll(List.of("-XX:+UseParallelGC", "-XX:+UseCompactObjectHeaders", "-cp", System.getProperty("java.class.path"),
                Forked.class.getName(), what, String.valueOf(rounds), String.valueOf(n)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("ROUND ")) continue;
                String[] f = line.substring(6).trim().split(" ");
                double[] row = new double[f.length];
                for (int i = 0; i < f.length; i++) row[i] = Double.parseDouble(f[i]);
                rows.add(row);
            }
        }
        if (p.waitFor() != 0 || rows.isEmpty()) throw new IllegalStateException("the forked " + what + " benchmark failed");
        return rows;
    }

    /** The object size of a kernel slab cache, or {@code fallback} if /proc/slabinfo cannot be read. */
    static int slabObjectSize(String cache, int fallback) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/slabinfo"))) {
                String[] f = l.trim().split("\\s+");
                if (f.length > 3 && f[0].equals(cache)) return Integer.parseInt(f[3]);
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the documented figure
        }
        return fallback;
    }

    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[1]);
        long n = Long.parseLong(args[2]);
        switch (args[0]) {
            case "timewait", "timewait6" -> {
                for (int i = 0; i < rounds; i++) {
                    TimeWaitProbe probe = new TimeWaitProbe(args[0].equals("timewait6"));
                    long h0 = heapAfterGc();
                    Progress.show("timewait", "round " + (i + 1) + "/" + rounds + ": inserting " + n);
                    long t0 = System.nanoTime();
                    probe.fill(n);
                    long t1 = System.nanoTime();
                    long h1 = heapAfterGc();
                    Progress.show("timewait", "round " + (i + 1) + "/" + rounds + ": " + n + " lookups");
                    long t2 = System.nanoTime();
                    long found = probe.lookups(n, n, i);
                    long t3 = System.nanoTime();
                    if (found != n || probe.size() != n) throw new IllegalStateException("lost entries");
                    System.out.printf(java.util.Locale.ROOT, "ROUND %.3f %.0f %.0f %.3f%n", (double) (h1 - h0) / n,
                            n * 1e9 / (t1 - t0), n * 1e9 / (t3 - t2), (double) probe.arrayBytes() / n);
                    System.out.flush();
                    probe.clear();
                }
            }
            case "idle" -> {
                for (int i = 0; i < rounds; i++) idleRound(i, rounds, n);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static final SocketHandler NOTHING = new SocketHandler() {};

    /**
     * Opens {@code n} connections to one server stack in virtual time from a stateless
     * {@link HandshakePeer} (distinct client addresses and ports; the server's TCBs are the
     * only ones in the heap, during the open too), weighs them, then puts {@code n}
     * TIME_WAIT entries into the same stack's table besides and weighs those; then runs the
     * server's timers through 10 virtual seconds with both held.
     */
    private static void idleRound(int round, int rounds, long n) throws ErrnoException {
        long[] clock = {1_000_000_000L};
        int port = 80;
        Sysctls cfg = Sysctls.linux().set("tcp_max_tw_buckets", String.valueOf(Math.max(n, 262_144)));
        HandshakePeer peer = new HandshakePeer(Churn.SERVER.v4(), port, 0x0a010000);
        long h0 = heapAfterGc();
        Stack server = new Stack("server", Churn.SERVER, cfg, peer, round, clock[0]);
        server.setChecksumOffload(true);
        SocketOptions keep = new SocketOptions(cfg);
        keep.keepAlive = true;
        server.listen(port, 4096, keep, (l, now) -> {
            while (l.accept((c, t) -> NOTHING) != null) {
                // accepted: the connection stays established and idle
            }
        });
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            if (!peer.open(server, i, clock[0])) throw new IllegalStateException("no SYN-ACK for connection " + i);
            if ((i & 0xffff) == 0) {
                clock[0] += 1_000_000;
                server.advance(clock[0]);
                Progress.show("idle", "round " + (round + 1) + "/" + rounds + ": opened " + i + "/" + n);
            }
        }
        long t1 = System.nanoTime();
        if (server.connectionCount() != n) throw new IllegalStateException("server has " + server.connectionCount());
        long h1 = heapAfterGc();
        Progress.show("idle", "round " + (round + 1) + "/" + rounds + ": " + n + " TIME_WAIT entries besides");
        TimeWaitProbe.fill(server, port, n, clock[0]);
        if (server.timeWaitCount() != n) throw new IllegalStateException("TIME_WAIT holds " + server.timeWaitCount());
        long h2 = heapAfterGc();
        Progress.show("idle", "round " + (round + 1) + "/" + rounds + ": timers through 10 virtual seconds");
        long t2 = System.nanoTime();
        for (int ms = 0; ms < 10_000; ms++) {
            clock[0] += 1_000_000;
            server.advance(clock[0]);
        }
        long t3 = System.nanoTime();
        if (server.connectionCount() != n || server.timeWaitCount() != n) throw new IllegalStateException("lost connections");
        System.out.printf(java.util.Locale.ROOT, "ROUND %.1f %.3f %.3f %.1f %.3f%n", (double) (h1 - h0) / n, (t1 - t0) / 1e9,
                (t3 - t2) / 1e6 / 10, (double) (h2 - h1) / n, h2 / (double) (1L << 30));
        System.out.flush();
    }

}
