package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.report.Charts;
import io.troupe.benchmarks.report.JsonReport;
import io.troupe.benchmarks.report.RemoteTable;
import io.troupe.benchmarks.scale.MemoryFootprint;
import io.troupe.benchmarks.scale.PiScaling;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code remote}: the multi-process harness. Runs each cross-process scenario ({@link
 * OneToOneThroughput}, {@link OneToOneRoundTrip}, {@link FanIn}, {@link FanOut}) against every
 * chosen system (Troupe three times, raw Aeron, naive Kryo over Aeron, Akka Artery, and Troupe
 * across two loopback "machines" over Artery) in this one invocation, fresh peer JVMs and Aeron
 * directory per run, then the failure and scale measures ({@link KillToTerminated}, {@link
 * PoolLaunch}), and prints one table with Troupe's ratio to each system, the targets from the
 * issues, the JVM, flags, idle strategies and how each system was set up.
 *
 * <p>Sizes: an explicit option wins, then {@code --smoke} or {@code --quick}, then the defaults
 * ({@link RunSizes}).
 *
 * <p>Thread safety: a command object, run once on the main thread.
 */
@Command(
        name = "remote",
        mixinStandardHelpOptions = true,
        description = {
            "Troupe across processes beside raw Aeron IPC, naive Kryo over Aeron and Akka's Artery TCP remoting, and Troupe"
                    + " across two loopback machines over Artery (troupe-cluster), in one run: one-way throughput, round-trip latency,"
                    + " fan-in (1, 2, 4 sender processes into one receiver) and fan-out"
                    + " (one sender, round-robin to 2, 4 receiver processes), SIGKILL-to-Terminated and pool launch times, the memory of"
                    + " idle nodes (RSS, /dev/shm for 1, 4, 8 nodes) and the pi example's speed-up on 1 and 2 worker processes.",
            "Default sizes take several minutes; --quick under two minutes on an idle 2-core machine."
        })
public final class RemoteCommand implements Callable<Integer> {
    /** The scenario names {@code --scenarios} accepts, in run order. */
    static final List<String> SCENARIOS =
            List.of(
                    RemoteTable.ONE_WAY,
                    RemoteTable.ROUND_TRIP,
                    RemoteTable.FAN_IN,
                    RemoteTable.FAN_OUT,
                    RemoteTable.KILL,
                    RemoteTable.LAUNCH,
                    MemoryFootprint.SCENARIO,
                    PiScaling.SCENARIO);

    @Spec CommandSpec spec;

    @Option(
            names = "--quick",
            description =
                    "Small sizes: everything in about a minute and a half (figures are rough).")
    boolean quick;

    @Option(
            names = "--smoke",
            description =
                    "The smallest sizes that still exercise every path (for the test); figures mean nothing.")
    boolean smoke;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Also write the figures as JSON, one object per measurement.")
    Path json;

    @Option(
            names = "--messages",
            paramLabel = "N",
            description = "One-way messages per measured round (default 2,000,000; quick 200,000).")
    Long messages;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description = "Measured one-way rounds; msgs/s is their median (default 5; quick 2).")
    Integer rounds;

    @Option(
            names = "--round-trips",
            paramLabel = "N",
            description = "Measured round trips (default 200,000; quick 20,000).")
    Integer roundTrips;

    @Option(
            names = "--warmup",
            paramLabel = "MSGS,TRIPS",
            split = ",",
            description =
                    "Warm-up one-way messages and round trips (default 2000000,50000; quick 100000,5000).")
    List<Long> warmup;

    @Option(
            names = "--kills",
            paramLabel = "N",
            description = "SIGKILL-to-Terminated samples (default 10; quick 5).")
    Integer kills;

    @Option(
            names = "--fan-messages",
            paramLabel = "N",
            description =
                    "Messages per fan-in or fan-out round, all processes together (default 1,000,000; quick 200,000).")
    Long fanMessages;

    @Option(
            names = "--fan-in",
            paramLabel = "N",
            split = ",",
            description = "Fan-in sender process counts (default 1,2,4).")
    List<Integer> fanInSenders;

    @Option(
            names = "--fan-out",
            paramLabel = "N",
            split = ",",
            description = "Fan-out receiver process counts (default 2,4; quick 2).")
    List<Integer> fanOutReceivers;

    @Option(
            names = "--artery-divisor",
            paramLabel = "N",
            description =
                    "akka-artery and troupe-cluster (both over Artery) send N times fewer messages and round trips than the others"
                            + " (default 10; quick 20): they are that much slower; their figures are rates and percentiles and stay comparable.")
    Integer arteryDivisor;

    @Option(
            names = "--fan-low-latency",
            negatable = true,
            defaultValue = Option.NULL_VALUE,
            description =
                    "Run fan-in and fan-out on troupe-low-latency, troupe-event-loop and troupe-cluster too (default yes; quick no: the"
                            + " spinning threads crowd 2 cores, each troupe-cluster peer is a JVM joining an Akka Cluster, and the quick run stays short).")
    Boolean fanLowLatency;

    @Option(
            names = "--systems",
            paramLabel = "SYSTEM",
            split = ",",
            description =
                    "Systems to run, comma-separated (default all): troupe, troupe-low-latency, troupe-event-loop, aeron-raw, kryo-aeron, akka-artery,"
                            + " troupe-cluster.")
    List<String> systems;

    @Option(
            names = "--scenarios",
            paramLabel = "SCENARIO",
            split = ",",
            description =
                    "Scenarios to run, comma-separated (default all): one-to-one-throughput, one-to-one-round-trip,"
                            + " fan-in, fan-out, kill-to-terminated, pool-launch, memory, scaling.")
    List<String> scenarios;

    @Option(
            names = "--peer-jvm-arg",
            paramLabel = "ARG",
            description =
                    "Extra flag for every peer JVM, e.g. -XX:StartFlightRecording=filename=peer.jfr; repeatable.")
    List<String> peerJvmArgs = new ArrayList<>();

    @Option(
            names = "--charts",
            paramLabel = "DIR",
            description =
                    "Also draw PNG charts into DIR: latency percentiles, one-way throughput and fan-in per system.")
    Path charts;

    @Option(names = "--echo-peers", description = "Copy the peers' output to stderr.")
    boolean echoPeers;

    @Option(
            names = "--timer-slack-ns",
            paramLabel = "NS",
            description =
                    "Experiment: set Linux's timer slack of the harness's and the peers' threads (default: the OS's, 50 µs),"
                            + " e.g. 1 to see what parking costs the backoff idle strategy.")
    Long timerSlackNs;

    @Override
    public Integer call() throws Exception {
        RunSizes sizes = sizes();
        List<BenchSystem> chosenSystems = chosenSystems();
        List<String> chosenScenarios = chosenScenarios();
        PrintWriter out = spec.commandLine().getOut();
        List<String> peerArgs = new ArrayList<>(peerJvmArgs);
        if (timerSlackNs != null) {
            TimerSlack.setForCurrentThread(
                    timerSlackNs); // before any thread of the run starts: they inherit it
            peerArgs.add("-D" + TimerSlack.PROPERTY + "=" + timerSlackNs);
        }
        Run run = new Run(sizes, peerArgs, echoPeers, out);
        RemoteTable table = new RemoteTable();
        String loadBefore = loadAverage();
        out.println(
                "Troupe remote harness: "
                        + chosenScenarios
                        + " on "
                        + chosenSystems
                        + " ("
                        + describe(sizes)
                        + ")");
        out.flush();

        boolean oneWay = chosenScenarios.contains(RemoteTable.ONE_WAY);
        boolean roundTrip = chosenScenarios.contains(RemoteTable.ROUND_TRIP);
        boolean fanIn = chosenScenarios.contains(RemoteTable.FAN_IN);
        boolean fanOut = chosenScenarios.contains(RemoteTable.FAN_OUT);
        List<BenchSystem> aeronSystems =
                chosenSystems.stream().filter(s -> !s.overArtery()).toList();
        for (BenchSystem system : aeronSystems) {
            if (oneWay) {
                table.add(OneToOneThroughput.run(system, run));
            }
        }
        for (BenchSystem system : aeronSystems) {
            if (roundTrip) {
                table.add(OneToOneRoundTrip.run(system, run));
            }
        }
        for (BenchSystem system : aeronSystems) {
            if (!system.isTroupeVariant() || sizes.fanLowLatency()) {
                FanOut.runBoth(system, run, fanIn, fanOut, table);
            }
        }
        if (chosenSystems.contains(BenchSystem.AKKA_ARTERY)
                && (oneWay || roundTrip || fanIn || fanOut)) {
            // Last, on one group: Akka's actor system and peer JVMs start once for all its
            // scenarios (they start slowly).
            try (FanGroup artery = FanGroup.start(BenchSystem.AKKA_ARTERY, run)) {
                if (oneWay) {
                    table.add(OneToOneThroughput.runArtery(artery, run));
                }
                if (roundTrip) {
                    table.add(OneToOneRoundTrip.runArtery(artery, run));
                }
                FanOut.runBoth(artery, run, fanIn, fanOut, table);
            }
        }
        boolean clusterFan = (fanIn || fanOut) && sizes.fanLowLatency();
        if (chosenSystems.contains(BenchSystem.TROUPE_CLUSTER)
                && (oneWay || roundTrip || clusterFan)) {
            // Right after akka-artery, on one group as it: the same scenarios over the same
            // Artery TCP, with Troupe's codec instead of Jackson CBOR.
            try (FanGroup cluster = FanGroup.start(BenchSystem.TROUPE_CLUSTER, run)) {
                if (oneWay) {
                    table.add(OneToOneThroughput.runArtery(cluster, run));
                }
                if (roundTrip) {
                    table.add(OneToOneRoundTrip.runCluster(cluster, run));
                }
                if (clusterFan) {
                    FanOut.runBoth(cluster, run, fanIn, fanOut, table);
                }
            }
        }
        if (chosenScenarios.contains(RemoteTable.KILL)) {
            table.add(KillToTerminated.run(run));
        }
        if (chosenScenarios.contains(RemoteTable.LAUNCH)) {
            PoolLaunch.run(run, table);
        }
        MemoryFootprint.Result memory = null;
        if (chosenScenarios.contains(MemoryFootprint.SCENARIO)) {
            MemoryFootprint.Sizes m =
                    smoke
                            ? MemoryFootprint.Sizes.SMOKE
                            : quick ? MemoryFootprint.Sizes.QUICK : MemoryFootprint.Sizes.DEFAULT;
            memory = MemoryFootprint.run(m, List.of(), line -> run.progress("%s", line));
        }
        PiScaling.Result scaling = null;
        if (chosenScenarios.contains(PiScaling.SCENARIO)) {
            PiScaling.Sizes p =
                    smoke
                            ? PiScaling.Sizes.SMOKE
                            : quick ? PiScaling.Sizes.QUICK : PiScaling.Sizes.DEFAULT;
            scaling = PiScaling.run(p, line -> run.progress("%s", line));
        }
        table.environment(environment(sizes, chosenSystems, loadBefore, loadAverage()));
        table.notes(notes(chosenSystems, chosenScenarios));

        out.println();
        out.print(table.render());
        if (memory != null) {
            out.println();
            out.print(memory.render());
        }
        if (scaling != null) {
            out.println();
            out.print(scaling.render());
        }
        if (json != null) {
            JsonReport report = new JsonReport();
            table.addTo(report);
            if (memory != null) {
                memory.addTo(report);
            }
            if (scaling != null) {
                scaling.addTo(report);
            }
            report.write(json);
            out.println(
                    "JSON: " + report.size() + " measurements written to " + json.toAbsolutePath());
        }
        if (charts != null) {
            for (Path png : drawCharts(table, charts)) {
                out.println("Chart: " + png.toAbsolutePath());
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Latency percentiles, one-way throughput and fan-in growth per system, as far as this run
     * measured them.
     */
    private static List<Path> drawCharts(RemoteTable table, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        Map<String, double[]> latency = new LinkedHashMap<>();
        for (RemoteTable.Latency l : table.latency()) {
            latency.put(l.system(), new double[] {l.p50(), l.p90(), l.p99(), l.p999(), l.max()});
        }
        if (!latency.isEmpty()) {
            written.add(
                    Charts.latencyPercentiles(
                            dir.resolve("round-trip-latency.png"),
                            "One-to-one round trip (µs, lower is better)",
                            latency));
        }
        Map<String, Double> throughput = new LinkedHashMap<>();
        for (RemoteTable.Throughput t : table.throughput()) {
            if (t.msgsPerSecond() > 0) {
                throughput.put(t.system(), t.msgsPerSecond());
            }
        }
        if (!throughput.isEmpty()) {
            written.add(
                    Charts.throughput(
                            dir.resolve("one-way-throughput.png"),
                            "One-to-one one-way throughput (msgs/s, higher is better)",
                            throughput));
        }
        Map<String, Map<Integer, Double>> fanIn = new LinkedHashMap<>();
        for (RemoteTable.FanIn f : table.fanIn()) {
            if (f.msgsPerSecond() > 0) {
                fanIn.computeIfAbsent(f.system(), k -> new TreeMap<>())
                        .put(f.senders(), f.msgsPerSecond());
            }
        }
        if (!fanIn.isEmpty()) {
            written.add(
                    Charts.fanIn(
                            dir.resolve("fan-in.png"),
                            "Fan-in: N sender processes into one receiver (msgs/s)",
                            fanIn));
        }
        return written;
    }

    private RunSizes sizes() {
        if (quick && smoke) {
            throw new ParameterException(spec.commandLine(), "Choose one of --quick and --smoke");
        }
        RunSizes s = smoke ? RunSizes.SMOKE : quick ? RunSizes.QUICK : RunSizes.DEFAULT;
        if (messages != null) {
            s = s.withMessages(messages);
        }
        if (rounds != null) {
            s = s.withRounds(rounds);
        }
        if (roundTrips != null) {
            s = s.withRoundTrips(roundTrips);
        }
        if (warmup != null) {
            if (warmup.size() != 2) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--warmup takes two numbers, MSGS,TRIPS, not " + warmup);
            }
            s = s.withWarmup(warmup.get(0), Math.toIntExact(warmup.get(1)));
        }
        if (kills != null) {
            s = s.withKills(kills);
        }
        if (fanMessages != null || fanInSenders != null || fanOutReceivers != null) {
            s =
                    s.withFan(
                            fanMessages != null ? fanMessages : s.fanMessages(),
                            fanInSenders != null ? fanInSenders : s.fanInSenders(),
                            fanOutReceivers != null ? fanOutReceivers : s.fanOutReceivers());
        }
        if (arteryDivisor != null) {
            s = s.withArteryDivisor(arteryDivisor);
        }
        if (fanLowLatency != null) {
            s = s.withFanLowLatency(fanLowLatency);
        }
        return s;
    }

    private List<BenchSystem> chosenSystems() {
        if (systems == null || systems.isEmpty()) {
            return List.of(BenchSystem.values());
        }
        try {
            return systems.stream().map(BenchSystem::fromLabel).distinct().sorted().toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<String> chosenScenarios() {
        if (scenarios == null || scenarios.isEmpty()) {
            return SCENARIOS;
        }
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Unknown scenario '"
                                + s
                                + "': choose from "
                                + String.join(", ", SCENARIOS));
            }
        }
        return SCENARIOS.stream().filter(scenarios::contains).toList();
    }

    private static String describe(RunSizes s) {
        return String.format(
                Locale.ROOT,
                "one-way %,d msgs x %d rounds after %,d warm-up; %,d round trips after %,d warm-up;"
                        + " fan-in %s senders and fan-out %s receivers, %,d msgs x %d rounds after one warm-up round of min(this, one-way warm-up) each;"
                        + "%s akka-artery and troupe-cluster all counts / %d; %d kills; pools of %s workers x %d",
                s.messages(),
                s.rounds(),
                s.warmupMessages(),
                s.roundTrips(),
                s.warmupRoundTrips(),
                join(s.fanInSenders()),
                join(s.fanOutReceivers()),
                s.fanMessages(),
                s.rounds(),
                s.fanLowLatency()
                        ? ""
                        : " no fan-in/out on troupe-low-latency, troupe-event-loop and troupe-cluster (--fan-low-latency to add them);",
                s.arteryDivisor(),
                s.kills(),
                join(s.poolSizes()),
                s.launchRepeats());
    }

    private static String join(List<Integer> xs) {
        return xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /**
     * How the systems and the scenarios with several peers were set up, printed under the
     * environment.
     */
    private static String notes(List<BenchSystem> chosen, List<String> chosenScenarios) {
        StringBuilder sb = new StringBuilder();
        if (chosen.contains(BenchSystem.AKKA_ARTERY)) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "akka-artery: Akka 2.6.21 classic remoting under typed actors, Artery TCP on 127.0.0.1"
                                    + " (ports chosen by the OS), messages as plain classes on Akka's %s serializer (Jackson 2.11; its bytes are"
                                    + " the tables' msg B); the sender keeps at most %,d messages unacknowledged, the receiver acks every %d"
                                    + " (Artery's outbound queue of %,d drops silently past that); round trip = AskPattern.ask from the harness's"
                                    + " main thread to an echo actor, like Troupe's%n",
                            ArteryRemoting.SERIALIZER,
                            ArteryRemoting.WINDOW,
                            ArteryRemoting.ACK_EVERY,
                            ArteryRemoting.OUTBOUND_QUEUE));
        }
        if (chosen.contains(BenchSystem.TROUPE_CLUSTER)) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "troupe-cluster: Troupe across machines, beside akka-artery over the same Artery TCP: two Troupe nodes in cluster"
                                    + " mode (troupe.cluster.*, Akka Cluster), the harness's on %s (the seed, with the harness's Aeron directory),"
                                    + " the peer's on %s (its own Aeron directory and media driver; fan peer k on 127.0.0.(3+k)); the peer's"
                                    + " actors looked up with RemoteNode.lookup, so the refs are ClusterRefs: each message is encoded by Troupe's"
                                    + " codec on the sender's thread (the tables' msg B; %d bytes more go with it: version, incarnation, export"
                                    + " id) and carried by Artery to the peer node's gateway actor, which decodes and checks it, then hands it to"
                                    + " the actor; same records as troupe, same send window and acks as akka-artery, same counts as akka-artery;"
                                    + " round trip = AskPattern.ask from the harness's main thread to an echo actor. troupe-cl/system ="
                                    + " troupe-cluster's figure / the row's, so on the akka-artery row it is Troupe's codec against Jackson CBOR%n",
                            ClusterNodes.HARNESS_HOST,
                            ClusterNodes.peerHost(0),
                            ClusterNodes.DELIVERY_HEADER_BYTES));
        }
        if (chosenScenarios.contains(RemoteTable.FAN_IN)
                || chosenScenarios.contains(RemoteTable.FAN_OUT)) {
            sb.append(
                    "fan-in: the receiver is in the harness process (A), each sender a peer JVM with one sending thread, started by a"
                            + " line on its stdin; fan-out: the harness's main thread sends round-robin (message i to receiver i mod N), each"
                            + " receiver a peer JVM that reports on its stdout when it has all of its share. Peers are added as N grows (no idle"
                            + " peer beside a measurement); with 2 cores, N senders + receiver + driver contend for them.\n");
        }
        return sb.toString();
    }

    /**
     * The 1-minute load average, or "?" where the OS does not tell: other work on a 2-core machine
     * moves every figure.
     */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private RemoteTable.Environment environment(
            RunSizes sizes, List<BenchSystem> chosen, String loadBefore, String loadAfter) {
        Runtime.Version v = Runtime.version();
        String jvm =
                System.getProperty("java.vm.name")
                        + " "
                        + System.getProperty("java.vm.version")
                        + " (Java "
                        + v.feature()
                        + ", "
                        + System.getProperty("java.home")
                        + ")";
        List<String> peerFlags = new ArrayList<>(PeerProcess.baseJvmFlags());
        peerFlags.addAll(peerJvmArgs);
        if (timerSlackNs != null) {
            peerFlags.add("-D" + TimerSlack.PROPERTY + "=" + timerSlackNs);
        }
        peerFlags.add(
                "(+ -Dtroupe.remote.node-name/cluster-name/aeron-dir/idle-strategy/driver.mode=attach, outbound-queue-bytes="
                        + TroupeNodes.OUTBOUND_QUEUE_BYTES
                        + ", back-pressure-timeout="
                        + TroupeNodes.BACK_PRESSURE_TIMEOUT
                        + " for Troupe nodes, the harness's too (a round's backlog waits at the sender, not dropped);"
                        + " troupe-cluster peers launch their own driver and add -Dtroupe.cluster.enabled/hostname/port/seed-nodes;"
                        + " pool workers get ProcessPool's defaults)");
        Map<String, String> idle = new LinkedHashMap<>();
        for (BenchSystem s : chosen) {
            idle.put(s.label(), s.idleStrategy());
        }
        String aeron =
                "IPC, term length "
                        + AeronBaseline.TERM_LENGTH / 1024
                        + " KiB (Troupe's default troupe.remote.term-length),"
                        + " media driver embedded in the harness process, threading mode SHARED; a fresh directory under /dev/shm per run";
        List<String> harnessFlags =
                new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (harnessFlags.stream().noneMatch(f -> f.contains("jdk.internal.misc"))) {
            harnessFlags.add("(Add-Exports java.base/jdk.internal.misc from the jar's manifest)");
        }
        if (timerSlackNs != null) {
            harnessFlags.add(
                    "(--timer-slack-ns "
                            + timerSlackNs
                            + ": every thread's timer slack "
                            + timerSlackNs
                            + " ns)");
        }
        String load =
                "1-minute load average "
                        + loadBefore
                        + " at the start, "
                        + loadAfter
                        + " at the end (this run's own processes"
                        + " included; anything else running on the machine moves the figures)";
        return new RemoteTable.Environment(
                jvm,
                Runtime.getRuntime().availableProcessors(),
                harnessFlags,
                peerFlags,
                aeron,
                idle,
                describe(sizes),
                load);
    }

    /** The systems' labels, for help and tests. */
    static List<String> systemLabels() {
        return Arrays.stream(BenchSystem.values()).map(BenchSystem::label).toList();
    }
}
