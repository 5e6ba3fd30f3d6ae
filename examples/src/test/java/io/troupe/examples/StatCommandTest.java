package io.troupe.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.remote.RemoteSettings;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.launch.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code stat} against a running example: the chat room with a client, each in its own JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String cluster = "stat-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ChildJvm> processes = new ArrayList<>();

    @AfterEach
    void killWhatIsLeftAndRemoveTheDirectory() throws IOException {
        processes.forEach(ChildJvm::kill);
        Path dir = RemoteSettings.defaultAeronDir(cluster);
        Directories.deleteRecursively(dir);
        Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".lock"));
    }

    @Test
    void shouldShowEveryNodeWithItsMessageCountersWhenTheClusterRuns() {
        ChildJvm room = started("room", "chat-room", "--role", "room", "--cluster", cluster);
        room.awaitLine(l -> l.contains("type /quit"), "that the room is open", WAIT);
        ChildJvm alice =
                started(
                        "alice",
                        "chat-room",
                        "--role",
                        "client",
                        "--cluster",
                        cluster,
                        "--name",
                        "alice");
        alice.awaitLine(l -> l.startsWith("  joined the room as alice"), "that alice joined", WAIT);
        alice.send("hello, room");
        room.awaitLine(l -> l.equals("  alice: hello, room"), "alice's post, in the room", WAIT);

        CommandRun run = CommandRun.of("stat", "--cluster", cluster, "--once");

        assertEquals(0, run.exitCode(), run::transcript);
        assertTrue(
                run.out().contains("cluster " + cluster + " (Aeron directory "), run::transcript);
        assertTrue(
                run.out().contains("driver: pid " + room.pid() + ", heartbeat "),
                "the room hosts the driver\n" + run.transcript());
        assertTrue(run.out().contains("(alive), errors: none"), run::transcript);
        String[] roomRow = row(run, "room");
        String[] aliceRow = row(run, "client-alice");
        // columns: node, 4 rates, msgs in, msgs out, back-pressure, paused, rejected, dead letters
        assertTrue(Long.parseLong(roomRow[5]) > 0, "the room received messages\n" + run.out());
        assertTrue(Long.parseLong(roomRow[6]) > 0, "the room sent messages\n" + run.out());
        assertTrue(Long.parseLong(aliceRow[5]) > 0, "alice received messages\n" + run.out());
        assertTrue(Long.parseLong(aliceRow[6]) > 0, "alice sent messages\n" + run.out());
        assertEquals("0", roomRow[9], "nothing was rejected\n" + run.out());

        alice.send("/quit");
        assertEquals(0, alice.awaitExit(WAIT), alice::describeOutput);
        room.send("/quit");
        assertEquals(0, room.awaitExit(WAIT), room::describeOutput);
    }

    @Test
    void shouldNameTheDirectoryLookedAtWhenNoSuchClusterRuns() {
        CommandRun run = CommandRun.of("stat", "--cluster", cluster, "--once");

        assertEquals(1, run.exitCode(), run::transcript);
        assertTrue(
                run.err()
                        .startsWith(
                                "stat: No cluster '"
                                        + cluster
                                        + "' runs on this machine: its Aeron directory "
                                        + RemoteSettings.defaultAeronDir(cluster)
                                        + " does not exist. "),
                run::transcript);
        assertTrue(
                run.err().contains("This user's clusters here: ")
                        || run.err().contains("This user has no cluster here"),
                run::transcript);
    }

    @Test
    void shouldRejectAnIntervalOutsideItsRangeWhenParsing() {
        CommandRun run = CommandRun.of("stat", "--cluster", cluster, "--interval", "0");

        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(
                run.err()
                        .startsWith(
                                "Invalid value for option '--interval': 0 is outside the allowed"
                                        + " range 1..3600"),
                run::transcript);
    }

    private static String[] row(CommandRun run, String node) {
        return run.lines().stream()
                .filter(l -> l.startsWith(node + " "))
                .findFirst()
                .map(l -> l.trim().split("\\s+"))
                .orElseThrow(() -> new AssertionError("no row for " + node + "\n" + run.out()));
    }

    private ChildJvm started(String name, String... args) {
        ChildJvm p =
                ChildJvm.builder(ExamplesMain.class)
                        .name(name)
                        .maxHeap("128m")
                        .jvmOptions("-XX:+UseSerialGC")
                        .args(args)
                        .start();
        processes.add(p);
        return p;
    }
}
