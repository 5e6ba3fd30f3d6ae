package io.troupe.remote.soak;

import io.troupe.remote.soak.Ledger.Reason;
import io.troupe.remote.soak.Ledger.Snapshot;
import io.troupe.remote.soak.Ledger.Total;
import io.troupe.remote.soak.SoakProtocol.Sampled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's printed summary: the traffic table, the resources table and the kill timeline.
 *
 * <p>Thread safety: stateless.
 */
final class SoakReport {
    private SoakReport() {}

    /**
     * When each killed incarnation started and died, and when its successor started (seconds after
     * the parent's start).
     */
    static String timeline(Map<Long, Snapshot> all, Map<Long, Long> killedAt) {
        long zero =
                all.values().stream()
                        .filter(s -> s.node().equals("parent"))
                        .mapToLong(s -> s.total(Total.STARTED_MILLIS))
                        .findFirst()
                        .orElse(0);
        List<String> lines = new ArrayList<>();
        List<Long> restartMillis = new ArrayList<>();
        for (Map.Entry<Long, Long> k : killedAt.entrySet()) {
            Snapshot victim = all.get(k.getKey());
            if (victim == null) {
                continue;
            }
            long next =
                    all.values().stream()
                            .filter(s -> s.node().equals(victim.node()))
                            .mapToLong(s -> s.total(Total.STARTED_MILLIS))
                            .filter(t -> t > victim.total(Total.STARTED_MILLIS))
                            .min()
                            .orElse(0);
            if (next > 0) {
                restartMillis.add(next - k.getValue());
            }
            lines.add(
                    String.format(
                            " %s started %.1f killed %.1f, successor started %.1f;",
                            SoakAccounting.name(victim),
                            (victim.total(Total.STARTED_MILLIS) - zero) / 1e3,
                            (k.getValue() - zero) / 1e3,
                            (next - zero) / 1e3));
        }
        if (lines.size() > 8) {
            int more = lines.size() - 6;
            lines.subList(3, lines.size() - 3).clear();
            lines.add(3, " ... " + more + " more ...");
        }
        restartMillis.sort(null);
        StringBuilder b =
                new StringBuilder(
                        String.format(
                                "kills: %d, kill to successor's ledger (ms) min %d median %d max %d;"
                                        + " s after the parent started:%n",
                                killedAt.size(),
                                restartMillis.isEmpty() ? 0 : restartMillis.get(0),
                                restartMillis.isEmpty()
                                        ? 0
                                        : restartMillis.get(restartMillis.size() / 2),
                                restartMillis.isEmpty()
                                        ? 0
                                        : restartMillis.get(restartMillis.size() - 1)));
        lines.forEach(b::append);
        return b.append('\n').toString();
    }

    /**
     * Thread names that came (+) or went (-) between two samples, digits folded to '#' and counted.
     */
    static String threadDiff(String before, String after) {
        Map<String, Integer> diff = new TreeMap<>();
        for (String n : after.split("\n")) {
            diff.merge(n.replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        for (String n : before.split("\n")) {
            diff.merge(n.replaceAll("[0-9]+", "#"), -1, Integer::sum);
        }
        diff.values().removeIf(v -> v == 0);
        StringBuilder b = new StringBuilder();
        diff.forEach(
                (n, v) -> b.append(v > 0 ? "+" : "").append(v).append(' ').append(n).append("; "));
        return b.length() == 0 ? "same names" : b.toString();
    }

    static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    /**
     * The summary: per node (summed over its incarnations) the traffic, dead letters by reason,
     * losses at kills, asks and watches; the totals; the node counters; then per process the
     * resources at both samples and the Aeron directory.
     */
    static String table(
            List<String> nodes,
            SoakAccounting acc,
            Map<String, Integer> kills,
            Map<String, Integer> restarts,
            Map<String, Sampled> before,
            Map<String, Sampled> after,
            Path aeronDir,
            long[] shmBefore,
            long[] shmAfter) {
        StringBuilder t = new StringBuilder("\n=== Troupe soak summary ===\n");
        // Dead letters by reason: receiver down, incarnation unknown, back-pressure timeout,
        // outbound queue full,
        // stream closed, other (all at the sender), and dropped at the receiver.
        String head =
                "%-9s %4s %5s %7s %8s | %5s %5s %5s %5s %5s %5s %5s | %8s %8s | %5s %5s %4s %4s %5s %5s %4s%n";
        t.append(
                "down..other: dead-lettered at the sender by reason (receiver down, incarnation unknown, back-pressure timeout,"
                        + " outbound queue full, stream closed, other); @rcv: dropped at the receiver;\nrcv kill: lost in flight when its"
                        + " receiver (this node) was killed; snd kill: lost with its killed sender (this node); aband: asks pending when the"
                        + " asker was killed;\nansQ: questions this node answered; Term: Terminated signals it saw\n");
        t.append(
                String.format(
                        head,
                        "node",
                        "incs",
                        "kills",
                        "sent",
                        "received",
                        "down",
                        "unkn",
                        "bp-to",
                        "full",
                        "closd",
                        "other",
                        "@rcv",
                        "rcv kill",
                        "snd kill",
                        "asked",
                        "answ",
                        "t/o",
                        "fail",
                        "aband",
                        "ansQ",
                        "Term"));
        for (String n : nodes) {
            SoakAccounting.Row r = acc.rows.getOrDefault(n, new SoakAccounting.Row(n));
            long[] d = r.deadLettered;
            t.append(
                    String.format(
                            head,
                            n,
                            r.incarnations,
                            kills.getOrDefault(n, 0),
                            r.sent,
                            r.received,
                            d[0],
                            d[1],
                            d[2],
                            d[3],
                            d[4],
                            d[5],
                            r.droppedAtReceiver,
                            r.lostInFlightAtKill,
                            r.lostWithKilledSender,
                            r.asks,
                            r.answered,
                            r.timedOut,
                            r.failed,
                            r.abandoned,
                            r.questionsAnswered,
                            r.terminatedSeen));
        }
        t.append(
                String.format(
                        "total: sent %d = received %d + dead-lettered %d + in flight when its receiver was killed %d"
                                + " + lost with its killed sender %d%n",
                        acc.sent,
                        acc.received,
                        acc.deadLettered,
                        acc.lostInFlightAtKill,
                        acc.lostWithKilledSender));
        t.append("dead letters by reason:");
        for (Reason r : Reason.values()) {
            t.append(' ').append(r.label).append(' ').append(acc.deadLettered(r)).append(',');
        }
        long atReceiver = acc.rows.values().stream().mapToLong(r -> r.droppedAtReceiver).sum();
        t.append(" dropped at the receiver ").append(atReceiver).append('\n');
        t.append(
                "node counters (dead-letters incl. control and asks / rejected-frames / decode-failures / back-pressure-events),"
                        + " questions/answers dead-lettered, MiB of payload sent:\n ");
        for (String n : nodes) {
            SoakAccounting.Row r = acc.rows.getOrDefault(n, new SoakAccounting.Row(n));
            t.append(
                    String.format(
                            " %s %d/%d/%d/%d %d/%d %d;",
                            n,
                            r.nodeDeadLetters,
                            r.rejectedFrames,
                            r.decodeFailures,
                            r.backPressureEvents,
                            r.questionsDropped,
                            r.answersDropped,
                            mb(r.bytesSent)));
        }
        t.append('\n');
        t.append(
                String.format(
                        "asks between parent and worker-1: %d, timed out %d; between live processes where one is a restarted"
                                + " successor: %d, timed out %d; restarts:",
                        acc.asksBetweenStable,
                        acc.timedOutBetweenStable,
                        acc.asksWithSuccessors,
                        acc.timedOutWithSuccessors));
        restarts.forEach((v, n) -> t.append(' ').append(v).append(' ').append(n));
        t.append('\n');
        String res = "%-9s %12s %14s %12s %18s %12s%n";
        t.append(
                String.format(
                        res,
                        "process",
                        "pid",
                        "heap MB (gc'd)",
                        "threads",
                        "(pools/parallelism)",
                        "open fds"));
        for (String n : nodes) {
            Sampled b = before.get(n);
            Sampled a = after.get(n);
            boolean same = b.incarnation() == a.incarnation();
            t.append(
                    String.format(
                            res,
                            n,
                            same ? Long.toString(a.pid()) : b.pid() + "/" + a.pid(),
                            mb(b.heapUsedAfterGc()) + " -> " + mb(a.heapUsedAfterGc()),
                            b.threads() + " -> " + a.threads(),
                            b.dispatcherThreads()
                                    + " -> "
                                    + a.dispatcherThreads()
                                    + "/"
                                    + a.dispatcherParallelism(),
                            b.fds() + " -> " + a.fds() + (same ? "" : " (new incarnation)")));
        }
        for (String n : nodes) {
            Sampled b = before.get(n);
            Sampled a = after.get(n);
            if (b.incarnation() == a.incarnation() && !b.threadNames().equals(a.threadNames())) {
                t.append(n)
                        .append(" threads: ")
                        .append(threadDiff(b.threadNames(), a.threadNames()))
                        .append('\n');
            }
        }
        t.append(
                String.format(
                        "Aeron dir %s: %d -> %d bytes (allocated %d -> %d KiB)%n",
                        aeronDir,
                        shmBefore[0],
                        shmAfter[0],
                        shmBefore[1] / 1024,
                        shmAfter[1] / 1024));
        acc.notes.forEach(n -> t.append("note: ").append(n).append('\n'));
        return t.toString();
    }
}
