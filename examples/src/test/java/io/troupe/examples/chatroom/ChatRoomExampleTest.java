package io.troupe.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import io.troupe.examples.ExamplesMain;
import io.troupe.remote.launch.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChatRoomExampleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern AERON_DIRECTORY =
            Pattern.compile(".*Aeron directory (\\S+?)\\).*");

    private final List<ChildJvm> processes = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (ChildJvm p : processes) {
            p.close();
        }
    }

    @Test
    void shouldGiveEveryClientEveryPostInTheRoomsOrderWhenClientsAreInWorkerProcesses() {
        CommandRun run = CommandRun.of("chat-room", "--clients", "2", "--posts", "2");

        assertEquals(0, run.exitCode(), run::transcript);
        assertTrue(
                run.out().contains("alice joined from worker-1 (pid ")
                        && run.out().contains("bob joined from worker-2 (pid "),
                run::transcript);
        List<String> conversation =
                run.lines().stream()
                        .filter(l -> l.matches(" {4}(alice|bob): Hello World! .*"))
                        .toList();
        assertEquals(4, conversation.size(), run::transcript);
        for (String who : List.of("alice", "bob")) {
            List<String> own =
                    conversation.stream().filter(l -> l.strip().startsWith(who + ":")).toList();
            assertEquals(2, own.size(), run::transcript);
            assertTrue(
                    own.get(0).endsWith("(1/2)") && own.get(1).endsWith("(2/2)"),
                    "one sender's posts stay in order\n" + run.transcript());
        }
        assertTrue(run.line("heard: alice 4/4, bob 4/4").isPresent(), run::transcript);
        assertEquals(
                "Result: every client got every post: 2 clients heard all 4 posts, each in the room's order",
                run.line("Result:").orElse(""),
                run::transcript);
        run.assertCleanedUp();
    }

    @Test
    void shouldLetPeopleChatFromSeveralTerminalsWhenRoomAndClientsAreStartedByHand()
            throws Exception {
        String cluster = "chat-test-" + UUID.randomUUID().toString().substring(0, 8);
        ChildJvm room = started("room", "chat-room", "--role", "room", "--cluster", cluster);
        String open =
                room.awaitLine(
                        l -> l.startsWith("chat-room: the room is open"),
                        "that the room is open",
                        WAIT);
        Matcher dir = AERON_DIRECTORY.matcher(open);
        assertTrue(dir.matches(), open);
        Path aeronDir = Path.of(dir.group(1));
        room.awaitLine(l -> l.contains("type /quit"), "how to close it", WAIT);

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
        ChildJvm bob =
                started(
                        "bob",
                        "chat-room",
                        "--role",
                        "client",
                        "--cluster",
                        cluster,
                        "--name",
                        "bob");
        alice.awaitLine(l -> l.startsWith("  joined the room as alice"), "that alice joined", WAIT);
        bob.awaitLine(l -> l.startsWith("  joined the room as bob"), "that bob joined", WAIT);

        alice.send("hello, bob");
        bob.awaitLine(l -> l.equals("  alice: hello, bob"), "alice's post", WAIT);
        bob.send("hi alice");
        alice.awaitLine(l -> l.equals("  bob: hi alice"), "bob's post", WAIT);
        room.awaitLine(l -> l.equals("  bob: hi alice"), "bob's post, in the room", WAIT);

        alice.send("/quit");
        assertEquals(0, alice.awaitExit(WAIT), alice::describeOutput);
        alice.awaitLine(
                l -> l.equals("Result: alice left the room (2 posts heard)"),
                "alice's result",
                WAIT);
        room.awaitLine(l -> l.startsWith("  alice left"), "that alice left", WAIT);

        room.send("/quit");
        assertEquals(0, room.awaitExit(WAIT), room::describeOutput);
        room.awaitLine(
                l -> l.equals("Result: the room closed after 2 posts"), "the room's result", WAIT);
        bob.awaitLine(
                l -> l.equals("Result: the room closed (2 posts heard)"),
                "that bob saw the room close",
                WAIT);
        assertEquals(0, bob.awaitExit(WAIT), bob::describeOutput);

        assertFalse(Files.exists(aeronDir), aeronDir + " is left\n" + room.describeOutput());
        assertFalse(
                Files.exists(aeronDir.resolveSibling(aeronDir.getFileName() + ".lock")),
                room.describeOutput());
    }

    @Test
    void shouldSayHowToOpenTheRoomWhenAClientFindsNone() {
        String cluster = "no-room-" + UUID.randomUUID().toString().substring(0, 8);

        CommandRun run =
                CommandRun.of(
                        "chat-room", "--role", "client", "--cluster", cluster, "--name", "carol");

        assertEquals(1, run.exitCode(), run::transcript);
        assertTrue(
                run.line("Result: FAILED: no room is open in cluster '" + cluster + "'")
                        .isPresent(),
                run::transcript);
        assertTrue(
                run.out().contains("chat-room --role room --cluster " + cluster), run::transcript);
    }

    @Test
    void shouldAskForTheClusterAndNameWhenARoleNeedsThem() {
        CommandRun room = CommandRun.of("chat-room", "--role", "room");
        CommandRun client = CommandRun.of("chat-room", "--role", "client", "--cluster", "c");
        CommandRun role = CommandRun.of("chat-room", "--role", "lurker");

        assertEquals(2, room.exitCode(), room::transcript);
        assertTrue(room.err().startsWith("Missing option '--cluster'"), room::transcript);
        assertEquals(2, client.exitCode(), client::transcript);
        assertTrue(client.err().startsWith("Missing option '--name'"), client::transcript);
        assertEquals(2, role.exitCode(), role::transcript);
        assertTrue(
                role.err()
                        .startsWith(
                                "Invalid value for option '--role': 'lurker' is not one of demo, room, client"),
                role::transcript);
    }

    /**
     * The examples' command line in a JVM of its own, as a person starts it in a terminal (here
     * with the test class path); killed by its pid after the test.
     */
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
