package io.troupe.remote.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One worker JVM started by a pool: the same {@code java} and class path as this process, the Aeron
 * {@code --add-exports} flag, the cluster's settings as {@code -D} options. Its output is pumped by
 * a daemon thread into a bounded tail (for error messages) and optionally echoed to this process's
 * stderr. Its stdin stays open: closing it tells the worker to exit, and the kernel closes it if
 * this process dies, so a worker never outlives its parent.
 *
 * <p>Thread safety: thread-safe.
 */
public final class WorkerProcess {
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private WorkerProcess(String name, Process process, boolean echo, String readyMarker) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(() -> pump(echo, readyMarker), "troupe-worker-output-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code mainClass} with {@code jvmOptions} and {@code args}; {@code readyMarker} is the
     * line that says it is up.
     */
    public static WorkerProcess start(
            String name,
            String mainClass,
            List<String> jvmOptions,
            List<String> args,
            boolean echo,
            String readyMarker) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new WorkerProcess(name, p, echo, readyMarker);
        } catch (IOException e) {
            throw new io.troupe.remote.RemoteException(
                    "Cannot start worker " + name + " (" + String.join(" ", command) + "): " + e,
                    e);
        }
    }

    private void pump(boolean echo, String readyMarker) {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (readyMarker != null && line.startsWith(readyMarker)) {
                    ready.complete(null);
                }
                if (echo) {
                    System.err.println("[" + name + "] " + line);
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
        ready.completeExceptionally(
                new IllegalStateException(
                        "worker " + name + " ended its output before it was ready"));
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

    public CompletableFuture<Void> ready() {
        return ready;
    }

    /** The last lines the worker printed. */
    public String tail() {
        synchronized (tail) {
            return tail.isEmpty() ? "(no output)" : String.join("\n", tail);
        }
    }

    /**
     * Asks the worker to exit (closes its stdin); waits up to {@code millis}, then kills it by its
     * pid.
     */
    public void stop(long millis) {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL to this worker's pid only; waits for it to be gone. */
    public void kill() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
