package io.troupe.benchmarks.scale;

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
 * A child JVM of a scale measure: {@code java <Aeron flag> <jvmOptions> -cp <this class path>
 * <main> <args>} on this JVM's {@code java}, with stdout and stderr merged. Lines that start with
 * {@value #LINE_PREFIX} are its answers ({@link #awaitAnswer}); the last lines of everything are
 * kept for error messages.
 *
 * <p>The child's main is expected to leave when its stdin ends ({@link IdleNodeMain} does), which
 * {@link #close} causes first and the kernel causes when this process dies, even by SIGKILL;
 * {@link #close} then kills it by its pid if it is still there after a few seconds.
 *
 * <p>Thread safety: {@link #awaitAnswer}, {@link #send} and {@link #close} from one harness
 * thread; one daemon thread per child reads its output.
 */
final class ChildJvm implements AutoCloseable {
    /** What a child prints before each answer meant for the harness. */
    static final String LINE_PREFIX = "SCALE ";
    private static final int TAIL_LINES = 60;
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final List<String> jvmFlags;
    private final Deque<String> tail = new ArrayDeque<>(); // guarded by this
    private final Deque<String> answers = new ArrayDeque<>(); // guarded by this
    private boolean endOfOutput; // guarded by this

    private ChildJvm(String name, Process process, List<String> jvmFlags) {
        this.name = name;
        this.process = process;
        this.jvmFlags = List.copyOf(jvmFlags);
        Thread pump = new Thread(this::pump, "scale-child-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code main} in a new JVM; the caller must {@link #close} it. */
    static ChildJvm start(String name, List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> flags = new ArrayList<>();
        flags.add(JvmFlags.ADD_EXPORTS);
        flags.addAll(jvmOptions);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            return new ChildJvm(name, new ProcessBuilder(command).redirectErrorStream(true).start(), flags);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the child JVM " + name + " (" + command + ")", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The flags between {@code java} and {@code -cp}. */
    List<String> jvmFlags() {
        return jvmFlags;
    }

    /**
     * Waits for the child's next answer and returns it without the prefix. Fails, with the
     * child's last output, when the answer does not start with {@code expected}, when the child's
     * output ends, or after {@code timeout}.
     */
    synchronized String awaitAnswer(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (answers.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (endOfOutput || left <= 0) {
                    throw new IllegalStateException(this + " gave no '" + expected + "' answer within " + timeout.toMillis()
                            + " ms (" + (endOfOutput ? "its output ended" : "timed out") + ")" + describe());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + this, e);
        }
        String answer = answers.removeFirst();
        if (!answer.startsWith(expected)) {
            throw new IllegalStateException(this + " answered '" + answer + "' where '" + expected + "' was expected" + describe());
        }
        return answer;
    }

    /** Writes one line to the child's stdin. */
    void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write '" + line + "' to " + this + describe(), e);
        }
    }

    private synchronized String describe() {
        return "; it is " + (process.isAlive() ? "alive" : "gone (exit " + process.exitValue() + ")")
                + ". Its last output:\n" + String.join("\n", tail);
    }

    /**
     * Ends the child: closes its stdin (it leaves), waits up to 5 s, then SIGKILLs it by its pid
     * and waits until it is gone. Safe to call twice.
     */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed, or the child is gone: the kill below settles it
        }
        try {
            if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(this + " survived SIGKILL for " + KILL_WAIT.toMillis() + " ms");
                }
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (this) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                    if (line.startsWith(LINE_PREFIX)) {
                        answers.addLast(line.substring(LINE_PREFIX.length()));
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
        return "child JVM " + name + " (pid " + process.pid() + ")";
    }
}
