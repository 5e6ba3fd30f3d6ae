package io.troupe.examples.chatroom;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The chat room of Akka's documentation ("Introduction to Actors", the object-oriented style): a
 * client asks the room for a session under a screen name and gets a handle to post through; the
 * room hands every post to every session, and each session passes it to its client. Clients may
 * live in other processes: the refs in {@link GetSession} and {@link SessionGranted} are ordinary
 * actor refs that Troupe carries between processes.
 *
 * <p>One addition to the original: the room watches each client and closes its session when the
 * client stops or its process goes away; and it keeps the conversation, so that a run can check
 * that every client heard it all.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class ChatRoom extends AbstractBehavior<ChatRoom.Command> {

    /** The name the room is published under on its node, for clients to look it up. */
    public static final String PUBLISHED_NAME = "chat-room";

    /** Posts the room remembers for {@link GetLog}; older ones are forgotten. */
    static final int LOG_LIMIT = 10_000;

    /** What a room understands. */
    public sealed interface Command permits GetSession, GetLog, PublishSessionMessage, ClientGone {}

    /** Opens a session for {@code screenName}; {@code replyTo} gets the session's events. */
    public record GetSession(String screenName, ActorRef<SessionEvent> replyTo) implements Command {
        public GetSession {
            Objects.requireNonNull(screenName, "screenName");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Replies with the conversation so far, oldest post first. */
    public record GetLog(ActorRef<Log> replyTo) implements Command {
        public GetLog {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** From a session: post {@code message} under {@code screenName}. */
    private record PublishSessionMessage(String screenName, String message) implements Command {}

    /** A client stopped, or its process went away. */
    private record ClientGone(ActorRef<SessionEvent> client, String screenName)
            implements Command {}

    /** What a client hears from the room and its session. */
    public sealed interface SessionEvent permits SessionGranted, SessionDenied, MessagePosted {}

    /** The session is open: post through {@code handle}. */
    public record SessionGranted(ActorRef<PostMessage> handle) implements SessionEvent {
        public SessionGranted {
            Objects.requireNonNull(handle, "handle");
        }
    }

    /** No session, and why. */
    public record SessionDenied(String reason) implements SessionEvent {
        public SessionDenied {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Someone (perhaps this client) posted {@code message}. */
    public record MessagePosted(String screenName, String message) implements SessionEvent {
        public MessagePosted {
            Objects.requireNonNull(screenName, "screenName");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return screenName + ": " + message;
        }
    }

    /** What a session understands. */
    public sealed interface SessionCommand permits PostMessage, NotifyClient {}

    /** From the client: post {@code message} to the room. */
    public record PostMessage(String message) implements SessionCommand {
        public PostMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /** From the room: pass a post on to the client. */
    private record NotifyClient(MessagePosted message) implements SessionCommand {}

    /** The reply to {@link GetLog}. */
    public record Log(List<MessagePosted> posts) {
        public Log {
            posts = List.copyOf(posts);
        }
    }

    private final Consumer<String> events;
    private final Map<String, ActorRef<SessionCommand>> sessions = new LinkedHashMap<>();

    /** Clients with a session, by ref: a client gets one session, and is watched once. */
    private final Map<ActorRef<SessionEvent>, String> clients = new HashMap<>();

    private long sessionsOpened;
    private final Deque<MessagePosted> log = new ArrayDeque<>();

    private ChatRoom(ActorContext<Command> context, Consumer<String> events) {
        super(context);
        this.events = events;
    }

    /**
     * @param events told, on the room's thread, one line per join, post and leave (the room role
     *     prints them); {@code line -> {}} for none
     */
    public static Behavior<Command> create(Consumer<String> events) {
        Objects.requireNonNull(events, "events");
        return Behaviors.setup(context -> new ChatRoom(context, events));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(GetSession.class, this::onGetSession)
                .onMessage(PublishSessionMessage.class, this::onPublishSessionMessage)
                .onMessage(ClientGone.class, this::onClientGone)
                .onMessage(GetLog.class, this::onGetLog)
                .build();
    }

    private Behavior<Command> onGetSession(GetSession get) {
        if (sessions.containsKey(get.screenName())) {
            get.replyTo()
                    .tell(new SessionDenied("the screen name '" + get.screenName() + "' is taken"));
            return this;
        }
        if (clients.containsKey(get.replyTo())) {
            get.replyTo()
                    .tell(
                            new SessionDenied(
                                    "this client already has a session, as '"
                                            + clients.get(get.replyTo())
                                            + "'"));
            return this;
        }
        // Numbered: a leaving client's session may still be stopping when someone takes its name.
        ActorRef<SessionCommand> session =
                getContext()
                        .spawn(
                                Session.create(
                                        getContext().getSelf(), get.screenName(), get.replyTo()),
                                "session-"
                                        + (++sessionsOpened)
                                        + "-"
                                        + URLEncoder.encode(
                                                get.screenName(), StandardCharsets.UTF_8));
        sessions.put(get.screenName(), session);
        clients.put(get.replyTo(), get.screenName());
        // A client in another process is watched like a local one; its process dying counts as
        // stopping.
        getContext().watchWith(get.replyTo(), new ClientGone(get.replyTo(), get.screenName()));
        get.replyTo().tell(new SessionGranted(session.narrow()));
        events.accept(get.screenName() + " joined (" + sessions.size() + " in the room)");
        return this;
    }

    private Behavior<Command> onPublishSessionMessage(PublishSessionMessage pub) {
        MessagePosted posted = new MessagePosted(pub.screenName(), pub.message());
        NotifyClient notification = new NotifyClient(posted);
        sessions.values().forEach(session -> session.tell(notification));
        log.addLast(posted);
        if (log.size() > LOG_LIMIT) {
            log.removeFirst();
        }
        events.accept(posted.toString());
        return this;
    }

    private Behavior<Command> onClientGone(ClientGone gone) {
        clients.remove(gone.client());
        ActorRef<SessionCommand> session = sessions.remove(gone.screenName());
        if (session != null) {
            getContext().stop(session);
            events.accept(gone.screenName() + " left (" + sessions.size() + " in the room)");
        }
        return this;
    }

    private Behavior<Command> onGetLog(GetLog get) {
        get.replyTo().tell(new Log(new ArrayList<>(log)));
        return this;
    }

    /** One client's session: its posts go to the room, the room's posts go to it. */
    static final class Session extends AbstractBehavior<SessionCommand> {
        private final ActorRef<Command> room;
        private final String screenName;
        private final ActorRef<SessionEvent> client;

        private Session(
                ActorContext<SessionCommand> context,
                ActorRef<Command> room,
                String screenName,
                ActorRef<SessionEvent> client) {
            super(context);
            this.room = room;
            this.screenName = screenName;
            this.client = client;
        }

        static Behavior<SessionCommand> create(
                ActorRef<Command> room, String screenName, ActorRef<SessionEvent> client) {
            return Behaviors.setup(context -> new Session(context, room, screenName, client));
        }

        @Override
        public Receive<SessionCommand> createReceive() {
            return newReceiveBuilder()
                    .onMessage(PostMessage.class, this::onPostMessage)
                    .onMessage(NotifyClient.class, this::onNotifyClient)
                    .build();
        }

        private Behavior<SessionCommand> onPostMessage(PostMessage post) {
            // The session, not the client, names the poster: a client cannot post as someone else.
            room.tell(new PublishSessionMessage(screenName, post.message()));
            return this;
        }

        private Behavior<SessionCommand> onNotifyClient(NotifyClient notification) {
            client.tell(notification.message());
            return this;
        }
    }
}
