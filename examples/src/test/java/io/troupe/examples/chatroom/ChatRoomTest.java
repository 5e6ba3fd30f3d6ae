package io.troupe.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.troupe.testkit.ActorTestKitExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatRoomTest {

    @RegisterExtension static final ActorTestKitExtension testKit = new ActorTestKitExtension();

    @Test
    void shouldHandEveryPostToEverySessionInOneOrder() {
        ActorRef<ChatRoom.Command> room = testKit.spawn(ChatRoom.create(line -> {}));
        TestProbe<ChatRoom.SessionEvent> alice = testKit.createTestProbe();
        TestProbe<ChatRoom.SessionEvent> bob = testKit.createTestProbe();
        ActorRef<ChatRoom.PostMessage> aliceHandle = join(room, alice, "alice");
        ActorRef<ChatRoom.PostMessage> bobHandle = join(room, bob, "bob");

        aliceHandle.tell(new ChatRoom.PostMessage("hi"));
        alice.expectMessage(new ChatRoom.MessagePosted("alice", "hi"));
        bobHandle.tell(new ChatRoom.PostMessage("hello"));

        List<ChatRoom.SessionEvent> expected =
                List.of(
                        new ChatRoom.MessagePosted("alice", "hi"),
                        new ChatRoom.MessagePosted("bob", "hello"));
        assertEquals(expected, bob.receiveSeveralMessages(2));
        assertEquals(expected.subList(1, 2), alice.receiveSeveralMessages(1));
        TestProbe<ChatRoom.Log> log = testKit.createTestProbe();
        room.tell(new ChatRoom.GetLog(log.getRef()));
        assertEquals(
                new ChatRoom.Log(
                        List.of(
                                new ChatRoom.MessagePosted("alice", "hi"),
                                new ChatRoom.MessagePosted("bob", "hello"))),
                log.receiveMessage());
    }

    @Test
    void shouldDenyATakenNameAndASecondSessionForOneClient() {
        ActorRef<ChatRoom.Command> room = testKit.spawn(ChatRoom.create(line -> {}));
        TestProbe<ChatRoom.SessionEvent> alice = testKit.createTestProbe();
        TestProbe<ChatRoom.SessionEvent> impostor = testKit.createTestProbe();
        join(room, alice, "alice");

        room.tell(new ChatRoom.GetSession("alice", impostor.getRef()));
        room.tell(new ChatRoom.GetSession("alice-again", alice.getRef()));

        assertEquals(
                new ChatRoom.SessionDenied("the screen name 'alice' is taken"),
                impostor.receiveMessage());
        assertEquals(
                new ChatRoom.SessionDenied("this client already has a session, as 'alice'"),
                alice.receiveMessage());
    }

    @Test
    void shouldFreeTheNameWhenItsClientStops() {
        ActorRef<ChatRoom.Command> room = testKit.spawn(ChatRoom.create(line -> {}));
        TestProbe<ChatRoom.SessionEvent> first = testKit.createTestProbe();
        join(room, first, "carol");

        first.stop();

        TestProbe<ChatRoom.SessionEvent> second = testKit.createTestProbe();
        second.awaitAssert(
                () -> {
                    room.tell(new ChatRoom.GetSession("carol", second.getRef()));
                    return assertInstanceOf(ChatRoom.SessionGranted.class, second.receiveMessage());
                });
    }

    private static ActorRef<ChatRoom.PostMessage> join(
            ActorRef<ChatRoom.Command> room, TestProbe<ChatRoom.SessionEvent> client, String name) {
        room.tell(new ChatRoom.GetSession(name, client.getRef()));
        return assertInstanceOf(ChatRoom.SessionGranted.class, client.receiveMessage()).handle();
    }
}
