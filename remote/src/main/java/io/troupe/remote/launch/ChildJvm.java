package io.troupe.remote.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A child JVM on this machine: the running JVM's {@code java}, its class path (or another), the
 * flag Aeron needs ({@link #ADD_EXPORTS}), then the caller's JVM options, system properties and
 * heap, a main class and its arguments. Used for pool workers, benchmark peers, the examples' and
 * the tests' children alike.
 *
 * <pre>{@code
 * ChildJvm child = ChildJvm.builder(MyMain.class)
 *         .systemProperty("troupe.remote.cluster-name", "demo")
 *         .maxHeap("128m")
 *         .logDirectory(Path.of("target", "child-jvms"))
 *         .args("--role", "room")
 *         .start();
 * child.awaitLine("^READY", Duration.ofSeconds(20));
 * ...
 * child.close();   // SIGKILL by pid, with its descendants
 * }</pre>
 *
 * <p>The child's stdout and stderr are merged and read line by line by one daemon thread: into a
 * ring of the last {@link Builder#keepLines} lines (which {@link #awaitLine} searches and failure
 * messages quote), into a log file if one was asked for, and to an optional line listener. Its
 * stdin stays open for {@link #send}: a child that exits at end of input ({@link #closeInput}) also
 * exits when this JVM dies, even by SIGKILL, because the kernel closes the pipe.
 *
 * <p>Thread safety: thread-safe. The line listener runs on the output thread, one line at a time;
 * it must not block. {@link #kill} and {@link #close} are idempotent.
 */
public final class ChildJvm implements AutoCloseable {
    /**
     * Aeron 1.51 (Agrona 2) on Java 17+ fails with {@code IllegalAccessError} in {@code
     * org.agrona.UnsafeApi} without it; every child gets it. One string, so that it can also go
     * into annotations ({@code @Fork(jvmArgsAppend = ...)}).
     */
    public static final String ADD_EXPORTS =
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final int TAIL_LINES = 60;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final List<String> command;
    private final Path logFile;
    private final int keepLines;
    private final Consumer<String> listener;
    private final OutputStream stdin;
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<String> lines = new ArrayDeque<>(); // guarded by lock
    private boolean endOfOutput; // guarded by lock

    private ChildJvm(Builder b, Process process, List<String> command) throws IOException {
        this.name = b.name;
        this.process = process;
        this.command = List.copyOf(command);
        this.keepLines = b.keepLines;
        this.listener = b.listener;
        this.stdin = process.getOutputStream();
        this.logFile =
                b.logDirectory == null
                        ? null
                        : Files.createDirectories(b.logDirectory)
                                .resolve(b.name + "-" + process.pid() + ".log");
        Thread pump = new Thread(this::pump, "child-jvm-output-" + b.name + "-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** A child that runs {@code mainClass}, named after its simple name. */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName()).name(mainClass.getSimpleName());
    }

    /** A child that runs the class named {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** The {@code java} executable of the running JVM. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * How to start a child; {@link #start} may be called more than once (each call starts another
     * child).
     *
     * <p>Thread safety: not thread-safe; configure and start from one thread.
     */
    public static final class Builder {
        private boolean addExports = true;
        private final String mainClass;
        private String name;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private String classPath = System.getProperty("java.class.path");
        private String maxHeap;
        private Path logDirectory;
        private int keepLines = 10_000;
        private Consumer<String> listener;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        /** The name in thread names, log file names and error messages. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** JVM options, in order, after {@link #ADD_EXPORTS} (e.g. {@code -XX:+UseSerialGC}). */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** JVM options, in order, after {@link #ADD_EXPORTS}. */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /** {@code -Dkey=value}. */
        public Builder systemProperty(String key, String value) {
            jvmOptions.add("-D" + key + "=" + value);
            return this;
        }

        /** {@code -Xmx<size>}, e.g. {@code "128m"}. */
        public Builder maxHeap(String size) {
            this.maxHeap = Objects.requireNonNull(size, "size");
            return this;
        }

        /** The class path; by default this JVM's {@code java.class.path}. */
        public Builder classPath(String classPath) {
            this.classPath = Objects.requireNonNull(classPath, "classPath");
            return this;
        }

        /** Arguments of the main class, appended in order. */
        public Builder args(List<String> arguments) {
            args.addAll(arguments);
            return this;
        }

        /** Arguments of the main class, appended in order. */
        public Builder args(String... arguments) {
            return args(List.of(arguments));
        }

        /**
         * Also write all output to {@code <directory>/<name>-<pid>.log} (created if missing): the
         * whole output, where the ring keeps only the last lines.
         */
        public Builder logDirectory(Path directory) {
            this.logDirectory = directory;
            return this;
        }

        /**
         * How many of the last output lines to keep in memory for {@link #awaitLine} and error
         * messages (default 10,000).
         */
        public Builder keepLines(int count) {
            if (count < 1) {
                throw new IllegalArgumentException(
                        "keepLines is " + count + ": keep at least 1 line");
            }
            this.keepLines = count;
            return this;
        }

        /**
         * Called on the output thread with every line the child prints, after it was kept: for
         * answers read in order, a readiness marker, or echoing. Must not block.
         */
        public Builder onLine(Consumer<String> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Leaves out the {@code --add-exports} flag Aeron needs (on by default): for a JVM that
         * runs no Aeron, or to see what a JVM started without it does.
         */
        public Builder withoutAddExports() {
            this.addExports = false;
            return this;
        }

        /** The command line {@link #start} runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable().toString());
            if (addExports) {
                command.add(ADD_EXPORTS);
            }
            command.addAll(jvmOptions);
            if (maxHeap != null) {
                command.add("-Xmx" + maxHeap);
            }
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        /**
         * Starts the child.
         *
         * @throws LaunchException the process could not be started (the message has the command)
         */
        public ChildJvm start() {
            List<String> command = command();
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                try {
                    return new ChildJvm(this, p, command);
                } catch (IOException | RuntimeException e) {
                    p.toHandle().destroyForcibly();
                    throw e;
                }
            } catch (IOException e) {
                throw new LaunchException(
                        "Cannot start the child JVM "
                                + name
                                + " ("
                                + String.join(" ", command)
                                + "): "
                                + e.getMessage()
                                + "; check that the java executable and the log directory are"
                                + " usable",
                        e);
            }
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The whole command line it was started with. */
    public List<String> command() {
        return command;
    }

    /** Its JVM flags: everything between {@code java} and {@code -cp}. */
    public List<String> jvmFlags() {
        return command.subList(1, command.indexOf("-cp"));
    }

    /** The file all output goes to, or null without {@link Builder#logDirectory}. */
    public Path logFile() {
        return logFile;
    }

    /** Completes when the child's output ends: it exited (or closed its stdout and stderr). */
    public CompletableFuture<Void> outputEnded() {
        return outputEnded;
    }

    /**
     * Waits until some output line, printed so far or later, contains a match of {@code regex};
     * returns the first such line.
     */
    public String awaitLine(String regex, Duration timeout) {
        return awaitLine(Pattern.compile(regex), timeout);
    }

    /**
     * Waits until some output line, printed so far or later, contains a match of {@code pattern};
     * returns the first such line.
     */
    public String awaitLine(Pattern pattern, Duration timeout) {
        return awaitLine(
                line -> pattern.matcher(line).find(), "a line matching /" + pattern + "/", timeout);
    }

    /**
     * Waits until some output line, printed so far or later, is one that {@code matches}; returns
     * the first such line. Searches the kept lines (see {@link Builder#keepLines}).
     *
     * @param what the line awaited, for the error message
     * @throws LaunchException with the last output when the deadline passes or the output ends (the
     *     child exited) first
     */
    public String awaitLine(Predicate<String> matches, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String line : lines) {
                    if (matches.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (endOfOutput || left <= 0) {
                    throw new LaunchException(
                            this
                                    + " printed no "
                                    + what
                                    + " within "
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
            throw new LaunchException("Interrupted while waiting for " + this, e);
        } finally {
            lock.unlock();
        }
    }

    /** Writes one line to the child's stdin. */
    public void send(String line) {
        try {
            synchronized (stdin) {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new LaunchException(
                    "Cannot write to the stdin of " + this + ": " + e + describeOutput(), e);
        }
    }

    /** Closes the child's stdin (end of input), without waiting. Safe to repeat. */
    public void closeInput() {
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException e) {
            // the child is gone: nothing to tell it
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
     * Waits for the child to exit and returns its exit code.
     *
     * @throws LaunchException with the last output if it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new LaunchException(
                        this
                                + " did not exit within "
                                + timeout.toMillis()
                                + " ms"
                                + describeOutput());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while waiting for " + this + " to exit", e);
        }
    }

    /**
     * Asks the child to leave ({@link #closeInput}), waits up to {@code grace} for it to exit, then
     * {@link #kill}s it. Safe to repeat.
     */
    public void stop(Duration grace) {
        closeInput();
        try {
            if (process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /**
     * SIGKILLs the child's descendants and then the child, each by its pid (nothing else), and
     * waits until the child is gone. Descendants are listed before the child dies: after that they
     * are reparented and no longer found. Safe to repeat.
     *
     * @throws LaunchException the child survived SIGKILL for 10 s
     */
    public void kill() {
        kill(true);
    }

    /**
     * SIGKILLs the child only, by its pid, as a crash would, and waits until it is gone: its own
     * children are left to notice (a test of what happens when a parent dies uses this). Safe to
     * repeat.
     *
     * @throws LaunchException the child survived SIGKILL for 10 s
     */
    public void killProcessOnly() {
        kill(false);
    }

    private void kill(boolean descendants) {
        ProcessHandle handle = process.toHandle();
        if (descendants) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        handle.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new LaunchException(
                        this + " survived SIGKILL for " + KILL_WAIT.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while killing " + this, e);
        }
    }

    /** {@link #kill}. */
    @Override
    public void close() {
        kill();
    }

    /** The last 60 kept lines of output, for error messages. */
    public String output() {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
    }

    /** All kept lines of output, oldest first. */
    public List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Its state and last output, to append to an error message. */
    public String describeOutput() {
        String state = process.isAlive() ? "alive" : "exited with " + process.exitValue();
        String tail = output();
        return "; it is "
                + state
                + ". Last output"
                + (logFile == null ? "" : " (full log " + logFile.toAbsolutePath() + ")")
                + ":\n"
                + (tail.isEmpty() ? "(none)" : tail);
    }

    private void pump() {
        try (BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        process.getInputStream(), StandardCharsets.UTF_8));
                Writer log =
                        logFile == null
                                ? Writer.nullWriter()
                                : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                lock.lock();
                try {
                    lines.addLast(line);
                    if (lines.size() > keepLines) {
                        lines.removeFirst();
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                if (listener != null) {
                    try {
                        listener.accept(line);
                    } catch (RuntimeException e) {
                        // keep reading: a child whose output is not drained blocks on its next line
                    }
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
            outputEnded.complete(null);
        }
    }

    @Override
    public String toString() {
        return "child JVM " + name + " (pid " + process.pid() + ")";
    }
}
