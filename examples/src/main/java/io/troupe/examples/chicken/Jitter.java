package io.troupe.examples.chicken;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A little CPU work of random length: real threads never take exactly the same time to get to their
 * next step, and this makes that visible within a few tries. It spins rather than sleeps, so it is
 * fair to do inside an actor too.
 *
 * <p>Thread safety: stateless; uses the calling thread's random generator.
 */
final class Jitter {

    private Jitter() {}

    /** Spins for a random time between 0 and {@code maxMicros} microseconds. */
    static void work(int maxMicros) {
        if (maxMicros <= 0) {
            return;
        }
        long until =
                System.nanoTime() + ThreadLocalRandom.current().nextLong(maxMicros * 1_000L + 1);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
