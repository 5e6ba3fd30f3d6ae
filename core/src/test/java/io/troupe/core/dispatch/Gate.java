package io.troupe.core.dispatch;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds actors' threads until opened, counting how many were held at once. Every wait has a
 * deadline, so a broken dispatcher fails the test instead of hanging it.
 *
 * <p>Thread safety: used by many actor threads and the test thread at once; all state is guarded by
 * the gate's monitor or is a latch.
 */
final class Gate {

    private final CountDownLatch opened = new CountDownLatch(1);
    private final Duration holdAtMost;
    private int entered;
    private int inside;
    private int mostInside;

    Gate(Duration holdAtMost) {
        this.holdAtMost = holdAtMost;
    }

    /** Called on an actor's thread: wait until opened. @return false if the hold deadline passed */
    boolean passThrough() {
        synchronized (this) {
            entered++;
            inside++;
            mostInside = Math.max(mostInside, inside);
            notifyAll();
        }
        try {
            return opened.await(holdAtMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            synchronized (this) {
                inside--;
            }
        }
    }

    /**
     * Waits until {@code count} threads have entered. @return false if the deadline passed first
     */
    synchronized boolean awaitEntered(int count, Duration deadline) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        while (entered < count) {
            long leftNanos = deadlineNanos - System.nanoTime();
            if (leftNanos <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, leftNanos);
        }
        return true;
    }

    void open() {
        opened.countDown();
    }

    synchronized int entered() {
        return entered;
    }

    synchronized int mostInsideAtOnce() {
        return mostInside;
    }
}
