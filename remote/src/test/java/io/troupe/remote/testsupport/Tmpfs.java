package io.troupe.remote.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs that a test mounts under {@code target/} to see what Troupe does when the Aeron
 * directory's file system is (nearly) full, as a small {@code /dev/shm} is (Docker gives a
 * container 64 MiB). Mounting needs root (CI runs as root): elsewhere {@link #mount} skips the test
 * with the reason (a JUnit assumption). {@link #close()} unmounts it and removes the mount point.
 *
 * <p>Thread safety: use from the test thread.
 */
public final class Tmpfs implements AutoCloseable {
    private static final long COMMAND_SECONDS = 30;
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts a tmpfs of {@code size} (as mount's {@code size=} option, e.g. {@code 6m}), mode 0700,
     * or skips the test when this process cannot mount.
     */
    public static Tmpfs mount(String size) {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "mounting a tmpfs needs root; this test runs as "
                        + System.getProperty("user.name"));
        Path dir = Path.of("target", "tmpfs-" + UUID.randomUUID()).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String result =
                run(
                        "mount",
                        "-t",
                        "tmpfs",
                        "-o",
                        "size=" + size + ",mode=0700",
                        "tmpfs",
                        dir.toString());
        if (result != null) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // best effort: the skip reason matters more
            }
            assumeTrue(
                    false,
                    "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): " + result);
        }
        return new Tmpfs(dir);
    }

    public Path path() {
        return mountPoint;
    }

    /** Unmounts and removes the mount point. */
    @Override
    public void close() {
        String result = run("umount", mountPoint.toString());
        if (result != null) {
            throw new AssertionError("cannot unmount " + mountPoint + ": " + result);
        }
        try {
            Files.deleteIfExists(mountPoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command; null when it succeeded, else its exit code and output. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s";
            }
            String out =
                    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0
                    ? null
                    : String.join(" ", command) + " exited with " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
