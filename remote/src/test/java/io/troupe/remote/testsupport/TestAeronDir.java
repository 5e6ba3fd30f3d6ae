package io.troupe.remote.testsupport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.launch.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, unique Aeron directory path per test ({@code /dev/shm/troupe-test-<uuid>}, or under
 * {@code java.io.tmpdir} without /dev/shm), not created: tests see a directory nobody used.
 * Registered as an extension it removes the directory and its {@code .lock} file after each test,
 * after the test's own {@code @AfterEach} methods (which kill the children first):
 *
 * <pre>
 * &#64;RegisterExtension final TestAeronDir aeronDir = new TestAeronDir();
 * </pre>
 *
 * <p>Thread safety: immutable apart from deletion; use from the test thread.
 */
public final class TestAeronDir implements AfterEachCallback, AutoCloseable {
    private final Path path;

    public TestAeronDir() {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        path = base.resolve("troupe-test-" + UUID.randomUUID());
    }

    /** The Aeron directory (absolute; may not exist yet). */
    public Path path() {
        return path;
    }

    /** The lock file Troupe keeps beside it. */
    public Path lockFile() {
        return path.resolveSibling(path.getFileName() + ".lock");
    }

    /**
     * Settings for this directory, with {@code troupe.remote} keys overridden as {@code key, value,
     * key, value...}.
     */
    public RemoteSettings settings(String... keyValues) {
        return RemoteSettings.fromConfig(config(keyValues));
    }

    /**
     * Config with {@code troupe.remote.aeron-dir} set to this directory and the given overrides.
     */
    public Config config(String... keyValues) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(RemoteSettings.PREFIX + ".aeron-dir", path.toString());
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            overrides.put(RemoteSettings.PREFIX + "." + keyValues[i], keyValues[i + 1]);
        }
        return ConfigFactory.parseMap(overrides, "test").withFallback(ConfigFactory.load());
    }

    /**
     * JVM options for a child that should use this directory, plus {@code troupe.remote} overrides.
     */
    public List<String> jvmOptions(String... keyValues) {
        List<String> options = new ArrayList<>();
        options.add("-D" + RemoteSettings.PREFIX + ".aeron-dir=" + path);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            options.add("-D" + RemoteSettings.PREFIX + "." + keyValues[i] + "=" + keyValues[i + 1]);
        }
        return options;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * Deletes the directory (recursively, links not followed) and the lock file. Safe to repeat.
     */
    @Override
    public void close() {
        Directories.deleteRecursivelyUnchecked(path, "test Aeron directory");
        try {
            Files.deleteIfExists(lockFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the lock file " + lockFile(), e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
