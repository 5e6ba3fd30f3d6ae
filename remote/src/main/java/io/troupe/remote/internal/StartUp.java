package io.troupe.remote.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node's start-up as a sequence of steps that each acquire one resource (the media driver and its
 * directory lock, the node-name lock, the Aeron client, counters, system actors, streams, the
 * transport thread): {@link #acquire} records how to release what a step acquired, {@link #done}
 * ends a step, and when a later step fails, {@link #unwind} releases everything acquired so far in
 * reverse order, so that a failed start leaves no thread, lock, driver or file behind. Once every
 * step succeeded, {@link #completed} hands the resources over to their owner (the transport, which
 * closes them in its own {@code close}).
 *
 * <p>Tests inject a failure right after any step through {@link #failAfter}, a package-private hook
 * that nothing else sets.
 *
 * <p>Thread safety: confined to the starting thread.
 */
final class StartUp {
    /** The steps of a node's start, in order. */
    enum Step {
        DRIVER,
        NODE_NAME,
        AERON_CLIENT,
        COUNTERS,
        ACTORS,
        STREAMS,
        AGENT,
        DISCOVERY
    }

    /**
     * Test hook, never set outside tests: the start throws {@link InjectedFailure} right after this
     * step succeeded.
     */
    static volatile Step failAfter;

    private final Deque<Runnable> releases = new ArrayDeque<>();

    /** Runs {@code acquire}, remembering to {@code release} its result if a later step fails. */
    <T> T acquire(Supplier<T> acquire, Consumer<? super T> release) {
        T resource = acquire.get();
        releases.push(() -> release.accept(resource));
        return resource;
    }

    /** Remembers to run {@code release} if a later step fails (for effects, not resources). */
    void onFailure(Runnable release) {
        releases.push(release);
    }

    /** Marks the end of {@code step}: everything it acquires is held from here on. */
    void done(Step step) {
        injectFailure(step);
    }

    /** Every step succeeded: the resources now belong to the caller. */
    void completed() {
        releases.clear();
    }

    /**
     * Releases everything acquired so far, newest first; a release that fails is added to {@code
     * failure} as suppressed and the others still run.
     */
    void unwind(Throwable failure) {
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (RuntimeException | Error e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void injectFailure(Step step) {
        if (failAfter == step) {
            throw new InjectedFailure("injected start-up failure after step " + step);
        }
    }

    /** The failure {@link #failAfter} injects. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
