package io.troupe.remote.soak;

import static org.junit.jupiter.api.Assertions.fail;

import io.troupe.remote.Member;
import io.troupe.remote.RemoteNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The chores both soak modes share: waiting on a condition with a deadline, waiting for a moment,
 * finding a member by name, and killing the test's own worker JVMs by pid.
 *
 * <p>Thread safety: stateless.
 */
final class SoakSupport {
    private SoakSupport() {}

    /**
     * Polls {@code condition} every {@code pollMillis} until it holds; fails after {@code timeout}.
     */
    static void await(String what, Duration timeout, long pollMillis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMillis));
        }
    }

    /** Returns at {@code nanoTime} (System.nanoTime), not before. */
    static void parkUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** The member of {@code node}'s cluster named {@code name}, if one is up. */
    static Optional<Member> member(RemoteNode node, String name) {
        return node.members().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * SIGKILLs each of {@code pids} that still runs (the test's own worker JVMs), and waits 10 s at
     * most for each.
     */
    static void killAll(Set<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid)
                    .ifPresent(
                            p -> {
                                p.destroyForcibly();
                                p.onExit()
                                        .orTimeout(10, TimeUnit.SECONDS)
                                        .exceptionally(e -> null)
                                        .join();
                            });
        }
    }
}
