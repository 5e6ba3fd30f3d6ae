package io.troupe.examples.chatroom;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import io.troupe.remote.RemoteNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scripted chat client, the "gabbler" of Akka's documentation: joins the room, and when told to,
 * posts a few greetings; it reports everything it heard once it has heard the number of posts it
 * was told to expect. {@code chat-room} runs one in each worker process.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Gabbler extends AbstractBehavior<Gabbler.Command> {

    /** What {@code ProcessPool.spawn} starts on a worker; {@link ChatRoomSetup} registers it. */
    public static final ActorKind<Command> KIND =
            ActorKind.of("gabbler", Command.class, Gabbler::create);

    /** What a gabbler understands. */
    public sealed interface Command permits Join, Gab, WrappedSessionEvent {}

    /** Asks {@code room} for a session as {@code screenName}; replies {@link Joined}. */
    public record Join(String screenName, ActorRef<ChatRoom.Command> room, ActorRef<Joined> replyTo)
            implements Command {
        public Join {
            Objects.requireNonNull(screenName, "screenName");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Join}: {@code denied} is empty when the session was granted. */
    public record Joined(String screenName, String node, long pid, String denied) {}

    /**
     * Posts {@code posts} messages, then replies {@link Heard} once {@code expected} posts (its own
     * included) have come back from the room.
     */
    public record Gab(int posts, int expected, ActorRef<Heard> replyTo) implements Command {
        public Gab {
            if (posts < 0 || expected < 0) {
                throw new IllegalArgumentException(
                        "posts and expected must be >= 0, were " + posts + " and " + expected);
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Gab}: what this gabbler heard, in the order it heard it. */
    public record Heard(String screenName, List<ChatRoom.MessagePosted> posts) {
        public Heard {
            posts = List.copyOf(posts);
        }
    }

    private record WrappedSessionEvent(ChatRoom.SessionEvent event) implements Command {}

    private final ActorRef<ChatRoom.SessionEvent> sessionEvents;
    private final List<ChatRoom.MessagePosted> heard = new ArrayList<>();
    private Join join;
    private ActorRef<ChatRoom.PostMessage> handle;
    private Gab gab;

    private Gabbler(ActorContext<Command> context) {
        super(context);
        sessionEvents =
                context.messageAdapter(ChatRoom.SessionEvent.class, WrappedSessionEvent::new);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Gabbler::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(Gab.class, this::onGab)
                .onMessage(WrappedSessionEvent.class, this::onSessionEvent)
                .build();
    }

    private Behavior<Command> onJoin(Join newJoin) {
        join = newJoin;
        join.room().tell(new ChatRoom.GetSession(join.screenName(), sessionEvents));
        return this;
    }

    private Behavior<Command> onGab(Gab newGab) {
        if (handle == null) {
            throw new IllegalStateException("told to gab before the room granted a session");
        }
        gab = newGab;
        for (int i = 1; i <= gab.posts(); i++) {
            handle.tell(
                    new ChatRoom.PostMessage(
                            String.format(
                                    "Hello World! This is %s in process %d (%d/%d)",
                                    join.screenName(),
                                    ProcessHandle.current().pid(),
                                    i,
                                    gab.posts())));
        }
        return replyIfHeardAll();
    }

    private Behavior<Command> onSessionEvent(WrappedSessionEvent wrapped) {
        ChatRoom.SessionEvent event = wrapped.event();
        if (event instanceof ChatRoom.SessionGranted granted) {
            handle = granted.handle();
            join.replyTo()
                    .tell(new Joined(join.screenName(), node(), ProcessHandle.current().pid(), ""));
        } else if (event instanceof ChatRoom.SessionDenied denied) {
            join.replyTo()
                    .tell(
                            new Joined(
                                    join.screenName(),
                                    node(),
                                    ProcessHandle.current().pid(),
                                    denied.reason()));
        } else if (event instanceof ChatRoom.MessagePosted posted) {
            heard.add(posted);
            return replyIfHeardAll();
        }
        return this;
    }

    private Behavior<Command> replyIfHeardAll() {
        if (gab != null && heard.size() >= gab.expected()) {
            gab.replyTo().tell(new Heard(join.screenName(), heard));
            gab = null;
        }
        return this;
    }

    private String node() {
        return RemoteNode.get(getContext().getSystem()).name();
    }
}
