package io.troupe.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds the README's "Quick start in your own project" as a user would: its files, verbatim, in a
 * fresh directory, built by a child {@code mvn test} against the Troupe artifacts this build just
 * packaged. They are laid out in a private local repository under target/ (never ~/.m2, which all
 * worktrees share); every other artifact comes from the shared ~/.m2, read as a file:// mirror, so
 * the child build needs no network.
 *
 * <p>Twice: with Akka's jars listed ahead of Troupe's and after them. Listed ahead, Akka's
 * reference.conf wins the default-mailbox keys over troupe-remote's, which the test confirms (a
 * plain {@code ConfigFactory.load()} in the child shows Akka's mailbox), and the quick start's
 * {@code TroupeConfig.load()} must still give Troupe's, with no warning about it.
 */
class QuickStartTest {

    private static final String SECTION = "## Quick start in your own project";
    private static final Pattern BLOCK =
            Pattern.compile(
                    "```(?:xml|java)\\n(?:<!-- (\\S+) -->|// (\\S+))\\n(.*?)```", Pattern.DOTALL);
    private static final long BUILD_TIMEOUT_SECONDS = 240;

    private static final Path ROOT = Path.of(System.getProperty("troupe.quickstart.root"));
    private static final String VERSION = System.getProperty("troupe.quickstart.version");
    private static final Path WORK = Path.of(System.getProperty("troupe.quickstart.work"));
    private static final Path SHARED_M2 = Path.of(System.getProperty("troupe.quickstart.m2"));
    private static final Path MAVEN = Path.of(System.getProperty("troupe.quickstart.maven"));
    private static final Path REPO = WORK.resolve("repo");

    private static final String AKKA =
            """
                <dependency>
                  <groupId>com.typesafe.akka</groupId>
                  <artifactId>akka-actor-typed_2.13</artifactId>
                  <version>2.6.21</version>
                </dependency>
            """;

    private static final String TROUPE_REMOTE =
            "    <dependency>\n      <groupId>io.troupe</groupId>\n      <artifactId>troupe-remote<";
    private static final String END_OF_DEPENDENCIES = "  </dependencies>\n\n  <build>";

    /**
     * Not in the README: runs the quick start's main as a user would and shows what a plain
     * ConfigFactory.load() would have given on this class path.
     */
    private static final String MAIN_RUN_TEST =
            """
            package com.example;

            import com.typesafe.config.ConfigFactory;
            import org.junit.jupiter.api.Test;

            class MainRunTest {
                @Test
                void shouldRunMain() throws Exception {
                    System.out.println("plain mailbox: " + ConfigFactory.load()
                            .getString("akka.actor.typed.default-mailbox.mailbox-type"));
                    Main.main(new String[0]);
                }
            }
            """;

    private static Map<String, String> files;
    private static final Map<String, Process> builds = new ConcurrentHashMap<>();

    @BeforeAll
    static void installTroupeIntoAPrivateRepository() throws IOException {
        files = quickStartFiles();
        Path troupe = REPO.resolve("io/troupe");
        deleteRecursively(troupe); // third-party artifacts stay: later runs copy nothing again
        install("troupe-parent", ROOT.resolve("pom.xml"), null);
        install("troupe-bom", ROOT.resolve("bom/pom.xml"), null);
        for (String module : List.of("core", "testkit", "remote")) {
            String artifact = "troupe-" + module;
            install(
                    artifact,
                    ROOT.resolve(module).resolve("pom.xml"),
                    ROOT.resolve(module).resolve("target/" + artifact + "-" + VERSION + ".jar"));
        }
        Files.writeString(
                WORK.resolve("settings.xml"),
                """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>shared-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """
                        .formatted(SHARED_M2.toUri()));
        builds.put("akka-first", start("akka-first", TROUPE_REMOTE, AKKA + TROUPE_REMOTE));
        builds.put(
                "akka-after", start("akka-after", END_OF_DEPENDENCIES, AKKA + END_OF_DEPENDENCIES));
    }

    @Test
    void shouldBuildAndRunCleanlyWhenAkkaIsListedAheadOfTroupe() throws Exception {
        String output = finish("akka-first");
        assertTrue(
                output.contains("plain mailbox: akka.dispatch.SingleConsumerOnlyUnboundedMailbox"),
                "with Akka listed first, its reference.conf should win the default mailbox (the"
                        + " trap TroupeConfig.load() avoids); the child build said:\n"
                        + output);
    }

    @Test
    void shouldBuildAndRunCleanlyWhenAkkaIsListedAfterTroupe() throws Exception {
        String output = finish("akka-after");
        assertTrue(
                output.contains("plain mailbox: io.troupe.core.dispatch.CountedMailbox"),
                "with troupe-remote listed first its reference.conf should win; the child build"
                        + " said:\n"
                        + output);
    }

    @AfterAll
    static void killLeftovers() {
        for (Process mvn : builds.values()) {
            mvn.descendants().forEach(ProcessHandle::destroyForcibly);
            mvn.destroyForcibly();
        }
    }

    /**
     * Starts the child build of the quick start in WORK/name, with {@code anchor} in its pom
     * replaced by {@code replacement}; both variants build at once, to keep this check short.
     */
    private static Process start(String name, String anchor, String replacement)
            throws IOException {
        Path project = WORK.resolve(name);
        deleteRecursively(project);
        for (Map.Entry<String, String> file : files.entrySet()) {
            String text = file.getValue();
            if (file.getKey().equals("pom.xml")) {
                assertTrue(text.contains(anchor), "the README's pom.xml no longer has " + anchor);
                text =
                        text.replaceFirst(
                                Pattern.quote(anchor), Matcher.quoteReplacement(replacement));
            }
            write(project.resolve(file.getKey()), text);
        }
        write(project.resolve("src/test/java/com/example/MainRunTest.java"), MAIN_RUN_TEST);
        // The node's Aeron directory and cluster are this run's own, under target/.
        write(
                project.resolve("src/main/resources/application.conf"),
                "troupe.remote.cluster-name = \"quickstart-"
                        + name
                        + "-"
                        + ProcessHandle.current().pid()
                        + "\"\ntroupe.remote.aeron-dir = \""
                        + project.resolve("aeron")
                        + "\"\n");
        ProcessBuilder builder =
                new ProcessBuilder(
                                MAVEN.resolve("bin/mvn").toString(),
                                "-B",
                                "-s",
                                WORK.resolve("settings.xml").toString(),
                                "-Dmaven.repo.local=" + REPO,
                                "test")
                        .directory(project.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(WORK.resolve(name + ".log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("MAVEN_OPTS");
        return builder.start();
    }

    /** Waits for the child build of WORK/name and checks what every variant must show. */
    private static String finish(String name) throws Exception {
        Process mvn = builds.get(name);
        try {
            boolean exited = mvn.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(WORK.resolve(name + ".log"));
            assertTrue(
                    exited,
                    "the quick start's build ran over " + BUILD_TIMEOUT_SECONDS + " s:\n" + output);
            assertEquals(0, mvn.exitValue(), "the quick start's build failed:\n" + output);
            assertTrue(
                    output.contains("Node hello counted to 3"),
                    "Main did not print its count:\n" + output);
            assertTrue(
                    output.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"),
                    "CounterTest and MainRunTest must both run and pass:\n" + output);
            // Logging must work, or the absence of the warning below would prove nothing.
            assertTrue(
                    output.contains(
                            "INFO io.troupe.remote.internal.Transport -- Troupe node hello"),
                    "Troupe's log lines are missing (an SLF4J API without a binding?):\n" + output);
            List<String> mailboxWarnings =
                    output.lines()
                            .filter(line -> line.contains("WARN") && line.contains("mailbox"))
                            .toList();
            assertTrue(
                    mailboxWarnings.isEmpty(),
                    "a warning about the default mailbox: " + mailboxWarnings + "\n" + output);
            return output;
        } finally {
            mvn.descendants().forEach(ProcessHandle::destroyForcibly);
            mvn.destroyForcibly();
            deleteRecursively(WORK.resolve(name).resolve("aeron"));
        }
    }

    /** The files of the README's quick start: each code block that starts with its path. */
    private static Map<String, String> quickStartFiles() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README.md has no section '" + SECTION + "'");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(section);
        while (m.find()) {
            String path = m.group(1) != null ? m.group(1) : m.group(2);
            found.put(path, m.group(3));
        }
        assertEquals(
                List.of(
                        "pom.xml",
                        "src/main/java/com/example/Counter.java",
                        "src/main/java/com/example/Main.java",
                        "src/test/java/com/example/CounterTest.java"),
                new ArrayList<>(found.keySet()),
                "the quick start's files, each a code block whose first line names it");
        return found;
    }

    /** Lays one module out as `mvn install` would, without touching the shared ~/.m2. */
    private static void install(String artifactId, Path pom, Path jar) throws IOException {
        Path dir = REPO.resolve("io/troupe").resolve(artifactId).resolve(VERSION);
        Files.createDirectories(dir);
        String base = artifactId + "-" + VERSION;
        Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            assertTrue(
                    Files.isRegularFile(jar),
                    jar
                            + " is missing: this check runs in `mvn verify`, after the modules are packaged");
            Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }
}
