package io.troupe.remote.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The transport's and Aeron's threads in this JVM, for tests that assert a node left none behind:
 * Troupe's transport agent ({@code troupe-transport-<node>}), the Aeron client conductor and the
 * media driver's agents.
 *
 * <p>Thread safety: stateless.
 */
public final class Threads {
    private static final Pattern TRANSPORT =
            Pattern.compile(
                    "troupe-transport|aeron|conductor|sender|receiver|driver",
                    Pattern.CASE_INSENSITIVE);

    private Threads() {}

    /** The live transport and Aeron threads, by name. */
    public static Set<String> transportThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> TRANSPORT.matcher(n).find())
                .collect(Collectors.toSet());
    }

    /**
     * Waits (at most {@code timeout}) until no transport or Aeron thread is alive but those in
     * {@code before}; returns those still alive then (empty when none).
     */
    public static List<String> awaitNoNewTransportThreads(Set<String> before, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> extra =
                    transportThreads().stream().filter(n -> !before.contains(n)).sorted().toList();
            if (extra.isEmpty() || System.nanoTime() - deadline > 0) {
                return extra;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
