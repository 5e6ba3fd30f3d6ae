package io.troupe.examples.chicken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Says a sentence the multithreaded way: one thread per word, all released at once, each saying its
 * word when it gets there. The shared "console" is a thread-safe queue, so no word is torn or lost;
 * only their order is up to the race.
 *
 * <p>Thread safety: {@link #say} may be called from any thread; it starts and joins its own.
 */
final class RacingThreads {

    private RacingThreads() {}

    /**
     * @return the words in the order the threads said them
     * @throws IllegalStateException if the threads have not finished within {@code deadline}
     */
    static List<String> say(List<String> words, int jitterMicros, Duration deadline)
            throws InterruptedException {
        Queue<String> console = new ConcurrentLinkedQueue<>();
        CountDownLatch startGate = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(words.size());
        for (String word : words) {
            Thread thread =
                    new Thread(
                            () -> {
                                try {
                                    startGate.await();
                                } catch (InterruptedException e) {
                                    return; // the example is being abandoned; nothing to say
                                }
                                Jitter.work(jitterMicros);
                                console.add(word);
                            },
                            "chicken-" + word);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        startGate.countDown();
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                throw new IllegalStateException(
                        "Thread "
                                + thread.getName()
                                + " has not said its word within "
                                + deadline.toMillis()
                                + " ms");
            }
        }
        return List.copyOf(console);
    }
}
