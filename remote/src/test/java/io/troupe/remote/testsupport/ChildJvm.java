package io.troupe.remote.testsupport;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A child JVM for multi-process tests: same {@code java.home}, the test class path, Aeron's {@code
 * --add-exports}, a main class and arguments. Its stdout and stderr go (merged) to a log file under
 * {@code target/child-jvms/} and to an in-memory tail that {@link #awaitLine} watches; its stdin
 * stays open for {@link #send}, so a child that exits on end-of-input also dies when the test JVM
 * does.
 *
 * <pre>
 * ChildJvm child = ChildJvm.start(MyMain.class, List.of("-Dkey=value"), "arg");
 * child.awaitLine("READY", Duration.ofSeconds(20));
 * ...
 * &#64;AfterEach void kill() { child.kill(); }   // by PID, that process only
 * </pre>
 *
 * <p>Thread safety: thread-safe; one pump thread per child feeds the output buffer.
 */
public final class ChildJvm implements AutoCloseable {
    /** Aeron 1.51 (Agrona 2) on Java 17+ fails with IllegalAccessError without it. */
    public static final List<String> ADD_EXPORTS =
            List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final int KEPT_LINES = 10_000;
    private static final int TAIL_LINES = 60;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Writer stdin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<String> lines = new ArrayDeque<>(); // guarded by lock
    private boolean endOfOutput; // guarded by lock

    private ChildJvm(String name, Process process, Path logFile) throws IOException {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stdin =
                new BufferedWriter(
                        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(this::pump, "child-jvm-output-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code mainClass} with no extra JVM options. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(mainClass, List.of(), args);
    }

    /**
     * Starts {@code mainClass} with {@code jvmOptions} (e.g. {@code -Dtroupe.remote.aeron-dir=...})
     * and {@code args}.
     */
    public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, String... args) {
        return start(mainClass, true, jvmOptions, args);
    }

    /**
     * Like {@link #start(Class, List, String...)}, but without Aeron's {@code --add-exports}: for
     * tests of what a user who forgot it sees.
     */
    public static ChildJvm startWithoutAddExports(
            Class<?> mainClass, List<String> jvmOptions, String... args) {
        return start(mainClass, false, jvmOptions, args);
    }

    private static ChildJvm start(
            Class<?> mainClass, boolean addExports, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (addExports) {
            command.addAll(ADD_EXPORTS);
        }
        command.add("-Xss1m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Path dir = Files.createDirectories(Path.of("target", "child-jvms"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Path log = dir.resolve(mainClass.getSimpleName() + "-" + process.pid() + ".log");
            return new ChildJvm(mainClass.getSimpleName(), process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until some output line (so far or to come) matches {@code regex}; returns that line.
     */
    public String awaitLine(String regex, Duration timeout) {
        return awaitLine(Pattern.compile(regex), timeout);
    }

    /**
     * Waits until some output line, printed so far or later, contains a match of {@code pattern}
     * and returns the first such line. Fails with the output tail when the deadline passes or the
     * child's output ends (it exited) first. Sees the last 10,000 lines; the log file has all.
     */
    public String awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String line : lines) {
                    if (pattern.matcher(line).find()) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (endOfOutput || left <= 0) {
                    throw new AssertionError(
                            this
                                    + " printed no line matching /"
                                    + pattern
                                    + "/ within "
                                    + timeout.toMillis()
                                    + " ms ("
                                    + (endOfOutput ? "its output ended" : "timed out")
                                    + ")"
                                    + describeOutput());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + this, e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes one line to the child's stdin. */
    public void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the stdin of " + this + describeOutput(), e);
        }
    }

    /**
     * Sends SIGTERM, running the child's shutdown hooks. Signals through {@link ProcessHandle}:
     * {@link Process#destroy()} would also close our end of the child's output, losing what its
     * shutdown hooks print.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Waits for the child to exit and returns its exit code; fails with the output tail on timeout.
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(
                        this
                                + " did not exit within "
                                + timeout.toMillis()
                                + " ms"
                                + describeOutput());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + this, e);
        }
    }

    /**
     * SIGKILLs this child (by its PID, nothing else) and waits until it is gone. Safe to repeat.
     */
    public void kill() {
        ProcessHandle handle = process.toHandle();
        handle.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(
                        this + " survived SIGKILL for " + KILL_WAIT.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing " + this, e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    /** The last lines of output, for failure messages. */
    public String output() {
        lock.lock();
        try {
            List<String> all = new ArrayList<>(lines);
            return String.join("\n", all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
        } finally {
            lock.unlock();
        }
    }

    private String describeOutput() {
        String state = process.isAlive() ? "alive" : "exited with " + process.exitValue();
        return "; it is "
                + state
                + ". Last output (full log "
                + logFile.toAbsolutePath()
                + "):\n"
                + output();
    }

    private void pump() {
        try (BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                lock.lock();
                try {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            // the stream closes when the child dies; nothing more to read
        } finally {
            lock.lock();
            try {
                endOfOutput = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "child JVM " + name + " (pid " + process.pid() + ")";
    }
}
