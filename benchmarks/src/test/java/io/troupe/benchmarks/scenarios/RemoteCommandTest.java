package io.troupe.benchmarks.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.benchmarks.BenchmarksMain;
import io.troupe.benchmarks.report.JsonReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the {@code remote} harness from rotting: runs {@code remote --smoke} (with charts) in this
 * JVM (peers and pool workers are real child JVMs on the test class path) and checks that every
 * scenario and system produced a measurement with positive figures and nothing lost, and that no
 * child process and no Aeron directory outlive the run. Never asserts on speed: quick sizes measure
 * nothing.
 */
class RemoteCommandTest {
    private Set<Path> shmBefore;

    @BeforeEach
    void recordSharedMemory() throws IOException {
        shmBefore = benchDirs();
    }

    @AfterEach
    void killLeftoverChildren() {
        // Only if the harness failed to: by pid, each child of this JVM, never by name.
        descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static final RunSizes SIZES = RunSizes.SMOKE;

    @Test
    @Timeout(600) // a safety net, not a speed check: under 2 min on an idle 2-core machine, much
    // more when it is shared
    void shouldMeasureEveryScenarioOnEverySystemWithNothingLostWhenRunInSmokeMode(@TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("remote.json");
        Path charts = dir.resolve("charts");
        StringWriter out = new StringWriter();
        int exit =
                BenchmarksMain.commandLine()
                        .setOut(new PrintWriter(out))
                        .execute(
                                "remote",
                                "--smoke",
                                // Peers on C1 with the serial collector: figures are not checked
                                // here, only that every path runs and loses nothing.
                                "--peer-jvm-arg=-XX:TieredStopAtLevel=1",
                                "--peer-jvm-arg=-XX:+UseSerialGC",
                                "--json",
                                json.toString(),
                                "--charts",
                                charts.toString());
        String table = out.toString();
        assertEquals(0, exit, table);

        List<Map<String, String>> objects = parse(Files.readString(json, StandardCharsets.UTF_8));
        for (String system : RemoteCommand.systemLabels()) {
            Map<String, String> oneWay = find(objects, "one-to-one-throughput", system, table);
            assertPositive(oneWay, "msg_bytes", "msgs_per_s", "sent", "received");
            assertEquals("0", oneWay.get("lost"), "lost in " + oneWay);
            assertEquals("0", oneWay.get("out_of_order"), "out of order in " + oneWay);

            Map<String, String> roundTrip = find(objects, "one-to-one-round-trip", system, table);
            assertPositive(
                    roundTrip,
                    "msg_bytes",
                    "reply_bytes",
                    "round_trips",
                    "p50_us",
                    "p90_us",
                    "p99_us",
                    "p999_us",
                    "max_us");
            assertEquals("0", roundTrip.get("lost"), "lost in " + roundTrip);
            assertTrue(
                    table.contains("\n" + system + " "),
                    "a table row for " + system + " in:\n" + table);

            assertTrue(SIZES.fanLowLatency(), "smoke runs fan-in and fan-out on every system");
            for (int senders : SIZES.fanInSenders()) {
                assertFan(find(objects, "fan-in", system, "senders", senders, table));
            }
            for (int receivers : SIZES.fanOutReceivers()) {
                assertFan(find(objects, "fan-out", system, "receivers", receivers, table));
            }
        }
        // troupe-cluster against akka-artery, from the same run, on akka-artery's rows and below.
        assertPositive(
                find(objects, "one-to-one-throughput", "akka-artery", table),
                "ratio_troupe_cluster_to_system");
        assertPositive(
                find(objects, "one-to-one-round-trip", "akka-artery", table),
                "ratio_troupe_cluster_to_system_p50",
                "ratio_troupe_cluster_to_system_p99");
        assertTrue(table.contains("troupe-cluster / akka-artery"), table);
        Map<String, String> kill = find(objects, "kill-to-terminated", "troupe", table);
        assertPositive(kill, "median_ms", "min_ms", "max_ms");
        assertEquals(SIZES.kills(), kill.get("samples_ms").split(",").length, kill.toString());
        for (int workers : SIZES.poolSizes()) {
            Map<String, String> launch =
                    objects.stream()
                            .filter(
                                    o ->
                                            "pool-launch".equals(o.get("scenario"))
                                                    && Integer.toString(workers)
                                                            .equals(o.get("workers")))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no pool-launch of "
                                                            + workers
                                                            + " in "
                                                            + objects));
            assertPositive(launch, "median_ms");
        }
        assertTrue(
                table.contains("JVM: ")
                        && table.contains("Idle strategies:")
                        && table.contains("Targets"),
                table);
        assertTrue(
                objects.stream().anyMatch(o -> "memory".equals(o.get("scenario"))),
                "memory figures in the JSON: " + objects);
        assertTrue(
                objects.stream().anyMatch(o -> "scaling".equals(o.get("scenario"))),
                "scaling figures in the JSON: " + objects);
        for (String png :
                List.of("round-trip-latency.png", "one-way-throughput.png", "fan-in.png")) {
            BufferedImage image = ImageIO.read(charts.resolve(png).toFile());
            assertTrue(image != null && image.getWidth() > 0, png + " is a PNG image");
        }

        assertNoChildLeft();
        Set<Path> left = benchDirs();
        left.removeAll(shmBefore);
        assertTrue(left.isEmpty(), "Aeron directories left behind: " + left);
    }

    /**
     * The harness closes every child it started; give exiting ones a moment, then none may be
     * alive.
     */
    private static void assertNoChildLeft() throws InterruptedException {
        CompletableFuture<?>[] exits =
                descendants().stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits)
                    .get(10, TimeUnit.SECONDS); // wait on their exits, with a deadline
        } catch (ExecutionException | TimeoutException e) {
            // reported below with the survivors' command lines
        }
        List<ProcessHandle> alive = descendants();
        assertTrue(
                alive.isEmpty(),
                "child processes still alive: "
                        + alive.stream()
                                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                                .collect(Collectors.joining("\n")));
    }

    private static List<ProcessHandle> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }

    private static Set<Path> benchDirs() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(base)) {
            // Only this JVM's: other harness runs on the machine (other users of the same jar) make
            // their own.
            return s.filter(p -> p.getFileName().toString().startsWith(ScratchAeronDir.ownPrefix()))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }

    /**
     * The report read with Jackson, each value as text: numbers as written, lists joined by commas.
     */
    private static List<Map<String, String>> parse(String json) throws IOException {
        List<Map<String, String>> objects = new ArrayList<>();
        for (Map<String, Object> m : JsonReport.read(json)) {
            Map<String, String> fields = new LinkedHashMap<>();
            m.forEach(
                    (k, v) ->
                            fields.put(
                                    k,
                                    v instanceof List<?> list
                                            ? list.stream()
                                                    .map(String::valueOf)
                                                    .collect(Collectors.joining(","))
                                            : String.valueOf(v)));
            objects.add(fields);
        }
        return objects;
    }

    private static Map<String, String> find(
            List<Map<String, String>> objects, String scenario, String system, String table) {
        return objects.stream()
                .filter(o -> scenario.equals(o.get("scenario")) && system.equals(o.get("system")))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "No "
                                                + scenario
                                                + " measurement of "
                                                + system
                                                + "; the run printed:\n"
                                                + table));
    }

    private static Map<String, String> find(
            List<Map<String, String>> objects,
            String scenario,
            String system,
            String countKey,
            int count,
            String table) {
        return objects.stream()
                .filter(
                        o ->
                                scenario.equals(o.get("scenario"))
                                        && system.equals(o.get("system"))
                                        && Integer.toString(count).equals(o.get(countKey)))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "No "
                                                + scenario
                                                + " measurement of "
                                                + system
                                                + " with "
                                                + countKey
                                                + " = "
                                                + count
                                                + "; the run printed:\n"
                                                + table));
    }

    private static void assertFan(Map<String, String> fan) {
        assertPositive(fan, "msg_bytes", "msgs_per_s", "sent", "received", "messages_per_round");
        assertEquals("0", fan.get("lost"), "lost in " + fan);
        assertEquals("0", fan.get("out_of_order"), "out of order in " + fan);
        assertEquals(fan.get("sent"), fan.get("received"), "sent and received in " + fan);
    }

    private static void assertPositive(Map<String, String> object, String... keys) {
        for (String key : keys) {
            String v = object.get(key);
            assertTrue(
                    v != null && !v.equals("null") && Double.parseDouble(v) > 0,
                    key + " must be a positive number in " + object);
        }
    }
}
