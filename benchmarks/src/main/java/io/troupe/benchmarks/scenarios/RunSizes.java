package io.troupe.benchmarks.scenarios;

import java.time.Duration;
import java.util.List;

/**
 * How much each measure does: one-way messages per round and rounds, round trips, kills, pool
 * launches. Three presets: the default (stable figures: several seconds per system), quick
 * (everything in under a minute) and smoke (the least that still exercises every path, for the
 * test that keeps the harness from rotting).
 *
 * <p>Thread safety: immutable.
 *
 * @param messages          one-way messages per measured round
 * @param rounds            measured one-way rounds; msgs/s is their median
 * @param warmupMessages    one unmeasured one-way round of this many first
 * @param roundTrips        measured round trips
 * @param warmupRoundTrips  unmeasured round trips first
 * @param kills             SIGKILL-to-Terminated samples
 * @param launchRepeats     launches per pool size
 * @param poolSizes         the pool sizes launched
 */
record RunSizes(long messages, int rounds, long warmupMessages, int roundTrips, int warmupRoundTrips, int kills, int launchRepeats,
                List<Integer> poolSizes) {
    static final RunSizes DEFAULT = new RunSizes(2_000_000, 5, 2_000_000, 200_000, 50_000, 10, 3, List.of(1, 2, 4));
    static final RunSizes QUICK = new RunSizes(200_000, 2, 100_000, 20_000, 5_000, 5, 1, List.of(1, 2, 4));
    static final RunSizes SMOKE = new RunSizes(20_000, 1, 5_000, 2_000, 500, 2, 1, List.of(1, 2, 4));

    RunSizes {
        if (messages < 1 || rounds < 1 || warmupMessages < 0 || roundTrips < 1 || warmupRoundTrips < 0 || kills < 1
                || launchRepeats < 1 || poolSizes.isEmpty()) {
            throw new IllegalArgumentException("Benchmark sizes must be positive (warm-ups may be 0): " + this);
        }
        poolSizes = List.copyOf(poolSizes);
    }

    RunSizes withMessages(long n) {
        return new RunSizes(n, rounds, warmupMessages, roundTrips, warmupRoundTrips, kills, launchRepeats, poolSizes);
    }

    RunSizes withRoundTrips(int n) {
        return new RunSizes(messages, rounds, warmupMessages, n, warmupRoundTrips, kills, launchRepeats, poolSizes);
    }

    RunSizes withRounds(int n) {
        return new RunSizes(messages, n, warmupMessages, roundTrips, warmupRoundTrips, kills, launchRepeats, poolSizes);
    }

    RunSizes withWarmup(long warmupMessages, int warmupRoundTrips) {
        return new RunSizes(messages, rounds, warmupMessages, roundTrips, warmupRoundTrips, kills, launchRepeats, poolSizes);
    }

    RunSizes withKills(int n) {
        return new RunSizes(messages, rounds, warmupMessages, roundTrips, warmupRoundTrips, n, launchRepeats, poolSizes);
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
