package io.troupe.benchmarks.scale;

import io.troupe.benchmarks.report.JsonReport;
import io.troupe.benchmarks.scenarios.PeerProcess;
import io.troupe.benchmarks.scenarios.ScratchAeronDir;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * {@code memory}: what an idle Troupe node costs. Child JVMs, each an actor system with its Troupe
 * node joined and nothing else ({@link IdleNodeMain}), share one fresh Aeron directory; the first
 * to take the directory's lock launches the media driver (Troupe's default attach-or-launch) and
 * hosts it for the others.
 *
 * <pre>
 *   harness ──starts──▶ node-1 .. node-N ──────────┬── one Aeron dir in /dev/shm; one of them
 *                                                   │   launched the driver and hosts it
 *           ──starts──▶ akka (no remoting: floor)   │
 *   after all joined: gc in each, settle, then VmRSS of each (/proc/PID/status) and du of the dir
 * </pre>
 *
 * Node counts grow in one run (1, then 4, then 8: nodes are added, every node waits until it sees
 * all others), and each step is measured after two {@code System.gc()} in every child and a settle.
 * Reported per step: the host's RSS, the other nodes' median RSS, and the directory's allocated
 * bytes (memory tmpfs really holds) and apparent bytes (file lengths; larger where Aeron's files
 * are sparse), in total and divided by the node count. A bare Akka 2.6.21 actor system in a child
 * JVM with the same flags is the floor.
 *
 * <p>Thread safety: {@link #run} from one thread; the result is immutable.
 */
public final class MemoryFootprint {
    /** The scenario name in tables and JSON. */
    public static final String SCENARIO = "memory";

    /** Reported, not measured here: printed beside Troupe's /dev/shm figure. */
    public static final String ARTERY_REPORTED =
            "Akka users report ~192 MB of shared memory per JVM with Artery's Aeron (aeron-udp) defaults";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final double MIB = 1024.0 * 1024.0;

    private MemoryFootprint() {}

    /**
     * How much a run does.
     *
     * @param nodeCounts the node counts measured, ascending (nodes are added from one to the next)
     * @param settle how long the children idle after their collections before they are measured
     */
    public record Sizes(List<Integer> nodeCounts, Duration settle) {
        public static final Sizes DEFAULT = new Sizes(List.of(1, 4, 8), Duration.ofSeconds(3));
        public static final Sizes QUICK = new Sizes(List.of(1, 4), Duration.ofMillis(500));
        public static final Sizes SMOKE = new Sizes(List.of(2), Duration.ofMillis(200));

        public Sizes {
            nodeCounts = List.copyOf(nodeCounts);
            if (nodeCounts.isEmpty() || nodeCounts.get(0) < 1) {
                throw new IllegalArgumentException(
                        "nodeCounts must start at 1 or more, was " + nodeCounts);
            }
            for (int i = 1; i < nodeCounts.size(); i++) {
                if (nodeCounts.get(i) <= nodeCounts.get(i - 1)) {
                    throw new IllegalArgumentException(
                            "nodeCounts must be strictly ascending (nodes are only added), was "
                                    + nodeCounts);
                }
            }
            if (settle.isNegative()) {
                throw new IllegalArgumentException("settle must be >= 0, was " + settle);
            }
        }
    }

    /**
     * One node count.
     *
     * @param host the node that hosts the driver
     * @param others the other nodes, in start order
     * @param shm the shared Aeron directory
     */
    public record Step(int nodes, ProcessMemory host, List<ProcessMemory> others, ShmUsage shm) {
        public Step {
            others = List.copyOf(others);
        }

        /** The median RSS of the nodes that do not host the driver; the host's when it is alone. */
        public long otherRssMedianBytes() {
            if (others.isEmpty()) {
                return host.rssBytes();
            }
            List<Long> rss = others.stream().map(ProcessMemory::rssBytes).sorted().toList();
            int n = rss.size();
            return n % 2 == 1 ? rss.get(n / 2) : (rss.get(n / 2 - 1) + rss.get(n / 2)) / 2;
        }

        public long shmAllocatedPerNodeBytes() {
            return shm.allocatedBytes() / nodes;
        }

        public long shmApparentPerNodeBytes() {
            return shm.apparentBytes() / nodes;
        }
    }

    /**
     * What a run measured.
     *
     * @param jvmFlags the flags every child JVM had
     * @param akka the bare Akka actor system's memory (the floor)
     */
    public record Result(
            List<String> jvmFlags, Duration settle, ProcessMemory akka, List<Step> steps) {
        public Result {
            jvmFlags = List.copyOf(jvmFlags);
            steps = List.copyOf(steps);
        }

        /** A small text table of every figure, with the flags and the reported Artery figure. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "Memory of idle nodes (child JVMs: %s; measured %d ms after two System.gc())%n",
                            String.join(" ", jvmFlags),
                            settle.toMillis()));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-34s %9s %9s %9s %9s%n",
                            "process",
                            "RSS MiB",
                            "anon",
                            "file",
                            "shmem"));
            row(sb, "akka 2.6.21, no remoting (floor)", akka);
            for (Step s : steps) {
                row(sb, "troupe, " + s.nodes() + " node(s): driver host", s.host());
                if (!s.others().isEmpty()) {
                    ProcessMemory median =
                            s.others().stream()
                                    .sorted(Comparator.comparingLong(ProcessMemory::rssBytes))
                                    .toList()
                                    .get((s.others().size() - 1) / 2);
                    row(sb, "troupe, " + s.nodes() + " nodes: other (median)", median);
                }
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  (RSS counts the /dev/shm pages a process touched as shmem, in every process that maps them)%n"));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%n/dev/shm of the shared Aeron directory (allocated = memory tmpfs holds; apparent = file lengths)%n"));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-6s %13s %13s %14s %14s %11s %11s%n",
                            "nodes",
                            "alloc MiB",
                            "apparent MiB",
                            "alloc/node",
                            "apparent/node",
                            "cnc.dat",
                            "log buffers"));
            for (Step s : steps) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  %-6d %13.1f %13.1f %14.1f %14.1f %11s %11s%n",
                                s.nodes(),
                                s.shm().allocatedBytes() / MIB,
                                s.shm().apparentBytes() / MIB,
                                s.shmAllocatedPerNodeBytes() / MIB,
                                s.shmApparentPerNodeBytes() / MIB,
                                String.format(
                                        Locale.ROOT,
                                        "%.1f/%.1f",
                                        s.shm().allocatedBytesOf("cnc.dat") / MIB,
                                        s.shm().apparentBytesOf("cnc.dat") / MIB),
                                String.format(
                                        Locale.ROOT,
                                        "%d: %.1f/%.1f",
                                        s.shm().countOf(".logbuffer"),
                                        s.shm().allocatedBytesOf(".logbuffer") / MIB,
                                        s.shm().apparentBytesOf(".logbuffer") / MIB)));
            }
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  (cnc.dat and log buffers: allocated/apparent MiB. Idle logs are sparse; a log's pages are"
                                    + " allocated as messages pass through it, so after 3 terms of traffic on every stream allocated reaches apparent)%n"));
            sb.append(
                    String.format(Locale.ROOT, "  Reported, not measured: %s.%n", ARTERY_REPORTED));
            return sb.toString();
        }

        private static void row(StringBuilder sb, String label, ProcessMemory m) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-34s %9.1f %9.1f %9.1f %9.1f%n",
                            label,
                            m.rssBytes() / MIB,
                            m.anonBytes() / MIB,
                            m.fileBytes() / MIB,
                            m.shmemBytes() / MIB));
        }

        /**
         * One JSON object for the floor, one per node count, one for the reported Artery figure.
         */
        public void addTo(JsonReport report) {
            Map<String, Object> floor = report.add(SCENARIO, "akka", 0);
            floor.put("nodes", 1);
            memory(floor, "", akka);
            floor.put("jvm_flags", jvmFlags);
            for (Step s : steps) {
                Map<String, Object> m = report.add(SCENARIO, "troupe", 0);
                m.put("nodes", s.nodes());
                memory(m, "host_", s.host());
                m.put("other_rss_median_bytes", s.otherRssMedianBytes());
                m.put("shm_allocated_bytes", s.shm().allocatedBytes());
                m.put("shm_apparent_bytes", s.shm().apparentBytes());
                m.put("shm_allocated_per_node_bytes", s.shmAllocatedPerNodeBytes());
                m.put("shm_apparent_per_node_bytes", s.shmApparentPerNodeBytes());
                m.put("cnc_allocated_bytes", s.shm().allocatedBytesOf("cnc.dat"));
                m.put("log_buffers", s.shm().countOf(".logbuffer"));
                m.put("jvm_flags", jvmFlags);
            }
            Map<String, Object> artery = report.add(SCENARIO, "akka-artery-aeron-udp", 0);
            artery.put("shm_per_jvm_bytes", 192L * 1024 * 1024);
            artery.put("measured", false);
            artery.put("source", ARTERY_REPORTED);
        }

        private static void memory(Map<String, Object> m, String prefix, ProcessMemory p) {
            m.put(prefix + "rss_bytes", p.rssBytes());
            m.put(prefix + "rss_anon_bytes", p.anonBytes());
            m.put(prefix + "rss_file_bytes", p.fileBytes());
            m.put(prefix + "rss_shmem_bytes", p.shmemBytes());
        }
    }

    /**
     * Runs the measure: Linux only (it reads {@code /proc} and runs {@code du}).
     *
     * @param jvmOptions options for every child JVM beyond the Aeron flag (empty: the JVM's
     *     defaults)
     * @param progress receives a line per step, for the console
     */
    public static Result run(Sizes sizes, List<String> jvmOptions, Consumer<String> progress) {
        List<PeerProcess> children = new ArrayList<>();
        PeerProcess host = null;
        try (ScratchAeronDir dir = ScratchAeronDir.forScale()) {
            try {
                PeerProcess akka =
                        PeerProcess.start(
                                "akka",
                                jvmOptions,
                                IdleNodeMain.class,
                                IdleNodeMain.LINE_PREFIX,
                                List.of("akka"),
                                false);
                children.add(akka);
                List<PeerProcess> nodes = new ArrayList<>();
                List<Step> steps = new ArrayList<>();
                ProcessMemory akkaMemory = null;
                for (int count : sizes.nodeCounts()) {
                    // The new nodes start together and each waits until it sees all the others; in
                    // the first step
                    // whichever wins the directory lock launches the driver (attach-or-launch) and
                    // hosts it.
                    List<PeerProcess> added = new ArrayList<>();
                    for (int i = nodes.size() + 1; i <= count; i++) {
                        PeerProcess c =
                                PeerProcess.start(
                                        "node-" + i,
                                        jvmOptions,
                                        IdleNodeMain.class,
                                        IdleNodeMain.LINE_PREFIX,
                                        List.of(
                                                "troupe",
                                                dir.path().toString(),
                                                "node-" + i,
                                                Integer.toString(count - 1)),
                                        false);
                        children.add(c);
                        added.add(c);
                    }
                    for (PeerProcess c : added) {
                        if (c.awaitLine(IdleNodeMain.READY, START_TIMEOUT).endsWith("host true")) {
                            if (host != null) {
                                throw new IllegalStateException(
                                        c
                                                + " and "
                                                + host
                                                + " both say they host the driver in "
                                                + dir);
                            }
                            host = c;
                        }
                    }
                    if (host == null) {
                        throw new IllegalStateException(
                                "None of " + added + " says it hosts the driver in " + dir);
                    }
                    for (PeerProcess c : nodes) {
                        c.send("peers " + (count - 1));
                    }
                    for (PeerProcess c : nodes) {
                        c.awaitLine(IdleNodeMain.PEERS, START_TIMEOUT);
                    }
                    nodes.addAll(added);
                    List<PeerProcess> measured = new ArrayList<>(nodes);
                    if (akkaMemory == null) {
                        akka.awaitLine(IdleNodeMain.READY, START_TIMEOUT);
                        measured.add(akka);
                    }
                    measured.forEach(c -> c.send("gc"));
                    for (PeerProcess c : measured) {
                        c.awaitLine(IdleNodeMain.GC, ANSWER_TIMEOUT);
                    }
                    LockSupport.parkNanos(sizes.settle().toNanos());
                    if (akkaMemory == null) {
                        akkaMemory = ProcessMemory.of(akka.pid());
                    }
                    ProcessMemory hostMemory = ProcessMemory.of(host.pid());
                    List<ProcessMemory> others = new ArrayList<>();
                    for (PeerProcess c : nodes) {
                        if (c != host) {
                            others.add(ProcessMemory.of(c.pid()));
                        }
                    }
                    Step step = new Step(count, hostMemory, others, ShmUsage.of(dir.path()));
                    steps.add(step);
                    progress.accept(
                            String.format(
                                    Locale.ROOT,
                                    "%s %d node(s): host RSS %.0f MiB, others %.0f MiB; /dev/shm %.1f MiB allocated"
                                            + " (%.1f apparent)",
                                    SCENARIO,
                                    count,
                                    hostMemory.rssBytes() / MIB,
                                    step.otherRssMedianBytes() / MIB,
                                    step.shm().allocatedBytes() / MIB,
                                    step.shm().apparentBytes() / MIB));
                }
                return new Result(akka.jvmFlags(), sizes.settle(), akkaMemory, steps);
            } finally {
                closeAll(children, host);
            }
        }
    }

    /**
     * Closes the children in parallel, the driver's host last (the others would lose their
     * transport).
     */
    private static void closeAll(List<PeerProcess> children, PeerProcess host) {
        List<Thread> closers = new ArrayList<>();
        for (PeerProcess c : children) {
            if (c != host) {
                Thread t = new Thread(c::close, "scale-close-" + c.pid());
                t.start();
                closers.add(t);
            }
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (host != null) {
            host.close();
        }
    }
}
