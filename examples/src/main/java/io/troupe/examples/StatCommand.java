package io.troupe.examples;

import io.troupe.remote.RemoteException;
import io.troupe.remote.monitor.ClusterMonitor;
import io.troupe.remote.monitor.ClusterSnapshot;
import io.troupe.remote.monitor.DriverHealth;
import io.troupe.remote.monitor.NodeSample;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stat}: a live view of a running cluster on this machine, from the counters its nodes
 * publish in the media driver's {@code cnc.dat} (see {@link ClusterMonitor}): per node, messages
 * and bytes per second in and out, back-pressure events, inbound pauses, rejected frames and dead
 * letters by reason; and the driver's heartbeat and errors. Reads only: the cluster does not see
 * it.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "stat",
        mixinStandardHelpOptions = true,
        description = {
            "Shows every node of a running cluster on this machine, refreshed each second: messages"
                    + " and bytes per second in and out, back-pressure, inbound pauses, rejected"
                    + " frames, dead letters by reason, and the media driver's health.",
            "Reads the counters the nodes publish in the cluster's Aeron directory; the cluster"
                    + " does not notice. Stop it with Ctrl-C."
        })
final class StatCommand implements Callable<Integer> {
    /** Counter names as the nodes publish them (see remote's NodeCounters). */
    static final String MSGS_IN = "msgs-received";

    static final String MSGS_OUT = "msgs-sent";
    static final String BYTES_IN = "bytes-received";
    static final String BYTES_OUT = "bytes-sent";
    static final String BACK_PRESSURE = "back-pressure-events";
    static final String INBOUND_PAUSES = "inbound-pauses";
    static final String DECODE_FAILURES = "decode-failures";
    static final String REJECTED_FRAMES = "rejected-frames";
    static final String DEAD_LETTERS = "dead-letters";
    private static final String DEAD_LETTER_REASON = "dead-letters.";
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(
                names = "--cluster",
                paramLabel = "NAME",
                description =
                        "The cluster's name (troupe.remote.cluster-name); its Aeron directory is"
                                + " found as its nodes find it.")
        String cluster;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description =
                        "The cluster's Aeron directory, for a cluster started with"
                                + " troupe.remote.aeron-dir set.")
        Path dir;
    }

    @Option(names = "--once", description = "Print one view (rates over one interval) and exit.")
    boolean once;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "1",
            description = "Seconds between views, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 3600)
    int intervalSeconds;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = !once && System.console() != null;
        try (ClusterMonitor monitor =
                which.cluster != null
                        ? ClusterMonitor.open(which.cluster)
                        : ClusterMonitor.open(which.dir)) {
            ClusterSnapshot previous = monitor.snapshot();
            while (true) {
                TimeUnit.SECONDS.sleep(intervalSeconds);
                ClusterSnapshot current = monitor.snapshot();
                if (terminal) {
                    out.print(CLEAR_SCREEN);
                }
                out.print(render(which.cluster, previous, current));
                out.flush();
                if (once) {
                    return 0;
                }
                previous = current;
            }
        } catch (RemoteException e) {
            err.println("stat: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** One view: a header, the driver's health, a row per node; rates between the snapshots. */
    static String render(String cluster, ClusterSnapshot previous, ClusterSnapshot current) {
        double seconds = Math.max(1e-9, (current.nanoTime() - previous.nanoTime()) / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "cluster %s (Aeron directory %s): %d node%s, %s%n",
                        cluster == null ? "?" : cluster,
                        current.aeronDir(),
                        current.nodes().size(),
                        current.nodes().size() == 1 ? "" : "s",
                        LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))));
        DriverHealth d = current.driver();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "driver: pid %d, heartbeat %d ms ago (%s), errors: %s%n",
                        d.pid(),
                        d.heartbeatAgeMs(),
                        d.alive()
                                ? "alive"
                                : "silent for longer than "
                                        + d.livenessTimeoutMs()
                                        + " ms: stopped or gone",
                        d.distinctErrors() == 0
                                ? "none"
                                : d.distinctErrors()
                                        + " distinct, "
                                        + d.errorObservations()
                                        + " in all, last: "
                                        + d.lastError()));
        String format = "%-16s %10s %10s %12s %12s %10s %10s %8s %8s %8s  %s%n";
        sb.append(
                String.format(
                        Locale.ROOT,
                        format,
                        "node",
                        "msgs/s in",
                        "msgs/s out",
                        "bytes/s in",
                        "bytes/s out",
                        "msgs in",
                        "msgs out",
                        "back-pr",
                        "paused",
                        "rejected",
                        "dead letters (by reason)"));
        for (NodeSample n : current.nodes()) {
            NodeSample before = previous.node(n.node()).orElse(new NodeSample(n.node(), Map.of()));
            sb.append(
                    String.format(
                            Locale.ROOT,
                            format,
                            n.node(),
                            rate(n, before, MSGS_IN, seconds),
                            rate(n, before, MSGS_OUT, seconds),
                            rate(n, before, BYTES_IN, seconds),
                            rate(n, before, BYTES_OUT, seconds),
                            n.get(MSGS_IN),
                            n.get(MSGS_OUT),
                            n.get(BACK_PRESSURE),
                            n.get(INBOUND_PAUSES),
                            n.get(DECODE_FAILURES) + n.get(REJECTED_FRAMES),
                            deadLetters(n)));
        }
        if (current.nodes().isEmpty()) {
            sb.append("(no node publishes counters in this directory now)\n");
        }
        return sb.toString();
    }

    private static String rate(NodeSample now, NodeSample before, String counter, double seconds) {
        long delta = Math.max(0, now.get(counter) - before.get(counter));
        return String.format(Locale.ROOT, "%,.0f", delta / seconds);
    }

    private static String deadLetters(NodeSample n) {
        List<String> reasons = new ArrayList<>();
        n.counters()
                .forEach(
                        (name, value) -> {
                            if (name.startsWith(DEAD_LETTER_REASON) && value > 0) {
                                reasons.add(
                                        name.substring(DEAD_LETTER_REASON.length()) + " " + value);
                            }
                        });
        reasons.sort(null);
        long total = n.get(DEAD_LETTERS);
        return reasons.isEmpty()
                ? Long.toString(total)
                : total + " (" + String.join(", ", reasons) + ")";
    }
}
