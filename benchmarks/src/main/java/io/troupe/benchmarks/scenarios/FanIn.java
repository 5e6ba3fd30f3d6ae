package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.report.RemoteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Aggregate throughput of N sender processes into one receiver: the receiver is in the harness
 * process, each sender is a peer JVM with one sending thread. N = 1, 2, 4 by default, which is also
 * the scaling figure (each row's msgs/s against the same system's with one sender).
 *
 * <pre>
 *   process B0 (peer) main thread ──Small(sender 0, #0..n-1)──┐
 *   process B1 (peer) main thread ──Small(sender 1, #0..n-1)──┼──▶ process A (harness): one receiver
 *   ...                                                        │    counts, checks each sender's order
 *   process Bk (peer) main thread ──Small(sender k, #0..n-1)──┘
 * </pre>
 *
 * <ul>
 *   <li>Troupe: each peer node tells the {@link Sink} actor the harness node published.
 *   <li>{@code aeron-raw}, {@code kryo-aeron}: each peer offers to one IPC stream ({@link
 *       AeronBaseline#FAN_IN}, one log shared by all publishers, as Aeron intends for many-to-one);
 *       the harness's thread polls it.
 *   <li>{@code akka-artery}: each peer's thread tells the harness's {@link ArterySink} through a
 *       send window of {@value ArteryRemoting#WINDOW} ({@link ArteryRemoting.Window}).
 * </ul>
 *
 * A round: the harness's receiver expects N x n messages, the harness writes {@code SEND n} to
 * every sender's stdin at once ({@link FanPeer}), and the round ends when the receiver has them
 * all. n = fan-messages / N, so every round moves the same total. One unmeasured round per N first
 * (of min(fan-messages, warm-up messages)); msgs/s is the median of the measured rounds; lost (sent
 * − received) must be 0.
 *
 * <p>On a 2-core machine, 4 senders, the receiver and the media driver share two cores: the figures
 * with more senders show contention as much as scaling.
 *
 * <p>Thread safety: runs on the harness thread.
 */
final class FanIn {
    private FanIn() {}

    /**
     * Measures N = {@code senders} with the group's first {@code senders} peers; null if a round
     * lost messages before any was measured.
     */
    static RemoteTable.FanIn measure(FanGroup group, int senders, Run run) {
        Rounds r = Rounds.run(group, senders, run, RemoteTable.FAN_IN, group::fanIn);
        return new RemoteTable.FanIn(
                group.system.label(),
                senders,
                group.msgBytes(),
                senders * r.perProcess(),
                r.rates(),
                r.sent(),
                r.received(),
                r.outOfOrder(),
                group.system.idleStrategy());
    }

    /**
     * The rounds of one fan measurement (fan-in or fan-out, N processes): one warm-up round of
     * min(fan-messages, warm-up messages) first, then the measured ones; it stops at a round that
     * lost messages, since a late message would count in the next one (the row shows the loss).
     *
     * @param perProcess messages each of the N processes sends or receives in a measured round
     */
    record Rounds(List<Double> rates, long sent, long received, long outOfOrder, long perProcess) {
        static Rounds run(
                FanGroup group,
                int n,
                Run run,
                String scenario,
                BiFunction<Integer, Long, FanGroup.Round> round) {
            RunSizes s = run.sizes().forSystem(group.system);
            long perProcess = Math.max(1, s.fanMessages() / n);
            List<Double> rates = new ArrayList<>();
            long sent = 0;
            long received = 0;
            long outOfOrder = 0;
            int total = s.rounds() + (s.warmupMessages() > 0 ? 1 : 0);
            for (int i = 0; i < total; i++) {
                boolean warmup = s.warmupMessages() > 0 && i == 0;
                // The warm-up round moves min(fan-messages, warm-up messages): enough to warm the
                // new peers' code paths.
                long each =
                        warmup
                                ? Math.max(1, Math.min(s.fanMessages(), s.warmupMessages()) / n)
                                : perProcess;
                FanGroup.Round r = round.apply(n, each);
                sent += r.sent();
                received += r.received();
                outOfOrder += r.outOfOrder();
                if (!warmup) {
                    rates.add(r.rate());
                }
                run.progress(
                        "%s %s x%d %s: %,d msgs in %.0f ms, %,.0f msgs/s, %d missing",
                        scenario,
                        group.system,
                        n,
                        warmup ? "warm-up" : "round " + rates.size(),
                        r.sent(),
                        r.nanos() / 1e6,
                        r.rate(),
                        r.sent() - r.received());
                if (r.received() != r.sent()) {
                    if (rates.isEmpty()) {
                        rates.add(r.rate());
                    }
                    break;
                }
            }
            return new Rounds(rates, sent, received, outOfOrder, perProcess);
        }
    }
}
