package io.troupe.remote.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.troupe.remote.launch.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data-sharing archive for pool worker JVMs: the classes a worker loads on its
 * way to "joined" (Akka, Aeron, Kryo, Troupe), parsed and verified once and then mapped by every
 * worker, so that each starts with less CPU. JDK 17's dynamic archive: one training JVM runs {@link
 * WorkerMain} {@code --train} (an actor system and a node in a cluster of its own) with {@code
 * -XX:ArchiveClassesAtExit}; workers then start with {@code -XX:SharedArchiveFile}.
 *
 * <p>An archive is keyed by the JVM and by every class path entry's path, size and modification
 * time, so a rebuilt jar or another JDK gets a new one, never a stale one. It lives in a private
 * directory of the user (0700; a class archive is code), by default {@code
 * ~/.cache/troupe/worker-archives}. CDS takes classes from jars only: with a directory on the class
 * path (an IDE, {@code mvn test}) there is no archive and workers start as before. A worker that
 * cannot map an archive (another JVM flag that CDS checks) starts without it, silently.
 *
 * <p>Settings: {@code troupe.remote.pool.class-data-sharing} ({@code auto} | {@code off}) and
 * {@code troupe.remote.pool.archive-dir}.
 *
 * <p>Thread safety: thread-safe.
 */
public final class WorkerArchive {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerArchive.class);

    /** Flags that keep a worker quiet about an archive it cannot use (it then runs without). */
    static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);

    /** Trainings under way or done in this JVM, by archive file. */
    private static final Map<Path, CompletableFuture<Path>> TRAININGS = new ConcurrentHashMap<>();

    private final boolean enabled;
    private final Path directory;

    private WorkerArchive(boolean enabled, Path directory) {
        this.enabled = enabled;
        this.directory = directory;
    }

    /** The archive settings under {@code troupe.remote.pool}. */
    public static WorkerArchive fromConfig(Config config) {
        String path = "troupe.remote.pool";
        Config pool = config.getConfig(path);
        String mode = pool.getString("class-data-sharing");
        if (!mode.equals("auto") && !mode.equals("off")) {
            throw new ConfigException.BadValue(
                    path + ".class-data-sharing",
                    "is \"" + mode + "\"; choose \"auto\" (the default) or \"off\"");
        }
        String dir = pool.getString("archive-dir");
        Path directory =
                dir.isEmpty()
                        ? Path.of(
                                System.getProperty("user.home"),
                                ".cache",
                                "troupe",
                                "worker-archives")
                        : Path.of(dir);
        if (!directory.isAbsolute()) {
            throw new ConfigException.BadValue(
                    path + ".archive-dir",
                    "is \""
                            + dir
                            + "\", not an absolute path: give one, or \"\" for the default"
                            + " ~/.cache/troupe/worker-archives");
        }
        return new WorkerArchive(mode.equals("auto"), directory);
    }

    /** Why there is no archive for {@code classPath}, or null if there can be one. */
    String unsupported(String classPath) {
        if (!enabled) {
            return "troupe.remote.pool.class-data-sharing = \"off\"";
        }
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && !isEmptyDirectory(p)) {
                return "the class path has a directory ("
                        + entry
                        + "), and class-data sharing takes classes from jars only";
            }
        }
        return null;
    }

    /** The archive for workers on {@code classPath}, whether it exists yet or not. */
    Path archiveFor(String classPath) {
        return directory.resolve("worker-" + key(classPath) + ".jsa");
    }

    /**
     * The JVM options that make a worker on {@code classPath} map its archive: none if there is no
     * archive (yet) or none can be.
     */
    public List<String> jvmOptions(String classPath) {
        if (unsupported(classPath) != null) {
            return List.of();
        }
        Path archive = archiveFor(classPath);
        if (!Files.isRegularFile(archive)) {
            return List.of();
        }
        List<String> options = new ArrayList<>(QUIET);
        options.add("-XX:SharedArchiveFile=" + archive);
        return options;
    }

    /**
     * Makes the archive for workers on {@code classPath} unless it exists: runs the training JVM
     * once per archive and JVM (callers of a training under way share it).
     *
     * @param jvmOptions the workers' own JVM options (the training runs with them, so that the
     *     archive fits the workers' flags)
     * @return the archive, or empty if none can be made (the reason is logged); fails if the
     *     training JVM fails
     */
    public CompletableFuture<Path> prepare(String classPath, List<String> jvmOptions) {
        String why = unsupported(classPath);
        if (why != null) {
            LOG.debug("No class-data-sharing archive for pool workers: {}", why);
            return CompletableFuture.completedFuture(null);
        }
        Path archive = archiveFor(classPath);
        if (Files.isRegularFile(archive)) {
            return CompletableFuture.completedFuture(archive);
        }
        return TRAININGS.computeIfAbsent(
                archive, a -> CompletableFuture.supplyAsync(() -> train(classPath, jvmOptions, a)));
    }

    private Path train(String classPath, List<String> jvmOptions, Path archive) {
        long start = System.nanoTime();
        try {
            Files.createDirectories(directory);
            if (!Files.getPosixFilePermissions(directory).equals(PRIVATE)) {
                Files.setPosixFilePermissions(directory, PRIVATE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create the worker archive directory "
                            + directory
                            + " (troupe.remote.pool.archive-dir): "
                            + e.getMessage(),
                    e);
        }
        Path partial =
                archive.resolveSibling(
                        archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> flags = new ArrayList<>(jvmOptions);
        flags.addAll(QUIET);
        flags.add("-XX:ArchiveClassesAtExit=" + partial);
        try (ChildJvm training =
                ChildJvm.builder(WorkerMain.class)
                        .name("troupe-worker-archive")
                        .classPath(classPath)
                        .jvmOptions(flags)
                        .args(WorkerMain.TRAIN)
                        .keepLines(40)
                        .start()) {
            int status = training.awaitExit(TRAINING_TIMEOUT);
            if (status != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IllegalStateException(
                        "The training JVM for the pool workers' class-data-sharing archive exited with"
                                + " status "
                                + status
                                + " and left "
                                + (Files.isRegularFile(partial)
                                        ? Files.size(partial) + " bytes"
                                        : "no archive")
                                + "; workers start without one. Its output:\n"
                                + training.output());
            }
            Files.move(
                    partial,
                    archive,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            LOG.info(
                    "Made the class-data-sharing archive {} for pool workers ({} KiB, {} ms); later"
                            + " workers on this class path start with it",
                    archive,
                    Files.size(archive) / 1024,
                    (System.nanoTime() - start) / 1_000_000);
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.debug("Could not remove {}: {}", partial, e.toString());
            }
        }
    }

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> PRIVATE =
            PosixFilePermissions.fromString("rwx------");

    /** A digest of the JVM and of each class path entry's path, size and modification time. */
    static String key(String classPath) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ChildJvm.javaExecutable().toString().getBytes(StandardCharsets.UTF_8));
            d.update(System.getProperty("java.vm.version", "").getBytes(StandardCharsets.UTF_8));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path p = Path.of(entry).toAbsolutePath();
                String size = "-";
                String modified = "-";
                try {
                    size = Long.toString(Files.size(p));
                    modified = Files.getLastModifiedTime(p).toString();
                } catch (AccessDeniedException | java.nio.file.NoSuchFileException e) {
                    // an entry that is not there contributes its path only
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                d.update((p + "|" + size + "|" + modified + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isEmptyDirectory(Path p) {
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
