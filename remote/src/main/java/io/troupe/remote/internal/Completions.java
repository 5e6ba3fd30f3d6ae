package io.troupe.remote.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;

/**
 * Completes the futures of lookups and spawns off the transport thread, so that user callbacks
 * cannot stall it: on the actor system's dispatcher while it runs, and on the common pool once it
 * is shut down (a dispatcher of a terminated system may drop a task silently, and a future must
 * complete in every state of the node).
 *
 * <p>Thread safety: thread-safe.
 */
final class Completions {
    private final Executor dispatcher;
    private volatile boolean dispatcherGone;

    Completions(Executor dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** From now on, complete on the common pool (the actor system is terminating). */
    void dispatcherGone() {
        dispatcherGone = true;
    }

    <T> void complete(CompletableFuture<T> future, T value) {
        run(() -> future.complete(value));
    }

    void fail(CompletableFuture<?> future, Throwable error) {
        run(() -> future.completeExceptionally(error));
    }

    private void run(Runnable task) {
        if (!dispatcherGone) {
            try {
                dispatcher.execute(task);
                return;
            } catch (RejectedExecutionException e) {
                dispatcherGone = true;
            }
        }
        ForkJoinPool.commonPool().execute(task);
    }
}
