package io.troupe.benchmarks.scenarios;

import java.time.Duration;
import java.util.List;

/**
 * How much each measure does: one-way messages per round and rounds, round trips, fan-in and
 * fan-out, kills, pool launches. Three presets: the default (stable figures: several seconds per
 * system), quick (everything in about a minute) and smoke (the least that still exercises every
 * path, for the test that keeps the harness from rotting).
 *
 * <p>Thread safety: immutable.
 *
 * @param messages one-way messages per measured round
 * @param rounds measured one-way rounds (one-to-one, fan-in, fan-out); msgs/s is their median
 * @param warmupMessages one unmeasured one-way round of this many first (fan-in and fan-out: one
 *     unmeasured round of {@code fanMessages} per process count, unless this is 0)
 * @param roundTrips measured round trips
 * @param warmupRoundTrips unmeasured round trips first
 * @param kills SIGKILL-to-Terminated samples
 * @param launchRepeats launches per pool size
 * @param poolSizes the pool sizes launched
 * @param fanMessages messages per fan-in or fan-out round, all senders or receivers together
 * @param fanInSenders the sender process counts of fan-in
 * @param fanOutReceivers the receiver process counts of fan-out
 * @param arteryDivisor {@code akka-artery} and {@code troupe-cluster} (both over Artery TCP) send
 *     this many times fewer messages and round trips (they are that much slower; their figures are
 *     rates and percentiles, so they stay comparable)
 * @param fanLowLatency whether fan-in and fan-out run on {@code troupe-low-latency}, {@code
 *     troupe-event-loop} and {@code troupe-cluster} too: the first's threads spin, N + 2 of them on
 *     a small machine, so its peers start slowly and its figures are mostly contention, and each
 *     {@code troupe-cluster} peer is a JVM that joins an Akka Cluster; quick leaves all three to
 *     the default sizes, to stay short (smoke keeps them, to exercise the path)
 */
record RunSizes(
        long messages,
        int rounds,
        long warmupMessages,
        int roundTrips,
        int warmupRoundTrips,
        int kills,
        int launchRepeats,
        List<Integer> poolSizes,
        long fanMessages,
        List<Integer> fanInSenders,
        List<Integer> fanOutReceivers,
        int arteryDivisor,
        boolean fanLowLatency) {
    static final RunSizes DEFAULT =
            new RunSizes(
                    2_000_000,
                    5,
                    2_000_000,
                    200_000,
                    50_000,
                    10,
                    3,
                    List.of(1, 2, 4),
                    1_000_000,
                    List.of(1, 2, 4),
                    List.of(2, 4),
                    10,
                    true);
    static final RunSizes QUICK =
            new RunSizes(
                    200_000,
                    2,
                    100_000,
                    20_000,
                    5_000,
                    5,
                    1,
                    List.of(1, 2, 4),
                    200_000,
                    List.of(1, 2, 4),
                    List.of(2),
                    20,
                    false);
    // Smoke: 2 senders and 2 receivers on the same two peers (one start per system), on every
    // system; akka-artery still grows its group from the one-to-one runs' single peer, so the
    // growing path is exercised too. Pools of 1 and 2 workers: 4 take the same path, longer.
    static final RunSizes SMOKE =
            new RunSizes(
                    20_000,
                    1,
                    5_000,
                    2_000,
                    500,
                    2,
                    1,
                    List.of(1, 2),
                    20_000,
                    List.of(2),
                    List.of(2),
                    10,
                    true);

    RunSizes {
        if (messages < 1
                || rounds < 1
                || warmupMessages < 0
                || roundTrips < 1
                || warmupRoundTrips < 0
                || kills < 1
                || launchRepeats < 1
                || poolSizes.isEmpty()
                || fanMessages < 1
                || fanInSenders.isEmpty()
                || fanOutReceivers.isEmpty()
                || arteryDivisor < 1
                || fanInSenders.stream().anyMatch(n -> n < 1 || n >= Sequenced.MAX_SENDERS)
                || fanOutReceivers.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException(
                    "Benchmark sizes must be positive (warm-ups may be 0; senders below "
                            + Sequenced.MAX_SENDERS
                            + "): "
                            + this);
        }
        poolSizes = List.copyOf(poolSizes);
        fanInSenders = List.copyOf(fanInSenders);
        fanOutReceivers = List.copyOf(fanOutReceivers);
    }

    RunSizes withMessages(long n) {
        return new RunSizes(
                n,
                rounds,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                fanLowLatency);
    }

    RunSizes withRoundTrips(int n) {
        return new RunSizes(
                messages,
                rounds,
                warmupMessages,
                n,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                fanLowLatency);
    }

    RunSizes withRounds(int n) {
        return new RunSizes(
                messages,
                n,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                fanLowLatency);
    }

    RunSizes withWarmup(long warmupMessages, int warmupRoundTrips) {
        return new RunSizes(
                messages,
                rounds,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                fanLowLatency);
    }

    RunSizes withKills(int n) {
        return new RunSizes(
                messages,
                rounds,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                n,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                fanLowLatency);
    }

    RunSizes withFan(long fanMessages, List<Integer> fanInSenders, List<Integer> fanOutReceivers) {
        return new RunSizes(
                messages,
                rounds,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                fanLowLatency);
    }

    RunSizes withArteryDivisor(int n) {
        return new RunSizes(
                messages,
                rounds,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                n,
                fanLowLatency);
    }

    RunSizes withFanLowLatency(boolean on) {
        return new RunSizes(
                messages,
                rounds,
                warmupMessages,
                roundTrips,
                warmupRoundTrips,
                kills,
                launchRepeats,
                poolSizes,
                fanMessages,
                fanInSenders,
                fanOutReceivers,
                arteryDivisor,
                on);
    }

    /**
     * This run's sizes as {@code system} gets them: the counts of {@code akka-artery} and {@code
     * troupe-cluster} (both over Artery) divided by {@link #arteryDivisor}.
     */
    RunSizes forSystem(BenchSystem system) {
        if (!system.overArtery() || arteryDivisor == 1) {
            return this;
        }
        int d = arteryDivisor;
        return new RunSizes(
                Math.max(1, messages / d),
                rounds,
                warmupMessages / d,
                Math.max(1, roundTrips / d),
                warmupRoundTrips / d,
                kills,
                launchRepeats,
                poolSizes,
                Math.max(1, fanMessages / d),
                fanInSenders,
                fanOutReceivers,
                1,
                fanLowLatency);
    }

    /**
     * How long a one-way round of {@code n} may take before the harness stops waiting and counts
     * what did not arrive as lost: a minute, plus a second per 50,000 messages (far beyond any
     * system here: only a message that will never arrive takes that long).
     */
    static Duration oneWayTimeout(long n) {
        return Duration.ofSeconds(60 + n / 50_000);
    }

    /** How long one round trip may take before it counts as lost. */
    static final Duration ROUND_TRIP_TIMEOUT = Duration.ofSeconds(10);
}
