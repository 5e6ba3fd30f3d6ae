package io.troupe.examples.bank;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plain threads, each making the same number of transfers; both halves of the bank example run on
 * these so that the only difference between them is where the balance lives.
 *
 * <p>Thread safety: {@link #run} is called from one thread and returns after the tellers have
 * finished; the transfer action is called concurrently from all tellers.
 */
final class Tellers {

    private Tellers() {}

    /**
     * Starts {@code threads} threads that each call {@code transfer} {@code transfers} times,
     * released together by a start gate so that they overlap, and waits for them.
     *
     * @return how long the transfers took
     * @throws IllegalStateException if a transfer threw (the first failure is the cause) or the
     *     threads did not finish within {@code deadline}
     */
    static Duration run(int threads, int transfers, Runnable transfer, Duration deadline)
            throws InterruptedException {
        CountDownLatch startGate = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> tellers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            Thread teller =
                    new Thread(
                            () -> {
                                try {
                                    startGate.await();
                                    for (int i = 0; i < transfers && failure.get() == null; i++) {
                                        transfer.run();
                                    }
                                } catch (Throwable e) {
                                    failure.compareAndSet(null, e);
                                }
                            },
                            "teller-" + t);
            teller.setDaemon(true); // never keeps the JVM alive if the deadline passes
            tellers.add(teller);
            teller.start();
        }
        long start = System.nanoTime();
        startGate.countDown();
        long deadlineNanos = start + deadline.toNanos();
        for (Thread teller : tellers) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                teller.join(Math.max(1, left / 1_000_000));
            }
            if (teller.isAlive()) {
                throw new IllegalStateException(
                        teller.getName()
                                + " had not finished its "
                                + transfers
                                + " transfers after "
                                + deadline.toMillis()
                                + " ms");
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (failure.get() != null) {
            throw new IllegalStateException("A transfer failed: " + failure.get(), failure.get());
        }
        return elapsed;
    }
}
