package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.JvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The second process of a scenario: a child JVM on this JVM's {@code java}, class path and Aeron
 * {@code --add-exports} flag, running {@link PeerMain}. Its stdout and stderr are merged; lines
 * starting with {@value PeerMain#LINE_PREFIX} are the peer's answers ({@link #awaitLine}), and the
 * last lines of everything are kept for error messages.
 *
 * <p>The child exits when its stdin closes ({@link #close} closes it first, and the kernel closes
 * it when this process dies, even by SIGKILL), so it never outlives the harness; {@link #close}
 * then kills it by its pid if it has not exited within a few seconds.
 *
 * <p>Thread safety: {@link #awaitLine} and {@link #close} from the harness thread; one daemon pump
 * thread reads the child's output.
 */
public final class PeerProcess implements AutoCloseable {
    private static final int TAIL_LINES = 80;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final List<String> command;
    private final Deque<String> tail = new ArrayDeque<>(); // guarded by this
    private final Deque<String> answers = new ArrayDeque<>(); // guarded by this
    private final String linePrefix;
    private boolean endOfOutput; // guarded by this
    private String readyLine; // guarded by this

    private PeerProcess(
            String name, Process process, List<String> command, String linePrefix, boolean echo) {
        this.name = name;
        this.linePrefix = linePrefix;
        this.process = process;
        this.command = List.copyOf(command);
        Thread pump = new Thread(() -> pump(echo), "peer-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** The JVM flags every peer gets before the caller's own. */
    static List<String> baseJvmFlags() {
        return List.of(JvmFlags.ADD_EXPORTS);
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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(baseJvmFlags());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new PeerProcess(name, p, command, linePrefix, echo);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the child JVM " + name + ": " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The JVM flags the child got (everything between {@code java} and {@code -cp}). */
    public List<String> jvmFlags() {
        return command.subList(1, command.indexOf("-cp"));
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
                                    + describe());
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
                            + describe());
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
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + this + describe(), e);
        }
    }

    /** The last lines the child printed, for error messages. */
    synchronized String tail() {
        return String.join("\n", tail);
    }

    private String describe() {
        return "; it is "
                + (process.isAlive() ? "alive" : "gone (exit " + process.exitValue() + ")")
                + ". Its last output:\n"
                + tail();
    }

    /**
     * Closes the child's stdin, telling it to leave, without waiting: end several, then {@link
     * #close} each.
     */
    void endInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed or the child is gone: close() settles it
        }
    }

    /**
     * Ends the child: closes its stdin (it leaves cleanly), waits up to 5 s, then SIGKILLs it by
     * its pid and waits until it is gone. Safe to call twice.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed or the child is gone: the kill below settles it
        }
        try {
            if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(
                            "Peer "
                                    + this
                                    + " survived SIGKILL for "
                                    + KILL_WAIT.toMillis()
                                    + " ms");
                }
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void pump(boolean echo) {
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (echo) {
                    System.err.println("[" + name + "] " + line);
                }
                synchronized (this) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                    if (line.startsWith(linePrefix)) {
                        answers.addLast(line.substring(linePrefix.length()));
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        } finally {
            synchronized (this) {
                endOfOutput = true;
                notifyAll();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
