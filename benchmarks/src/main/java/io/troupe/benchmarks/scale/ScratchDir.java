package io.troupe.benchmarks.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * A fresh Aeron directory for one scale measure, {@code /dev/shm/troupe-scale-<uuid>} (or under
 * {@code java.io.tmpdir} without {@code /dev/shm}); not created here, so the first node launches
 * its driver into nothing. {@link #close} removes it and Troupe's {@code <dir>.lock} beside it.
 *
 * <p>Thread safety: immutable apart from deletion; use from the harness thread.
 */
final class ScratchDir implements AutoCloseable {
    /** Every directory a scale measure creates starts with this, so a test can check none is left. */
    static final String PREFIX = "troupe-scale-";

    private final Path path;

    ScratchDir() {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        path = base.resolve(PREFIX + UUID.randomUUID());
    }

    Path path() {
        return path;
    }

    /** Deletes the tree (links not followed) and the lock file. Safe to repeat. */
    @Override
    public void close() {
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the scale measure's Aeron directory " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
