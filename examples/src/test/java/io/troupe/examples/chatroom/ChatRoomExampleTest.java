package io.troupe.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.examples.CommandRun;
import io.troupe.examples.ExamplesProcess;
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

    private final List<ExamplesProcess> processes = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() throws InterruptedException {
        for (ExamplesProcess p : processes) {
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
        ExamplesProcess room = started("room", "chat-room", "--role", "room", "--cluster", cluster);
        String open =
                room.awaitLine(
                        l -> l.startsWith("chat-room: the room is open"),
                        WAIT,
                        "that the room is open");
        Matcher dir = AERON_DIRECTORY.matcher(open);
        assertTrue(dir.matches(), open);
        Path aeronDir = Path.of(dir.group(1));
        room.awaitLine(l -> l.contains("type /quit"), WAIT, "how to close it");

        ExamplesProcess alice =
                started(
                        "alice",
                        "chat-room",
                        "--role",
                        "client",
                        "--cluster",
                        cluster,
                        "--name",
                        "alice");
        ExamplesProcess bob =
                started(
                        "bob",
                        "chat-room",
                        "--role",
                        "client",
                        "--cluster",
                        cluster,
                        "--name",
                        "bob");
        alice.awaitLine(l -> l.startsWith("  joined the room as alice"), WAIT, "that alice joined");
        bob.awaitLine(l -> l.startsWith("  joined the room as bob"), WAIT, "that bob joined");

        alice.type("hello, bob");
        bob.awaitLine(l -> l.equals("  alice: hello, bob"), WAIT, "alice's post");
        bob.type("hi alice");
        alice.awaitLine(l -> l.equals("  bob: hi alice"), WAIT, "bob's post");
        room.awaitLine(l -> l.equals("  bob: hi alice"), WAIT, "bob's post, in the room");

        alice.type("/quit");
        assertEquals(0, alice.awaitExit(WAIT), alice::transcript);
        alice.awaitLine(
                l -> l.equals("Result: alice left the room (2 posts heard)"),
                WAIT,
                "alice's result");
        room.awaitLine(l -> l.startsWith("  alice left"), WAIT, "that alice left");

        room.type("/quit");
        assertEquals(0, room.awaitExit(WAIT), room::transcript);
        room.awaitLine(
                l -> l.equals("Result: the room closed after 2 posts"), WAIT, "the room's result");
        bob.awaitLine(
                l -> l.equals("Result: the room closed (2 posts heard)"),
                WAIT,
                "that bob saw the room close");
        assertEquals(0, bob.awaitExit(WAIT), bob::transcript);

        assertFalse(Files.exists(aeronDir), aeronDir + " is left\n" + room.transcript());
        assertFalse(
                Files.exists(aeronDir.resolveSibling(aeronDir.getFileName() + ".lock")),
                room.transcript());
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

    private ExamplesProcess started(String name, String... args) {
        ExamplesProcess p = ExamplesProcess.start(name, args);
        processes.add(p);
        return p;
    }
}
