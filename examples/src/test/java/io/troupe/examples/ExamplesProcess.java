package io.troupe.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The examples' command line in a JVM of its own, as a person starts it in a terminal ({@code java
 * -jar troupe-examples.jar ...}, here with the test class path): for examples whose processes are
 * started by hand, such as {@code chat-room --role room} and {@code --role client}. Its stdout and
 * stderr are collected line by line; its stdin is open for {@link #type}.
 *
 * <p>Close it (also on failure, e.g. in {@code @AfterEach}): that kills the process by its pid if
 * it is still running.
 *
 * <p>Thread safety: the test thread calls it; an internal thread collects the output.
 */
public final class ExamplesProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private ExamplesProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(this::pump, "examples-process-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code ExamplesMain} with {@code args}; {@code name} labels it in failure messages.
     */
    public static ExamplesProcess start(String name, String... args) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--add-exports",
                                "java.base/jdk.internal.misc=ALL-UNNAMED",
                                "-Xmx128m",
                                "-XX:+UseSerialGC",
                                "-cp",
                                System.getProperty("java.class.path"),
                                ExamplesMain.class.getName()));
        command.addAll(List.of(args));
        try {
            return new ExamplesProcess(
                    name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void pump() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * Waits until the process has printed a line that {@code matches} (at any time since it
     * started).
     *
     * @return that line
     * @throws AssertionError with the output so far if none came within {@code timeout}
     */
    public String awaitLine(Predicate<String> matches, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (matches.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            name
                                    + " did not print "
                                    + what
                                    + " within "
                                    + timeout.toMillis()
                                    + " ms\n"
                                    + transcript());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Types {@code line} and Enter. */
    public void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to exit; returns its exit code, or fails with its output. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    name + " did not exit within " + timeout.toMillis() + " ms\n" + transcript());
        }
        return process.exitValue();
    }

    /**
     * @return everything it printed so far, labelled
     */
    public String transcript() {
        synchronized (lines) {
            return "--- " + name + " (pid " + process.pid() + ") ---\n" + String.join("\n", lines);
        }
    }

    /** Kills the process (by its pid) if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
