package io.troupe.remote.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removing a directory tree: the one recursive delete of the project (Aeron directories of drivers,
 * tests and benchmarks).
 *
 * <p>Thread safety: stateless; two threads deleting the same tree race harmlessly (a file already
 * gone is fine).
 */
public final class Directories {
    private Directories() {}

    /**
     * Deletes {@code dir} and everything below it. Symbolic links are removed, never followed, so a
     * link inside the tree cannot make this delete files outside it. A missing {@code dir} is fine.
     *
     * @throws IOException the first file or directory that could not be removed
     */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(
                dir,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e)
                            throws IOException {
                        if (e != null) {
                            throw e;
                        }
                        Files.deleteIfExists(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /**
     * {@link #deleteRecursively} for callers that cannot recover from a failure anyway (test
     * teardown, a benchmark's scratch directory): an {@link IOException} becomes an {@link
     * UncheckedIOException} whose message names {@code what} and the path.
     */
    public static void deleteRecursivelyUnchecked(Path dir, String what) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + what + " " + dir + ": " + e, e);
        }
    }
}
