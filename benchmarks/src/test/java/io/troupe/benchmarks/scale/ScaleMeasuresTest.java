package io.troupe.benchmarks.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.benchmarks.report.JsonReport;
import io.troupe.benchmarks.scenarios.ScratchAeronDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs both scale measures with their smoke sizes (real child JVMs on the test class path) and
 * checks that every figure is there and plausible, that the result renders and goes to JSON, and
 * that no child process and no Aeron directory outlive a run. Never asserts on speed.
 */
class ScaleMeasuresTest {
    private Set<Path> shmBefore;

    @BeforeEach
    void recordSharedMemory() throws IOException {
        shmBefore = scaleDirs();
    }

    @AfterEach
    void killLeftoverChildren() {
        // Only if the measure failed to: by pid, each child of this JVM, never by name.
        ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Timeout(180)
    void shouldMeasureRssAndSharedMemoryOfEveryNodeCountWhenRunWithSmokeSizes() throws Exception {
        List<String> progress = new ArrayList<>();
        MemoryFootprint.Result r =
                MemoryFootprint.run(
                        MemoryFootprint.Sizes.SMOKE, List.of("-Xmx128m"), progress::add);

        assertTrue(
                r.akka().rssBytes() > 20L * 1024 * 1024,
                "a bare Akka JVM holds more than 20 MiB: " + r.akka());
        assertEquals(
                MemoryFootprint.Sizes.SMOKE.nodeCounts(),
                r.steps().stream().map(MemoryFootprint.Step::nodes).toList());
        for (MemoryFootprint.Step s : r.steps()) {
            assertEquals(s.nodes() - 1, s.others().size(), s.toString());
            assertTrue(s.host().rssBytes() > r.akka().rssBytes() / 2, "host RSS " + s.host());
            // The host's driver maps and fills cnc.dat; every node adds a log buffer (its inbound
            // stream).
            assertTrue(s.shm().allocatedBytesOf("cnc.dat") > 1024 * 1024, s.shm().toString());
            assertTrue(s.shm().countOf(".logbuffer") >= s.nodes(), s.shm().toString());
            assertTrue(s.shm().apparentBytes() >= s.shm().allocatedBytes() / 2, s.shm().toString());
            assertTrue(s.host().shmemBytes() > 0, "the host maps the driver's files: " + s.host());
        }
        assertTrue(r.jvmFlags().contains("-Xmx128m"), r.jvmFlags().toString());
        assertEquals(r.steps().size(), progress.size(), progress.toString());

        String table = r.render();
        assertTrue(
                table.contains("akka 2.6.21, no remoting (floor)")
                        && table.contains("troupe, 2 nodes: other (median)")
                        && table.contains(
                                "Reported, not measured: " + MemoryFootprint.ARTERY_REPORTED),
                table);
        JsonReport json = new JsonReport();
        r.addTo(json);
        assertEquals(1 + r.steps().size() + 1, json.size(), json.render());
        List<Map<String, Object>> measurements = JsonReport.read(json.render());
        assertTrue(
                measurements.stream()
                        .anyMatch(
                                m ->
                                        List.of("scenario", "system", "msg_bytes", "nodes")
                                                        .equals(
                                                                List.copyOf(m.keySet())
                                                                        .subList(0, 4))
                                                && m.get("scenario").equals("memory")
                                                && m.get("system").equals("troupe")
                                                && m.get("msg_bytes").equals(0)
                                                && m.get("nodes").equals(2)),
                json.render());
        assertTrue(
                measurements.stream().anyMatch(m -> Boolean.FALSE.equals(m.get("measured"))),
                json.render());

        assertNothingLeft();
    }

    @Test
    @Timeout(180)
    void shouldTimeEveryWorkerCountAndAgreeOnTheCountWhenRunWithSmokeSizes() throws Exception {
        List<String> progress = new ArrayList<>();
        PiScaling.Result r = PiScaling.run(PiScaling.Sizes.SMOKE, progress::add);

        assertTrue(r.consistent(), r.render());
        assertEquals(
                PiScaling.Sizes.SMOKE.workerCounts(),
                r.rows().stream().map(PiScaling.Workers::workers).toList());
        assertEquals(
                PiScaling.Sizes.SMOKE.samplesPerChunk() * PiScaling.Sizes.SMOKE.chunks(),
                r.samples());
        assertTrue(
                Math.abs(r.pi() - Math.PI) < 0.01, "pi from " + r.samples() + " points: " + r.pi());
        for (PiScaling.Workers w : r.rows()) {
            assertEquals(PiScaling.Sizes.SMOKE.repeats(), w.computeMillis().size(), w.toString());
            assertTrue(
                    w.startupMillis() > 0 && w.coldMillis() > 0 && w.medianComputeMillis() > 0,
                    w.toString());
            assertEquals(
                    PiScaling.Sizes.SMOKE.chunks(),
                    w.chunksPerWorker().stream().mapToInt(Integer::intValue).sum(),
                    w.toString());
            assertEquals(w.workers(), w.chunksPerWorker().size(), w.toString());
        }
        assertTrue(r.speedUp() > 0 && Double.isFinite(r.speedUp()), r.render());
        // cold estimate per worker count, then each worker count once per repeat
        assertEquals(
                r.rows().size() * (1 + PiScaling.Sizes.SMOKE.repeats()),
                progress.size(),
                progress.toString());

        String table = r.render();
        assertTrue(
                table.contains("speed-up 2 vs 1 workers")
                        && table.contains("the same points inside the circle"),
                table);
        JsonReport json = new JsonReport();
        r.addTo(json);
        assertEquals(r.rows().size(), json.size(), json.render());
        assertTrue(
                JsonReport.read(json.render()).stream()
                        .anyMatch(m -> m.get("speed_up") instanceof Number),
                json.render());

        assertNothingLeft();
    }

    private void assertNothingLeft() throws IOException, InterruptedException {
        CompletableFuture<?>[] exits =
                ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .map(ProcessHandle::onExit)
                        .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits)
                    .get(10, TimeUnit.SECONDS); // wait on their exits, with a deadline
        } catch (ExecutionException | TimeoutException e) {
            // reported below with the survivors' command lines
        }
        List<ProcessHandle> alive =
                ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        assertTrue(
                alive.isEmpty(),
                "child processes still alive: "
                        + alive.stream()
                                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                                .collect(Collectors.joining("\n")));
        Set<Path> left = scaleDirs();
        left.removeAll(shmBefore);
        assertTrue(left.isEmpty(), "Aeron directories left behind: " + left);
    }

    private static Set<Path> scaleDirs() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(
                            p ->
                                    p.getFileName()
                                            .toString()
                                            .startsWith(
                                                    ScratchAeronDir.ownPrefix(
                                                            ScratchAeronDir.SCALE_PREFIX)))
                    .collect(Collectors.toCollection(HashSet::new));
        }
    }
}
