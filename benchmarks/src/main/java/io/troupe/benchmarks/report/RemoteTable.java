package io.troupe.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The results of the {@code remote} harness: one row per scenario and system, each figure beside
 * Troupe's from the same run as a ratio, then the failure and scale measures, the targets the
 * issues set, and the JVM, flags and idle strategies the figures were taken with.
 *
 * <p>Ratios are always "Troupe divided by the row's system", for throughput (msgs/s: below 1 means
 * Troupe is slower) and for latency (p50: above 1 means Troupe is slower). With a {@code
 * troupe-cluster} row (Troupe across machines, over Artery) the tables get one more ratio column,
 * {@code troupe-cl/system}, and a summary of {@code troupe-cluster} against {@code akka-artery}
 * (Troupe's codec against Jackson CBOR on the same Artery TCP).
 *
 * <p>Thread safety: not thread-safe; fill and render it from one thread.
 */
public final class RemoteTable {
    public static final String ONE_WAY = "one-to-one-throughput";
    public static final String ROUND_TRIP = "one-to-one-round-trip";
    public static final String KILL = "kill-to-terminated";
    public static final String LAUNCH = "pool-launch";
    public static final String FAN_IN = "fan-in";
    public static final String FAN_OUT = "fan-out";
    public static final String TROUPE = "troupe";
    public static final String TROUPE_LOW_LATENCY = "troupe-low-latency";
    public static final String TROUPE_EVENT_LOOP = "troupe-event-loop";
    public static final String AKKA_ARTERY = "akka-artery";
    public static final String TROUPE_CLUSTER = "troupe-cluster";

    /**
     * One system's one-way throughput.
     *
     * @param msgBytes encoded message bytes handed to Aeron (without Troupe's 24-byte frame header)
     * @param roundRates msgs/s of each measured round; the figure is their median
     * @param sent messages sent in all rounds, the warm-up included
     * @param received messages the receiver counted in those rounds
     * @param outOfOrder messages whose number did not follow the previous one's
     * @param deadLetters dead letters at the sender during the runs (Troupe only; 0 for the
     *     baselines)
     * @param switches context switches per message during the measured rounds
     */
    public record Throughput(
            String system,
            int msgBytes,
            long messagesPerRound,
            List<Double> roundRates,
            long sent,
            long received,
            long outOfOrder,
            long deadLetters,
            Switches switches,
            String idleStrategy) {
        public Throughput {
            roundRates = List.copyOf(roundRates);
        }

        public double msgsPerSecond() {
            return median(roundRates);
        }

        public long lost() {
            return sent - received;
        }
    }

    /**
     * One system's round-trip latency, in microseconds.
     *
     * @param msgBytes request bytes handed to Aeron; {@code replyBytes} the answer's
     * @param lost round trips without an answer in time, or with the wrong answer
     * @param switches context switches per round trip during the measured ones
     */
    public record Latency(
            String system,
            int msgBytes,
            int replyBytes,
            long roundTrips,
            double p50,
            double p90,
            double p99,
            double p999,
            double max,
            double mean,
            long lost,
            Switches switches,
            String idleStrategy) {
        /** Round trips per second with one in flight: 1 / mean. */
        public double tripsPerSecond() {
            return 1e6 / mean;
        }
    }

    /**
     * One system's aggregate throughput with {@code senders} sender processes (one sending thread
     * each) and one receiver in the harness process.
     *
     * @param msgBytes encoded message bytes as this system sends them
     * @param messagesPerRound messages per round, all senders together
     * @param roundRates aggregate msgs/s of each measured round; the figure is their median
     * @param sent messages sent in all rounds, the warm-up included
     * @param received messages the receiver counted in those rounds
     * @param outOfOrder messages whose number did not follow their sender's previous one
     */
    public record FanIn(
            String system,
            int senders,
            int msgBytes,
            long messagesPerRound,
            List<Double> roundRates,
            long sent,
            long received,
            long outOfOrder,
            String idleStrategy) {
        public FanIn {
            roundRates = List.copyOf(roundRates);
        }

        public double msgsPerSecond() {
            return median(roundRates);
        }

        public long lost() {
            return sent - received;
        }
    }

    /**
     * One system's aggregate throughput from one sending thread in the harness process to {@code
     * receivers} receiver processes, round-robin (message i goes to receiver i mod N). Fields as in
     * {@link FanIn}.
     */
    public record FanOut(
            String system,
            int receivers,
            int msgBytes,
            long messagesPerRound,
            List<Double> roundRates,
            long sent,
            long received,
            long outOfOrder,
            String idleStrategy) {
        public FanOut {
            roundRates = List.copyOf(roundRates);
        }

        public double msgsPerSecond() {
            return median(roundRates);
        }

        public long lost() {
            return sent - received;
        }
    }

    /**
     * Context switches per operation in the harness process (A) and the peer process (B), summed
     * over their threads: voluntary (a thread parked, i.e. a wake-up was needed to go on) and
     * involuntary (the scheduler took a core away). NaN where the OS cannot tell.
     */
    public record Switches(
            double harnessVoluntary,
            double harnessInvoluntary,
            double peerVoluntary,
            double peerInvoluntary) {
        double total() {
            return harnessVoluntary + harnessInvoluntary + peerVoluntary + peerInvoluntary;
        }
    }

    /** Milliseconds from SIGKILL of a worker to {@code Terminated} at a watcher, per sample. */
    public record KillToTerminated(List<Double> samplesMs) {
        public KillToTerminated {
            samplesMs = List.copyOf(samplesMs);
        }
    }

    /**
     * Milliseconds to launch a pool of {@code workers} until all joined, per launch; {@code
     * variant} says how the workers started ("no archive", "archive": with the class-data-sharing
     * archive).
     */
    public record PoolLaunch(int workers, String variant, List<Double> samplesMs) {
        public PoolLaunch {
            samplesMs = List.copyOf(samplesMs);
        }
    }

    /**
     * The floor under a pool launch, from the same run: milliseconds until a bare JVM ({@code java
     * -version}) exited, or a JVM on the same class path had a bare Akka {@code ActorSystem} up.
     */
    public record StartFloor(String what, List<Double> samplesMs) {
        public StartFloor {
            samplesMs = List.copyOf(samplesMs);
        }
    }

    /** Where the figures come from. */
    public record Environment(
            String jvm,
            int cores,
            List<String> harnessFlags,
            List<String> peerFlags,
            String aeron,
            Map<String, String> idleStrategies,
            String sizes,
            String load) {}

    private final List<Throughput> throughput = new ArrayList<>();
    private final List<Latency> latency = new ArrayList<>();
    private final List<PoolLaunch> launches = new ArrayList<>();
    private final List<StartFloor> floors = new ArrayList<>();
    private final List<String> launchNotes = new ArrayList<>();
    private final List<FanIn> fanIn = new ArrayList<>();
    private final List<FanOut> fanOut = new ArrayList<>();
    private String notes = "";
    private KillToTerminated kill;
    private Environment environment;

    public void add(Throughput t) {
        throughput.add(t);
    }

    public void add(Latency l) {
        latency.add(l);
    }

    public void add(KillToTerminated k) {
        kill = k;
    }

    public void add(PoolLaunch p) {
        launches.add(p);
    }

    public void add(StartFloor f) {
        floors.add(f);
    }

    /** A line printed under the pool-launch figures (e.g. why there is no archive row). */
    public void addLaunchNote(String note) {
        launchNotes.add(note);
    }

    public void add(FanIn f) {
        fanIn.add(f);
    }

    public void add(FanOut f) {
        fanOut.add(f);
    }

    public void environment(Environment e) {
        environment = e;
    }

    /**
     * Lines printed under the environment (how each system was set up), each ending in a newline.
     */
    public void notes(String text) {
        notes = text;
    }

    public List<Throughput> throughput() {
        return List.copyOf(throughput);
    }

    public List<Latency> latency() {
        return List.copyOf(latency);
    }

    public List<FanIn> fanIn() {
        return List.copyOf(fanIn);
    }

    public List<FanOut> fanOut() {
        return List.copyOf(fanOut);
    }

    public List<PoolLaunch> poolLaunches() {
        return List.copyOf(launches);
    }

    public Optional<KillToTerminated> killToTerminated() {
        return Optional.ofNullable(kill);
    }

    /**
     * Troupe's ({@code troupeSystem}) fan-in msgs/s with the same sender count divided by the
     * row's, or NaN.
     */
    private double fanInRatio(String troupeSystem, FanIn row) {
        return fanIn.stream()
                .filter(f -> f.system().equals(troupeSystem) && f.senders() == row.senders())
                .findFirst()
                .map(f -> f.msgsPerSecond() / row.msgsPerSecond())
                .orElse(Double.NaN);
    }

    /**
     * The row's msgs/s divided by the same system's with the fewest senders (1 by default): how it
     * grows.
     */
    private double fanInScaling(FanIn row) {
        return fanIn.stream()
                .filter(f -> f.system().equals(row.system()))
                .min(Comparator.comparingInt(FanIn::senders))
                .map(f -> row.msgsPerSecond() / f.msgsPerSecond())
                .orElse(Double.NaN);
    }

    private double fanOutRatio(String troupeSystem, FanOut row) {
        return fanOut.stream()
                .filter(f -> f.system().equals(troupeSystem) && f.receivers() == row.receivers())
                .findFirst()
                .map(f -> f.msgsPerSecond() / row.msgsPerSecond())
                .orElse(Double.NaN);
    }

    private double fanOutScaling(FanOut row) {
        return fanOut.stream()
                .filter(f -> f.system().equals(row.system()))
                .min(Comparator.comparingInt(FanOut::receivers))
                .map(f -> row.msgsPerSecond() / f.msgsPerSecond())
                .orElse(Double.NaN);
    }

    private Optional<Throughput> throughputOf(String system) {
        return throughput.stream().filter(t -> t.system().equals(system)).findFirst();
    }

    private Optional<Latency> latencyOf(String system) {
        return latency.stream().filter(l -> l.system().equals(system)).findFirst();
    }

    /** Troupe's msgs/s (of {@code troupeSystem}) divided by the row's, or NaN without both. */
    private double throughputRatio(String troupeSystem, Throughput row) {
        return throughputOf(troupeSystem)
                .map(t -> t.msgsPerSecond() / row.msgsPerSecond())
                .orElse(Double.NaN);
    }

    private double latencyRatio(String troupeSystem, Latency row) {
        return latencyOf(troupeSystem).map(t -> t.p50() / row.p50()).orElse(Double.NaN);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        if (!throughput.isEmpty()) {
            Throughput first = throughput.get(0);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: one thread in process A tells one actor in process B; %,d msgs per round%s,"
                                    + " msgs/s = median of %d rounds (higher is better)%n",
                            ONE_WAY,
                            first.messagesPerRound(),
                            others(
                                    throughput.stream()
                                            .filter(
                                                    t ->
                                                            t.messagesPerRound()
                                                                    != first.messagesPerRound())
                                            .map(
                                                    t ->
                                                            t.system()
                                                                    + ": "
                                                                    + String.format(
                                                                            Locale.ROOT,
                                                                            "%,d",
                                                                            t.messagesPerRound()))
                                            .toList()),
                            first.roundRates().size()));
            String header =
                    String.format(
                            Locale.ROOT,
                            "%-20s %6s %14s  %-27s %6s %6s %6s %14s %14s %17s %17s",
                            "system",
                            "msg B",
                            "msgs/s",
                            "(min .. max)",
                            "lost",
                            "o-o-o",
                            "dead-l",
                            "cs/1k A+B",
                            "troupe/system",
                            "troupe-ll/system",
                            "troupe-el/system");
            header += clusterCell(17, "troupe-cl/system");
            sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
            for (Throughput t : throughput) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-20s %6d %,14.0f  %-27s %6d %6d %6d %14s %14s %17s %17s",
                                t.system(),
                                t.msgBytes(),
                                t.msgsPerSecond(),
                                String.format(
                                        Locale.ROOT,
                                        "(%,.0f .. %,.0f)",
                                        min(t.roundRates()),
                                        max(t.roundRates())),
                                t.lost(),
                                t.outOfOrder(),
                                t.deadLetters(),
                                switches(t.switches(), 1000),
                                ratio(throughputRatio(TROUPE, t)),
                                ratio(throughputRatio(TROUPE_LOW_LATENCY, t)),
                                ratio(throughputRatio(TROUPE_EVENT_LOOP, t))));
                sb.append(clusterCell(17, ratio(throughputRatio(TROUPE_CLUSTER, t))))
                        .append(System.lineSeparator());
            }
            sb.append(
                    "(o-o-o: out of order; dead-l: dead letters at the sender; cs/1k A+B: context switches per 1,000 messages in"
                            + " the harness + the peer process)\n\n");
        }
        if (!latency.isEmpty()) {
            Latency first = latency.get(0);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: process A sends, one actor (Troupe) or loop (baselines) in process B answers;"
                                    + " %,d round trips after warm-up%s, in µs (lower is better)%n",
                            ROUND_TRIP,
                            first.roundTrips(),
                            others(
                                    latency.stream()
                                            .filter(l -> l.roundTrips() != first.roundTrips())
                                            .map(
                                                    l ->
                                                            l.system()
                                                                    + ": "
                                                                    + String.format(
                                                                            Locale.ROOT,
                                                                            "%,d",
                                                                            l.roundTrips()))
                                            .toList())));
            String header =
                    String.format(
                            Locale.ROOT,
                            "%-20s %9s %8s %8s %8s %8s %9s %8s %9s %6s %11s %11s %14s %14s",
                            "system",
                            "req/rep B",
                            "p50",
                            "p90",
                            "p99",
                            "p99.9",
                            "max",
                            "mean",
                            "trips/s",
                            "lost",
                            "cs/trip A+B",
                            "troupe/sys",
                            "troupe-ll/sys",
                            "troupe-el/sys");
            header += clusterCell(14, "troupe-cl/sys");
            sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
            for (Latency l : latency) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-20s %9s %8.2f %8.2f %8.2f %8.2f %9.1f %8.2f %,9.0f %6d %11s %11s %14s %14s",
                                l.system(),
                                l.msgBytes() + "/" + l.replyBytes(),
                                l.p50(),
                                l.p90(),
                                l.p99(),
                                l.p999(),
                                l.max(),
                                l.mean(),
                                l.tripsPerSecond(),
                                l.lost(),
                                switches(l.switches(), 1),
                                ratio(latencyRatio(TROUPE, l)),
                                ratio(latencyRatio(TROUPE_LOW_LATENCY, l)),
                                ratio(latencyRatio(TROUPE_EVENT_LOOP, l))));
                sb.append(clusterCell(14, ratio(latencyRatio(TROUPE_CLUSTER, l))))
                        .append(System.lineSeparator());
            }
            sb.append(
                    "(latency ratios are p50 of Troupe / p50 of the row's system: above 1 means Troupe is slower; trips/s = 1 / mean,"
                            + " one round trip in flight; cs/trip A+B: context switches per round trip in the harness + the peer process)\n\n");
        }
        if (!fanIn.isEmpty()) {
            FanIn firstIn = fanIn.get(0);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: N sender processes (one thread each) tell one actor in process A; %,d msgs per round%s,"
                                    + " all senders together; aggregate msgs/s = median of %d rounds (higher is better)%n",
                            FAN_IN,
                            firstIn.messagesPerRound(),
                            others(
                                    fanIn.stream()
                                            .filter(
                                                    f ->
                                                            f.messagesPerRound()
                                                                    != firstIn.messagesPerRound())
                                            .map(
                                                    f ->
                                                            f.system()
                                                                    + ": "
                                                                    + String.format(
                                                                            Locale.ROOT,
                                                                            "%,d",
                                                                            f.messagesPerRound()))
                                            .distinct()
                                            .toList()),
                            firstIn.roundRates().size()));
            String header =
                    String.format(
                            Locale.ROOT,
                            "%-20s %7s %6s %14s  %-27s %6s %6s %10s %14s %17s",
                            "system",
                            "senders",
                            "msg B",
                            "msgs/s",
                            "(min .. max)",
                            "lost",
                            "o-o-o",
                            "vs fewest",
                            "troupe/system",
                            "troupe-ll/system");
            header += clusterCell(17, "troupe-cl/system");
            sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
            for (FanIn f : fanIn) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-20s %7d %6d %,14.0f  %-27s %6d %6d %10s %14s %17s",
                                f.system(),
                                f.senders(),
                                f.msgBytes(),
                                f.msgsPerSecond(),
                                String.format(
                                        Locale.ROOT,
                                        "(%,.0f .. %,.0f)",
                                        min(f.roundRates()),
                                        max(f.roundRates())),
                                f.lost(),
                                f.outOfOrder(),
                                ratio(fanInScaling(f)),
                                ratio(fanInRatio(TROUPE, f)),
                                ratio(fanInRatio(TROUPE_LOW_LATENCY, f))));
                sb.append(clusterCell(17, ratio(fanInRatio(TROUPE_CLUSTER, f))))
                        .append(System.lineSeparator());
            }
            sb.append(
                    "(vs fewest: the row's msgs/s / the same system's with the fewest senders, i.e. how it scales;"
                            + " ratios to Troupe are for the same number of senders)\n\n");
        }
        if (!fanOut.isEmpty()) {
            FanOut firstOut = fanOut.get(0);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: one thread in process A tells N actors in N processes, round-robin; %,d msgs per round%s,"
                                    + " all receivers together; aggregate msgs/s = median of %d rounds (higher is better)%n",
                            FAN_OUT,
                            firstOut.messagesPerRound(),
                            others(
                                    fanOut.stream()
                                            .filter(
                                                    f ->
                                                            f.messagesPerRound()
                                                                    != firstOut.messagesPerRound())
                                            .map(
                                                    f ->
                                                            f.system()
                                                                    + ": "
                                                                    + String.format(
                                                                            Locale.ROOT,
                                                                            "%,d",
                                                                            f.messagesPerRound()))
                                            .distinct()
                                            .toList()),
                            firstOut.roundRates().size()));
            String header =
                    String.format(
                            Locale.ROOT,
                            "%-20s %9s %6s %14s  %-27s %6s %6s %10s %14s %17s",
                            "system",
                            "receivers",
                            "msg B",
                            "msgs/s",
                            "(min .. max)",
                            "lost",
                            "o-o-o",
                            "vs fewest",
                            "troupe/system",
                            "troupe-ll/system");
            header += clusterCell(17, "troupe-cl/system");
            sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
            for (FanOut f : fanOut) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-20s %9d %6d %,14.0f  %-27s %6d %6d %10s %14s %17s",
                                f.system(),
                                f.receivers(),
                                f.msgBytes(),
                                f.msgsPerSecond(),
                                String.format(
                                        Locale.ROOT,
                                        "(%,.0f .. %,.0f)",
                                        min(f.roundRates()),
                                        max(f.roundRates())),
                                f.lost(),
                                f.outOfOrder(),
                                ratio(fanOutScaling(f)),
                                ratio(fanOutRatio(TROUPE, f)),
                                ratio(fanOutRatio(TROUPE_LOW_LATENCY, f))));
                sb.append(clusterCell(17, ratio(fanOutRatio(TROUPE_CLUSTER, f))))
                        .append(System.lineSeparator());
            }
            sb.append(
                    "(vs fewest: the row's msgs/s / the same system's with the fewest receivers;"
                            + " ratios to Troupe are for the same number of receivers)\n\n");
        }
        sb.append(renderAcrossMachines());
        if (kill != null) {
            List<Double> s = kill.samplesMs();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: SIGKILL of a pool worker (by pid) -> Terminated at a watcher actor in the parent,"
                                    + " %d samples%n  median %.1f ms (min %.1f, max %.1f); samples: %s%n%n",
                            KILL,
                            s.size(),
                            median(s),
                            min(s),
                            max(s),
                            s.stream()
                                    .map(x -> String.format(Locale.ROOT, "%.1f", x))
                                    .collect(Collectors.joining(", "))));
        }
        if (!launches.isEmpty()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s: ProcessPool.launch until every worker joined (median of %d launches)%n",
                            LAUNCH,
                            launches.get(0).samplesMs().size()));
            for (StartFloor f : floors) {
                List<Double> s = f.samplesMs();
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  floor: %-27s %,8.0f ms  (min %,.0f, max %,.0f)%n",
                                f.what(),
                                median(s),
                                min(s),
                                max(s)));
            }
            for (PoolLaunch p : launches) {
                List<Double> s = p.samplesMs();
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "  %d worker%s, %-18s %,8.0f ms  (min %,.0f, max %,.0f)%s%n",
                                p.workers(),
                                p.workers() == 1 ? " " : "s",
                                p.variant(),
                                median(s),
                                min(s),
                                max(s),
                                launchRatio(p)));
            }
            for (String note : launchNotes) {
                sb.append("  (").append(note).append(")\n");
            }
            sb.append('\n');
        }
        sb.append(renderTargets());
        if (environment != null) {
            Environment e = environment;
            sb.append(
                    String.format(
                            Locale.ROOT, "JVM: %s, %d cores available%n", e.jvm(), e.cores()));
            sb.append("Harness flags: ")
                    .append(
                            e.harnessFlags().isEmpty()
                                    ? "(none)"
                                    : String.join(" ", e.harnessFlags()))
                    .append('\n');
            sb.append("Peer flags: ").append(String.join(" ", e.peerFlags())).append('\n');
            sb.append("Aeron: ").append(e.aeron()).append('\n');
            sb.append("Idle strategies:\n");
            e.idleStrategies()
                    .forEach(
                            (system, idle) ->
                                    sb.append(
                                            String.format(
                                                    Locale.ROOT, "  %-20s %s%n", system, idle)));
            sb.append("Sizes: ").append(e.sizes()).append('\n');
            sb.append("Load: ").append(e.load()).append('\n');
        }
        sb.append(notes);
        return sb.toString();
    }

    /** Whether this run measured {@code troupe-cluster} in any scenario. */
    private boolean hasCluster() {
        return throughput.stream().anyMatch(t -> t.system().equals(TROUPE_CLUSTER))
                || latency.stream().anyMatch(l -> l.system().equals(TROUPE_CLUSTER))
                || fanIn.stream().anyMatch(f -> f.system().equals(TROUPE_CLUSTER))
                || fanOut.stream().anyMatch(f -> f.system().equals(TROUPE_CLUSTER));
    }

    /**
     * The {@code troupe-cl} column's cell (or header), only when the run measured {@code
     * troupe-cluster}: the tables of a run without it stay as they were.
     */
    private String clusterCell(int width, String text) {
        return hasCluster() ? String.format(Locale.ROOT, " %" + width + "s", text) : "";
    }

    /**
     * {@code troupe-cluster} against {@code akka-artery}, both over Artery TCP in this run: what
     * Troupe's codec, its gateway and its ClusterRefs cost against Akka's own Jackson CBOR; "" if
     * the run lacks either.
     */
    private String renderAcrossMachines() {
        List<String> parts = new ArrayList<>();
        Optional<Throughput> clusterOneWay = throughputOf(TROUPE_CLUSTER);
        Optional<Throughput> arteryOneWay = throughputOf(AKKA_ARTERY);
        if (clusterOneWay.isPresent() && arteryOneWay.isPresent()) {
            double c = clusterOneWay.get().msgsPerSecond();
            double a = arteryOneWay.get().msgsPerSecond();
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "  one-way msgs/s %,.0f / %,.0f = %s (higher is better)%n",
                            c,
                            a,
                            ratio(c / a)));
        }
        Optional<Latency> clusterAsk = latencyOf(TROUPE_CLUSTER);
        Optional<Latency> arteryAsk = latencyOf(AKKA_ARTERY);
        if (clusterAsk.isPresent() && arteryAsk.isPresent()) {
            Latency c = clusterAsk.get();
            Latency a = arteryAsk.get();
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "  ask p50 %.1f / %.1f µs = %s, p99 %.1f / %.1f µs = %s (lower is better)%n",
                            c.p50(),
                            a.p50(),
                            ratio(c.p50() / a.p50()),
                            c.p99(),
                            a.p99(),
                            ratio(c.p99() / a.p99())));
        }
        for (FanIn f : fanIn) {
            if (f.system().equals(AKKA_ARTERY)) {
                double r = fanInRatio(TROUPE_CLUSTER, f);
                if (!Double.isNaN(r)) {
                    parts.add(
                            String.format(
                                    Locale.ROOT,
                                    "  fan-in x%d msgs/s %s%n",
                                    f.senders(),
                                    ratio(r)));
                }
            }
        }
        for (FanOut f : fanOut) {
            if (f.system().equals(AKKA_ARTERY)) {
                double r = fanOutRatio(TROUPE_CLUSTER, f);
                if (!Double.isNaN(r)) {
                    parts.add(
                            String.format(
                                    Locale.ROOT,
                                    "  fan-out x%d msgs/s %s%n",
                                    f.receivers(),
                                    ratio(r)));
                }
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        return "troupe-cluster / akka-artery (both over Artery TCP, this run; Troupe's codec, gateway and ClusterRefs"
                + " against Jackson CBOR):\n"
                + String.join("", parts)
                + "\n";
    }

    /** ", 0.62x of no archive" for an archive row with its no-archive sibling; else "". */
    private String launchRatio(PoolLaunch p) {
        if (p.variant().equals(NO_ARCHIVE)) {
            return "";
        }
        return launches.stream()
                .filter(o -> o.workers() == p.workers() && o.variant().equals(NO_ARCHIVE))
                .findFirst()
                .map(
                        o ->
                                String.format(
                                        Locale.ROOT,
                                        "  %.2fx of %s",
                                        median(p.samplesMs()) / median(o.samplesMs()),
                                        NO_ARCHIVE))
                .orElse("");
    }

    public static final String NO_ARCHIVE = "no archive";
    public static final String ARCHIVE = "archive";

    private String renderTargets() {
        List<String> lines = new ArrayList<>();
        throughputOf(TROUPE)
                .ifPresent(
                        t -> {
                            lines.add(
                                    target(
                                            "troupe one-way >= 2,000,000 msgs/s",
                                            String.format(Locale.ROOT, "%,.0f", t.msgsPerSecond()),
                                            t.msgsPerSecond() >= 2_000_000));
                        });
        for (Throughput t : throughput) {
            if (t.lost() != 0) {
                lines.add(
                        target(t.system() + " one-way lost == 0", Long.toString(t.lost()), false));
            }
        }
        for (FanIn f : fanIn) {
            if (f.lost() != 0) {
                lines.add(
                        target(
                                f.system() + " fan-in x" + f.senders() + " lost == 0",
                                Long.toString(f.lost()),
                                false));
            }
        }
        for (FanOut f : fanOut) {
            if (f.lost() != 0) {
                lines.add(
                        target(
                                f.system() + " fan-out x" + f.receivers() + " lost == 0",
                                Long.toString(f.lost()),
                                false));
            }
        }
        latencyOf(TROUPE)
                .ifPresent(
                        l ->
                                lines.add(
                                        target(
                                                "troupe ask p50 <= 25 µs",
                                                String.format(Locale.ROOT, "%.1f µs", l.p50()),
                                                l.p50() <= 25)));
        latencyOf(TROUPE)
                .ifPresent(
                        t ->
                                latencyOf(AKKA_ARTERY)
                                        .ifPresent(
                                                a -> {
                                                    double r = a.p50() / t.p50();
                                                    lines.add(
                                                            target(
                                                                    "troupe ask p50 <= 1/15 of akka-artery's",
                                                                    String.format(
                                                                            Locale.ROOT,
                                                                            "1/%.1f",
                                                                            r),
                                                                    r >= 15));
                                                }));
        latencyOf(TROUPE_LOW_LATENCY)
                .ifPresent(
                        l ->
                                lines.add(
                                        target(
                                                "troupe-low-latency ask p50 <= 10 µs",
                                                String.format(Locale.ROOT, "%.1f µs", l.p50()),
                                                l.p50() <= 10)));
        // Issue 12's targets, for plain troupe and its event-loop row.
        for (String troupe : List.of(TROUPE, TROUPE_EVENT_LOOP)) {
            throughputOf(troupe)
                    .ifPresent(
                            t -> {
                                for (String base : List.of("kryo-aeron", AKKA_ARTERY)) {
                                    double min = base.equals(AKKA_ARTERY) ? 15 : 0.7;
                                    throughputOf(base)
                                            .ifPresent(
                                                    b -> {
                                                        double r =
                                                                t.msgsPerSecond()
                                                                        / b.msgsPerSecond();
                                                        lines.add(
                                                                target(
                                                                        troupe
                                                                                + " one-way >= "
                                                                                + min
                                                                                + "x "
                                                                                + base,
                                                                        String.format(
                                                                                Locale.ROOT,
                                                                                "%.2fx",
                                                                                r),
                                                                        r >= min));
                                                    });
                                }
                            });
        }
        for (String troupe : List.of(TROUPE, TROUPE_EVENT_LOOP, TROUPE_LOW_LATENCY)) {
            latencyOf(troupe)
                    .ifPresent(
                            l -> {
                                if (!troupe.equals(TROUPE_LOW_LATENCY)) {
                                    lines.add(
                                            target(
                                                    troupe + " ask p50 <= 10 µs",
                                                    String.format(Locale.ROOT, "%.1f µs", l.p50()),
                                                    l.p50() <= 10));
                                }
                                lines.add(
                                        target(
                                                troupe + " ask p99 <= 100 µs",
                                                String.format(Locale.ROOT, "%.1f µs", l.p99()),
                                                l.p99() <= 100));
                            });
        }
        launches.stream()
                .filter(p -> p.workers() == 4)
                .min((a, b) -> Double.compare(median(a.samplesMs()), median(b.samplesMs())))
                .ifPresent(
                        p ->
                                lines.add(
                                        target(
                                                "pool of 4 joined <= 2 s (" + p.variant() + ")",
                                                String.format(
                                                        Locale.ROOT,
                                                        "%,.0f ms",
                                                        median(p.samplesMs())),
                                                median(p.samplesMs()) <= 2000)));
        if (kill != null) {
            double m = median(kill.samplesMs());
            lines.add(
                    target(
                            "SIGKILL -> Terminated within 500 ms (median)",
                            String.format(Locale.ROOT, "%.1f ms", m),
                            m <= 500));
        }
        if (lines.isEmpty()) {
            return "";
        }
        return "Targets (issues 3, 4, 6 and 12; one run on this machine):\n"
                + String.join("", lines)
                + "\n";
    }

    private static String target(String what, String value, boolean met) {
        return String.format(
                Locale.ROOT, "  %-52s %16s  %s%n", what, value, met ? "met" : "MISSED");
    }

    /** One JSON object per measurement (see {@link JsonReport}). */
    public void addTo(JsonReport report) {
        for (Throughput t : throughput) {
            Map<String, Object> m = report.add(ONE_WAY, t.system(), t.msgBytes());
            m.put("msgs_per_s", t.msgsPerSecond());
            m.put("msgs_per_s_min", min(t.roundRates()));
            m.put("msgs_per_s_max", max(t.roundRates()));
            m.put("round_msgs_per_s", t.roundRates());
            m.put("messages_per_round", t.messagesPerRound());
            m.put("sent", t.sent());
            m.put("received", t.received());
            m.put("lost", t.lost());
            m.put("out_of_order", t.outOfOrder());
            m.put("dead_letters", t.deadLetters());
            m.put("ratio_troupe_to_system", throughputRatio(TROUPE, t));
            m.put("ratio_troupe_low_latency_to_system", throughputRatio(TROUPE_LOW_LATENCY, t));
            m.put("ratio_troupe_event_loop_to_system", throughputRatio(TROUPE_EVENT_LOOP, t));
            m.put("ratio_troupe_cluster_to_system", throughputRatio(TROUPE_CLUSTER, t));
            put(m, t.switches());
            m.put("idle_strategy", t.idleStrategy());
            environment(m);
        }
        for (Latency l : latency) {
            Map<String, Object> m = report.add(ROUND_TRIP, l.system(), l.msgBytes());
            m.put("reply_bytes", l.replyBytes());
            m.put("round_trips", l.roundTrips());
            m.put("p50_us", l.p50());
            m.put("p90_us", l.p90());
            m.put("p99_us", l.p99());
            m.put("p999_us", l.p999());
            m.put("max_us", l.max());
            m.put("mean_us", l.mean());
            m.put("round_trips_per_s", l.tripsPerSecond());
            m.put("lost", l.lost());
            m.put("ratio_troupe_to_system_p50", latencyRatio(TROUPE, l));
            m.put("ratio_troupe_low_latency_to_system_p50", latencyRatio(TROUPE_LOW_LATENCY, l));
            m.put("ratio_troupe_event_loop_to_system_p50", latencyRatio(TROUPE_EVENT_LOOP, l));
            m.put("ratio_troupe_cluster_to_system_p50", latencyRatio(TROUPE_CLUSTER, l));
            m.put(
                    "ratio_troupe_cluster_to_system_p99",
                    latencyOf(TROUPE_CLUSTER).map(c -> c.p99() / l.p99()).orElse(Double.NaN));
            put(m, l.switches());
            m.put("idle_strategy", l.idleStrategy());
            environment(m);
        }
        for (FanIn f : fanIn) {
            Map<String, Object> m = report.add(FAN_IN, f.system(), f.msgBytes());
            m.put("senders", f.senders());
            fan(
                    m,
                    f.msgsPerSecond(),
                    f.roundRates(),
                    f.messagesPerRound(),
                    f.sent(),
                    f.received(),
                    f.lost(),
                    f.outOfOrder());
            m.put("scaling_to_fewest", fanInScaling(f));
            m.put("ratio_troupe_to_system", fanInRatio(TROUPE, f));
            m.put("ratio_troupe_low_latency_to_system", fanInRatio(TROUPE_LOW_LATENCY, f));
            m.put("ratio_troupe_cluster_to_system", fanInRatio(TROUPE_CLUSTER, f));
            m.put("idle_strategy", f.idleStrategy());
            environment(m);
        }
        for (FanOut f : fanOut) {
            Map<String, Object> m = report.add(FAN_OUT, f.system(), f.msgBytes());
            m.put("receivers", f.receivers());
            fan(
                    m,
                    f.msgsPerSecond(),
                    f.roundRates(),
                    f.messagesPerRound(),
                    f.sent(),
                    f.received(),
                    f.lost(),
                    f.outOfOrder());
            m.put("scaling_to_fewest", fanOutScaling(f));
            m.put("ratio_troupe_to_system", fanOutRatio(TROUPE, f));
            m.put("ratio_troupe_low_latency_to_system", fanOutRatio(TROUPE_LOW_LATENCY, f));
            m.put("ratio_troupe_cluster_to_system", fanOutRatio(TROUPE_CLUSTER, f));
            m.put("idle_strategy", f.idleStrategy());
            environment(m);
        }
        if (kill != null) {
            Map<String, Object> m = report.add(KILL, TROUPE, 0);
            m.put("median_ms", median(kill.samplesMs()));
            m.put("min_ms", min(kill.samplesMs()));
            m.put("max_ms", max(kill.samplesMs()));
            m.put("samples_ms", kill.samplesMs());
            m.put("lost", 0);
            environment(m);
        }
        for (StartFloor f : floors) {
            Map<String, Object> m = report.add(LAUNCH, "floor", 0);
            m.put("what", f.what());
            m.put("median_ms", median(f.samplesMs()));
            m.put("min_ms", min(f.samplesMs()));
            m.put("max_ms", max(f.samplesMs()));
            m.put("samples_ms", f.samplesMs());
            m.put("lost", 0);
            environment(m);
        }
        for (PoolLaunch p : launches) {
            Map<String, Object> m = report.add(LAUNCH, TROUPE, 0);
            m.put("workers", p.workers());
            m.put("variant", p.variant());
            m.put("median_ms", median(p.samplesMs()));
            m.put("min_ms", min(p.samplesMs()));
            m.put("max_ms", max(p.samplesMs()));
            m.put("samples_ms", p.samplesMs());
            m.put("lost", 0);
            environment(m);
        }
    }

    private static void fan(
            Map<String, Object> m,
            double rate,
            List<Double> rates,
            long perRound,
            long sent,
            long received,
            long lost,
            long outOfOrder) {
        m.put("msgs_per_s", rate);
        m.put("msgs_per_s_min", min(rates));
        m.put("msgs_per_s_max", max(rates));
        m.put("round_msgs_per_s", rates);
        m.put("messages_per_round", perRound);
        m.put("sent", sent);
        m.put("received", received);
        m.put("lost", lost);
        m.put("out_of_order", outOfOrder);
    }

    /** " (a: 1, b: 2)" for rows whose size differs from the first's, else "". */
    private static String others(List<String> differing) {
        return differing.isEmpty() ? "" : " (" + String.join(", ", differing) + ")";
    }

    private void environment(Map<String, Object> m) {
        if (environment != null) {
            m.put("jvm", environment.jvm());
            m.put("cores", environment.cores());
            m.put("harness_flags", String.join(" ", environment.harnessFlags()));
            m.put("peer_flags", String.join(" ", environment.peerFlags()));
            m.put("load", environment.load());
        }
    }

    /** "A+B" context switches per {@code per} operations, voluntary and involuntary together. */
    private static String switches(Switches s, int per) {
        if (s == null || Double.isNaN(s.total())) {
            return "-";
        }
        String f = per == 1 ? "%.1f+%.1f" : "%.0f+%.0f";
        return String.format(
                Locale.ROOT,
                f,
                per * (s.harnessVoluntary() + s.harnessInvoluntary()),
                per * (s.peerVoluntary() + s.peerInvoluntary()));
    }

    private static void put(Map<String, Object> m, Switches s) {
        if (s != null) {
            m.put("ctx_switches_per_op_harness_voluntary", s.harnessVoluntary());
            m.put("ctx_switches_per_op_harness_involuntary", s.harnessInvoluntary());
            m.put("ctx_switches_per_op_peer_voluntary", s.peerVoluntary());
            m.put("ctx_switches_per_op_peer_involuntary", s.peerInvoluntary());
        }
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
