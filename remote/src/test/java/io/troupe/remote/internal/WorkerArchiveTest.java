package io.troupe.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.launch.Directories;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool workers' class-data-sharing archive, made for real: a training JVM on a class path of
 * jars (this test's own class path, its directories packed into jars) writes it, and a JVM started
 * with the flags workers get loads Akka's and Aeron's classes from it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class WorkerArchiveTest {
    private Path scratch;
    private String jarClassPath;

    @BeforeEach
    void setUp() throws IOException {
        scratch = Files.createTempDirectory("troupe-archive-test");
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                Path jar = scratch.resolve("dir-" + (n++) + ".jar");
                pack(p, jar);
                entries.add(jar.toString());
            } else if (Files.isRegularFile(p)) {
                entries.add(entry);
            }
        }
        jarClassPath = String.join(File.pathSeparator, entries);
    }

    @AfterEach
    void tearDown() throws IOException {
        Directories.deleteRecursively(scratch);
    }

    private WorkerArchive archive(String mode) {
        return WorkerArchive.fromConfig(
                ConfigFactory.parseMap(
                                Map.of(
                                        "troupe.remote.pool.class-data-sharing",
                                        mode,
                                        "troupe.remote.pool.archive-dir",
                                        scratch.resolve("archives").toString()))
                        .withFallback(ConfigFactory.load()));
    }

    @Test
    void shouldMakeAnArchiveThatAWorkersJvmLoadsAkkaAndAeronFrom() throws Exception {
        WorkerArchive archive = archive("auto");
        assertNull(archive.unsupported(jarClassPath), "a class path of jars takes an archive");
        assertEquals(List.of(), archive.jvmOptions(jarClassPath), "none before it is made");

        Path made = archive.prepare(jarClassPath, List.of("-Xmx128m")).get(3, TimeUnit.MINUTES);
        assertNotNull(made);
        assertTrue(Files.size(made) > 1_000_000, made + " is " + Files.size(made) + " bytes");
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(made.getParent())),
                "the archive directory is private");
        try (Stream<Path> files = Files.list(made.getParent())) {
            assertEquals(List.of(made), files.toList(), "no partial archive left");
        }
        assertEquals(made, archive.prepare(jarClassPath, List.of()).get(), "made once");

        List<String> flags = new ArrayList<>(archive.jvmOptions(jarClassPath));
        assertTrue(flags.contains("-XX:SharedArchiveFile=" + made), flags.toString());
        flags.add("-Xmx128m");
        Path classLoads = scratch.resolve("class-load.log");
        flags.add("-Xlog:class+load=info:file=" + classLoads);
        try (ChildJvm probe =
                ChildJvm.builder(ArchiveProbe.class)
                        .classPath(jarClassPath)
                        .jvmOptions(flags)
                        .start()) {
            assertEquals(0, probe.awaitExit(Duration.ofMinutes(1)), probe.output());
            assertTrue(probe.output().contains(ArchiveProbe.LOADED), probe.output());
            String out = Files.readString(classLoads);
            for (String cls : ArchiveProbe.CLASSES) {
                assertTrue(
                        out.contains(cls + " source: shared objects file (top)"),
                        cls + " was not loaded from the archive:\n" + grep(out, cls));
            }
        }
    }

    @Test
    void shouldKeyTheArchiveByTheJarsSoThatARebuiltJarGetsANewOne() throws Exception {
        WorkerArchive archive = archive("auto");
        Path before = archive.archiveFor(jarClassPath);
        Path someJar = Path.of(jarClassPath.split(File.pathSeparator)[0]);
        Files.setLastModifiedTime(
                someJar,
                FileTime.fromMillis(Files.getLastModifiedTime(someJar).toMillis() + 2_000));
        assertNotEquals(before, archive.archiveFor(jarClassPath));
    }

    @Test
    void shouldMakeNoneForADirectoryOnTheClassPathOrWhenOff() throws Exception {
        Path classes = Files.createDirectories(scratch.resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "not really");
        String withDirectory = jarClassPath + File.pathSeparator + classes;
        String why = archive("auto").unsupported(withDirectory);
        assertNotNull(why);
        assertTrue(why.contains(classes.toString()) && why.contains("jars only"), why);
        assertNull(archive("auto").prepare(withDirectory, List.of()).get());
        assertEquals(List.of(), archive("auto").jvmOptions(withDirectory));

        String off = archive("off").unsupported(jarClassPath);
        assertTrue(off.contains("class-data-sharing = \"off\""), off);
        assertNull(archive("off").prepare(jarClassPath, List.of()).get());
    }

    @Test
    void shouldRefuseAnUnknownModeAndARelativeDirectory() {
        Config bad =
                ConfigFactory.parseMap(Map.of("troupe.remote.pool.class-data-sharing", "on"))
                        .withFallback(ConfigFactory.load());
        ConfigException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ConfigException.class, () -> WorkerArchive.fromConfig(bad));
        assertTrue(e.getMessage().contains("\"auto\""), e.getMessage());
        Config relative =
                ConfigFactory.parseMap(Map.of("troupe.remote.pool.archive-dir", "cache"))
                        .withFallback(ConfigFactory.load());
        e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ConfigException.class, () -> WorkerArchive.fromConfig(relative));
        assertTrue(e.getMessage().contains("not an absolute path"), e.getMessage());
    }

    private static String grep(String out, String what) {
        return out.lines()
                .filter(l -> l.contains(what))
                .limit(5)
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out);
                Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(f)) {
                    j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, j);
                    j.closeEntry();
                }
            }
        }
    }

    /** Loads a few classes a worker loads and says so; run with the workers' archive flags. */
    public static final class ArchiveProbe {
        static final String LOADED = "ARCHIVE-PROBE-LOADED";
        static final List<String> CLASSES =
                List.of(
                        "akka.actor.typed.ActorSystem",
                        "io.aeron.Aeron",
                        "io.troupe.remote.RemoteNode");

        public static void main(String[] args) throws Exception {
            for (String c : CLASSES) {
                Class.forName(c);
            }
            System.out.println(LOADED);
        }
    }
}
