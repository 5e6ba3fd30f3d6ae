package io.troupe.remote.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.remote.RemoteSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private copy of the default layout for one test: a fresh base directory ({@code
 * /dev/shm/troupe-tree-<uuid>}, or any base the test gives, e.g. a tmpfs it mounted) holding the
 * per-user directory {@code troupe-<user>} and, in it, the cluster's Aeron directory. Unlike the
 * real {@code /dev/shm/troupe-<user>}, nothing else on the machine uses it, so a test can assert
 * that the per-user directory is gone after the last node left ({@link #assertNothingLeft}).
 * Registered as an extension it deletes the base after each test.
 *
 * <p>Thread safety: use from the test thread.
 */
public final class UserDirTree implements AfterEachCallback {
    private final Path base;
    private final boolean ownsBase;

    /** A fresh base under /dev/shm (or java.io.tmpdir), created now. */
    public UserDirTree() {
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        this.base = root.resolve("troupe-tree-" + UUID.randomUUID());
        this.ownsBase = true;
        try {
            Files.createDirectory(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree under {@code base}, which the caller created and removes. */
    public UserDirTree(Path base) {
        this.base = base;
        this.ownsBase = false;
    }

    public Path base() {
        return base;
    }

    /** The per-user directory, {@code <base>/troupe-<user>}. */
    public Path userDir() {
        return base.resolve(RemoteSettings.defaultAeronDir("x").getParent().getFileName());
    }

    /** The Aeron directory of {@code cluster}, {@code <base>/troupe-<user>/<cluster>}. */
    public Path aeronDir(String cluster) {
        return userDir().resolve(cluster);
    }

    /** Config for a node of {@code cluster} in this tree, plus {@code troupe.remote} overrides. */
    public Config config(String cluster, String... keyValues) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(RemoteSettings.PREFIX + ".cluster-name", cluster);
        overrides.put(RemoteSettings.PREFIX + ".aeron-dir", aeronDir(cluster).toString());
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            overrides.put(RemoteSettings.PREFIX + "." + keyValues[i], keyValues[i + 1]);
        }
        return ConfigFactory.parseMap(overrides, "test").withFallback(ConfigFactory.load());
    }

    public RemoteSettings settings(String cluster, String... keyValues) {
        return RemoteSettings.fromConfig(config(cluster, keyValues));
    }

    /** Asserts that the base is empty: no Aeron directory, lock file or per-user directory. */
    public void assertNothingLeft(String context) {
        assertEquals(List.of(), list(), "left behind in " + base + " " + context);
    }

    /** Everything under the base, for assertions and messages. */
    public List<String> list() {
        if (!Files.exists(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> !p.equals(base)).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        delete(ownsBase ? base : userDir());
    }

    private static void delete(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(
                    path,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e)
                                throws IOException {
                            Files.deleteIfExists(dir);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path, e);
        }
    }
}
