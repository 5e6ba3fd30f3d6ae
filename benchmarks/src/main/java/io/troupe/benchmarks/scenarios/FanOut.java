package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.report.RemoteTable;
import java.util.TreeSet;

/**
 * Aggregate throughput of one sending thread in the harness process to N receiver processes,
 * round-robin: message i goes to receiver i mod N, so each receiver gets its own numbered stream of
 * n = fan-messages / N and the sender's work per message is that of one-to-one. (Each-to-all would
 * measure Aeron's native multicast against N separate tells; round-robin compares the same work
 * everywhere.)
 *
 * <pre>
 *                                              ┌──▶ process B0 (peer): receiver, counts, checks order
 *   process A (harness) main thread ──Small #i─┼──▶ process B1 (peer): receiver
 *                                              └──▶ ... (i mod N)
 * </pre>
 *
 * <ul>
 *   <li>Troupe: the harness tells each peer's {@link Sink} through its remote ref.
 *   <li>{@code aeron-raw}, {@code kryo-aeron}: one publication per receiver ({@code
 *       AeronBaseline.FAN_OUT_BASE + k}); each peer polls its own.
 *   <li>{@code akka-artery}: one send window of {@value ArteryRemoting#WINDOW} per receiver.
 * </ul>
 *
 * A round: each receiver is told ({@code EXPECT n} on its stdin, {@link FanPeer}) and answers it
 * expects; the harness sends N x n messages and the round ends when every receiver printed that it
 * has all of its n. One unmeasured round per N first (of min(fan-messages, warm-up messages));
 * msgs/s is the median of the measured rounds; lost must be 0.
 *
 * <p>Thread safety: runs on the harness thread.
 */
final class FanOut {
    private FanOut() {}

    static RemoteTable.FanOut measure(FanGroup group, int receivers, Run run) {
        FanIn.Rounds r =
                FanIn.Rounds.run(group, receivers, run, RemoteTable.FAN_OUT, group::fanOut);
        return new RemoteTable.FanOut(
                group.system.label(),
                receivers,
                group.msgBytes(),
                receivers * r.perProcess(),
                r.rates(),
                r.sent(),
                r.received(),
                r.outOfOrder(),
                group.system.idleStrategy());
    }

    /**
     * Runs fan-in and/or fan-out for {@code system} on one {@link FanGroup}: the peers are added as
     * the process counts grow (1, 2, 4), so no measurement has an idle extra peer beside it.
     */
    static void runBoth(
            BenchSystem system, Run run, boolean fanIn, boolean fanOut, RemoteTable table) {
        RunSizes s = run.sizes();
        TreeSet<Integer> counts = new TreeSet<>();
        if (fanIn) {
            counts.addAll(s.fanInSenders());
        }
        if (fanOut) {
            counts.addAll(s.fanOutReceivers());
        }
        if (counts.isEmpty()) {
            return;
        }
        try (FanGroup group = FanGroup.start(system, run)) {
            runBoth(group, run, fanIn, fanOut, table);
        }
    }

    /** The same on a group that may already have peers (it only grows). */
    static void runBoth(FanGroup group, Run run, boolean fanIn, boolean fanOut, RemoteTable table) {
        RunSizes s = run.sizes();
        TreeSet<Integer> counts = new TreeSet<>();
        if (fanIn) {
            counts.addAll(s.fanInSenders());
        }
        if (fanOut) {
            counts.addAll(s.fanOutReceivers());
        }
        for (int n : counts) {
            group.growTo(n);
            if (fanIn && s.fanInSenders().contains(n)) {
                RemoteTable.FanIn row = FanIn.measure(group, n, run);
                table.add(row);
                if (row.lost() != 0) {
                    return;
                }
            }
            if (fanOut && s.fanOutReceivers().contains(n)) {
                RemoteTable.FanOut row = measure(group, n, run);
                table.add(row);
                if (row.lost() != 0) {
                    return;
                }
            }
        }
    }
}
