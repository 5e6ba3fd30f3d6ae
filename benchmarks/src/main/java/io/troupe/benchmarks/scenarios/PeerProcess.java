package io.troupe.benchmarks.scenarios;

import io.troupe.remote.launch.ChildJvm;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The second process of a scenario: a {@link ChildJvm} (this JVM's {@code java}, class path and
 * Aeron flag) running {@link PeerMain}. Its stdout and stderr are merged; lines starting with
 * {@value PeerMain#LINE_PREFIX} are the peer's answers ({@link #awaitLine}), and the last lines of
 * everything are kept for error messages.
 *
 * <p>The child exits when its stdin closes ({@link #close} closes it first, and the kernel closes
 * it when this process dies, even by SIGKILL), so it never outlives the harness; {@link #close}
 * then kills it by its pid if it has not exited within a few seconds.
 *
 * <p>Thread safety: {@link #awaitLine} and {@link #close} from the harness thread; one daemon pump
 * thread reads the child's output.
 */
public final class PeerProcess implements AutoCloseable {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final ChildJvm child;
    private final String linePrefix;
    private final Deque<String> answers = new ArrayDeque<>(); // guarded by this
    private boolean endOfOutput; // guarded by this
    private String readyLine; // guarded by this

    private PeerProcess(ChildJvm.Builder builder, String name, String linePrefix, boolean echo) {
        this.linePrefix = linePrefix;
        this.child =
                builder.name(name)
                        .keepLines(80)
                        .onLine(
                                line -> {
                                    if (echo) {
                                        System.err.println("[" + name + "] " + line);
                                    }
                                    if (line.startsWith(linePrefix)) {
                                        synchronized (this) {
                                            answers.addLast(line.substring(linePrefix.length()));
                                            notifyAll();
                                        }
                                    }
                                })
                        .start();
        child.outputEnded()
                .thenRun(
                        () -> {
                            synchronized (this) {
                                endOfOutput = true;
                                notifyAll();
                            }
                        });
    }

    /** The JVM flags every peer gets before the caller's own. */
    static List<String> baseJvmFlags() {
        return List.of(ChildJvm.ADD_EXPORTS);
    }

    /**
     * Starts {@code java <flags> <jvmOptions> -cp <this class path> PeerMain <args>}.
     *
     * @param echo copy every output line of the child to this process's stderr, prefixed by its
     *     name
     */
    static PeerProcess start(
            String name, List<String> jvmOptions, List<String> args, boolean echo) {
        return start(name, jvmOptions, PeerMain.class, PeerMain.LINE_PREFIX, args, echo);
    }

    /**
     * Starts {@code java <flags> <jvmOptions> -cp <this class path> <main> <args>}, whose output
     * lines that start with {@code linePrefix} are its answers ({@link #awaitLine}).
     *
     * @param echo copy every output line of the child to this process's stderr, prefixed by its
     *     name
     */
    public static PeerProcess start(
            String name,
            List<String> jvmOptions,
            Class<?> main,
            String linePrefix,
            List<String> args,
            boolean echo) {
        return new PeerProcess(
                ChildJvm.builder(main).jvmOptions(jvmOptions).args(args), name, linePrefix, echo);
    }

    public long pid() {
        return child.pid();
    }

    /** The JVM flags the child got (everything between {@code java} and {@code -cp}). */
    public List<String> jvmFlags() {
        return child.jvmFlags();
    }

    /**
     * Waits for the next answer line and returns it without the prefix. Fails with the child's last
     * output if it does not start with {@code expected}, if the child's output ends, or after
     * {@code timeout}.
     */
    public synchronized String awaitLine(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (answers.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (endOfOutput || left <= 0) {
                    throw new IllegalStateException(
                            "Peer "
                                    + this
                                    + " printed no '"
                                    + expected
                                    + "' within "
                                    + timeout.toMillis()
                                    + " ms ("
                                    + (endOfOutput ? "its output ended" : "timed out")
                                    + ")"
                                    + child.describeOutput());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + this, e);
        }
        String line = answers.removeFirst();
        if (!line.startsWith(expected)) {
            throw new IllegalStateException(
                    "Peer "
                            + this
                            + " answered '"
                            + line
                            + "' where '"
                            + expected
                            + "' was expected"
                            + child.describeOutput());
        }
        if (expected.equals(PeerMain.READY)) {
            readyLine = line;
        }
        return line;
    }

    /**
     * The peer's {@link PeerMain#READY} line once awaited (an Artery peer's ends with its address),
     * else null.
     */
    synchronized String readyLine() {
        return readyLine;
    }

    /** Writes a line to the child's stdin. */
    public void send(String line) {
        child.send(line);
    }

    /** The last lines the child printed, for error messages. */
    String tail() {
        return child.output();
    }

    /**
     * Closes the child's stdin, telling it to leave, without waiting: end several, then {@link
     * #close} each.
     */
    void endInput() {
        child.closeInput();
    }

    /**
     * Ends the child: closes its stdin (it leaves cleanly), waits up to 5 s, then SIGKILLs it (and
     * its descendants) by its pid and waits until it is gone. Safe to call twice.
     */
    @Override
    public void close() {
        child.stop(EXIT_WAIT);
    }

    @Override
    public String toString() {
        return child.name() + " (pid " + child.pid() + ")";
    }
}
