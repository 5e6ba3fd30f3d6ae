package io.troupe.benchmarks.scenarios;

import io.troupe.remote.launch.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A fresh Aeron directory for one measurement: {@code /dev/shm/troupe-bench-<pid>-<uuid>} (the
 * scale measures' {@code troupe-scale-<pid>-<uuid>}), or under {@code java.io.tmpdir} where there
 * is no {@code /dev/shm}), not created here, so the first process to need it (Troupe's node or the
 * baseline's driver) starts from nothing. {@link #close} removes it and Troupe's {@code <dir>.lock}
 * beside it, whatever the processes left.
 *
 * <p>Thread safety: immutable apart from deletion; use from the harness thread.
 */
public final class ScratchAeronDir implements AutoCloseable {
    /**
     * Every directory the harness's scenarios create starts with this, so a test can check none is
     * left.
     */
    static final String PREFIX = "troupe-bench-";

    /** The same for the scale measures ({@code memory}, {@code scaling}). */
    public static final String SCALE_PREFIX = "troupe-scale-";

    private final Path path;

    ScratchAeronDir() {
        this(PREFIX);
    }

    private ScratchAeronDir(String prefix) {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        path = base.resolve(ownPrefix(prefix) + UUID.randomUUID());
    }

    /** A fresh directory for a scale measure. */
    public static ScratchAeronDir forScale() {
        return new ScratchAeronDir(SCALE_PREFIX);
    }

    /**
     * The prefix of the directories this process creates: with its pid, so that a check ignores
     * other processes' runs.
     */
    static String ownPrefix() {
        return ownPrefix(PREFIX);
    }

    /**
     * {@code prefix} with this process's pid: a check for leftovers then ignores other processes'
     * runs.
     */
    public static String ownPrefix(String prefix) {
        return prefix + ProcessHandle.current().pid() + "-";
    }

    public Path path() {
        return path;
    }

    /** Deletes the directory tree (links not followed) and the lock file. Safe to repeat. */
    @Override
    public void close() {
        Directories.deleteRecursivelyUnchecked(path, "the benchmark's Aeron directory");
        try {
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot remove the lock file of the benchmark's Aeron directory " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
