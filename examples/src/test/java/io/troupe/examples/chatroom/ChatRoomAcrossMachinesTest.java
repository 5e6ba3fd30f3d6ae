package io.troupe.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import io.troupe.examples.ExamplesMain;
import io.troupe.remote.launch.ChildJvm;
import io.troupe.remote.launch.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat-room} across two "machines" on this one: the room on machine A (127.0.0.2, its own
 * Aeron directory, so its own media driver) and a client on machine B (127.0.0.3, another Aeron
 * directory), each a JVM started as a person would start it, joined by Akka Cluster over Artery TCP
 * on free ports. Network only on 127.0.0.x.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChatRoomAcrossMachinesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A directory only this user can enter: the Aeron directories of both machines go in it. */
    @TempDir Path machines;

    private final List<ChildJvm> processes = new ArrayList<>();
    private final List<Path> aeronDirs = new ArrayList<>();

    @AfterEach
    void killWhatIsLeftAndRemoveDirectories() {
        for (ChildJvm p : processes) {
            p.close(); // SIGKILL by pid, its descendants first
        }
        for (Path dir : aeronDirs) {
            Directories.deleteRecursivelyUnchecked(dir, "machine's Aeron directory");
        }
    }

    @Test
    void shouldCarryAPostFromAClientOnMachineBToTheRoomOnMachineA() {
        String cluster = "across-" + UUID.randomUUID().toString().substring(0, 8);
        Path dirA = aeronDir("machine-a");
        Path dirB = aeronDir("machine-b");
        int portA = freePort("127.0.0.2");
        int portB = freePort("127.0.0.3");
        String seed = "127.0.0.2:" + portA;

        ChildJvm room =
                started(
                        "room-on-a",
                        dirA,
                        "chat-room --role room --cluster "
                                + cluster
                                + " --host 127.0.0.2 --port "
                                + portA
                                + " --seed-nodes "
                                + seed);
        String open =
                room.awaitLine(
                        l -> l.startsWith("chat-room: the room is open"),
                        "that the room is open",
                        WAIT);
        assertTrue(open.endsWith("Aeron directory " + dirA + ")"), open);
        room.awaitLine(
                l ->
                        l.equals(
                                "  listening at "
                                        + seed
                                        + " (Artery TCP) for the other machines;"
                                        + " seed nodes "
                                        + seed),
                "where the room listens",
                WAIT);

        ChildJvm alice =
                started(
                        "alice-on-b",
                        dirB,
                        "chat-room --role client --cluster "
                                + cluster
                                + " --name alice --host 127.0.0.3 --port "
                                + portB
                                + " --seed-nodes "
                                + seed);
        alice.awaitLine(
                l ->
                        l.equals(
                                "  this node listens at 127.0.0.3:"
                                        + portB
                                        + " (Artery TCP); Aeron directory "
                                        + dirB),
                "that alice is on machine B",
                WAIT);
        alice.awaitLine(l -> l.startsWith("  joined the room as alice"), "that alice joined", WAIT);
        room.awaitLine(l -> l.equals("  alice joined (1 in the room)"), "alice, in the room", WAIT);

        alice.send("hello from machine B");
        room.awaitLine(
                l -> l.equals("  alice: hello from machine B"), "alice's post, in the room", WAIT);
        alice.awaitLine(l -> l.equals("  alice: hello from machine B"), "alice's post, back", WAIT);

        alice.send("/quit");
        assertEquals(0, alice.awaitExit(WAIT), alice::describeOutput);
        alice.awaitLine(
                l -> l.equals("Result: alice left the room (1 post heard)"),
                "alice's result",
                WAIT);
        room.awaitLine(l -> l.equals("  alice left (0 in the room)"), "that alice left", WAIT);

        room.send("/quit");
        assertEquals(0, room.awaitExit(WAIT), room::describeOutput);
        room.awaitLine(
                l -> l.equals("Result: the room closed after 1 post"), "the room's result", WAIT);

        for (ChildJvm p : List.of(room, alice)) {
            List<String> errors =
                    p.lines().stream()
                            .filter(l -> l.contains("ERROR") || l.contains("Exception"))
                            .toList();
            assertTrue(errors.isEmpty(), p + " logged errors: " + errors);
        }
        // Each machine's driver went with the process that hosted it, and took its directory.
        for (Path dir : List.of(dirA, dirB)) {
            assertFalse(Files.exists(dir), dir + " is left\n" + room.describeOutput());
            assertFalse(
                    Files.exists(dir.resolveSibling(dir.getFileName() + ".lock")),
                    dir + ".lock is left");
        }
    }

    @Test
    void shouldSayWhatIsWrongWithTheOptionsForRunningAcrossMachines() {
        assertUsageError(
                "Option '--host' needs '--seed-nodes'",
                "--role room --cluster lobby --host 127.0.0.2");
        assertUsageError(
                "Option '--port' needs '--seed-nodes'", "--role room --cluster lobby --port 25521");
        assertUsageError(
                "Missing option '--host': with --seed-nodes",
                "--role room --cluster lobby --seed-nodes 127.0.0.2:25520");
        assertUsageError(
                "Option '--seed-nodes' is for --role room and --role client",
                "--seed-nodes 127.0.0.2:25520");
        assertUsageError(
                "Invalid value for option '--host': 'a/b' is not a host name or IPv4 address",
                "--role room --cluster lobby --host a/b");
        assertUsageError(
                "Invalid value for option '--seed-nodes': '127.0.0.2' (in '127.0.0.1:1,127.0.0.2')"
                        + " is not HOST:PORT",
                "--role room --cluster lobby --host 127.0.0.2 --seed-nodes 127.0.0.1:1,127.0.0.2");
        assertUsageError(
                "Invalid value for option '--seed-nodes': '127.0.0.2:0' has port '0', not a number"
                        + " in 1..65535",
                "--role room --cluster lobby --host 127.0.0.2 --seed-nodes 127.0.0.2:0");
        assertUsageError(
                "Invalid value for option '--cluster': 'a.b' has a '.'",
                "--role room --cluster a.b --host 127.0.0.2 --seed-nodes 127.0.0.2:25520");
        // Traffic that leaves the machine: encrypted, or plain TCP chosen with -D.
        assertUsageError(
                "Option '--host 10.0.0.1' is not a loopback address",
                "--role room --cluster lobby --host 10.0.0.1 --seed-nodes 10.0.0.1:25520");
    }

    /** Runs chat-room with {@code args} (split at spaces): a usage error, nothing started. */
    private static void assertUsageError(String message, String args) {
        List<String> all = new ArrayList<>(List.of("chat-room"));
        all.addAll(List.of(args.split(" ")));
        CommandRun run = CommandRun.of(all.toArray(String[]::new));
        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(run.err().startsWith(message), run::transcript);
        assertTrue(run.out().isEmpty(), "nothing started\n" + run.transcript());
    }

    private Path aeronDir(String machine) {
        Path dir = machines.resolve(machine);
        aeronDirs.add(dir);
        return dir;
    }

    /**
     * The examples' command line ({@code commandLine}, split at spaces) in a JVM of its own on
     * "machine" {@code aeronDir}, as a person starts it in a terminal there (here with the test
     * class path); killed by its pid after the test.
     */
    private ChildJvm started(String name, Path aeronDir, String commandLine) {
        ChildJvm p =
                ChildJvm.builder(ExamplesMain.class)
                        .name(name)
                        .maxHeap("128m")
                        .jvmOptions("-XX:+UseSerialGC", "-Dtroupe.remote.aeron-dir=" + aeronDir)
                        .args(commandLine.split(" "))
                        .start();
        processes.add(p);
        return p;
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
