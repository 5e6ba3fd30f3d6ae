package io.troupe.examples.chatroom;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chat client for a person at a terminal ({@code chat-room --role client}): joins the room, posts
 * what it is told to post, and shows every post the room hands it. It watches the room, so it
 * notices when the room's process closes or dies.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}. Its {@link Terminal} is
 * called on the actor's thread.
 */
public final class Client extends AbstractBehavior<Client.Command> {

    /** Where a client shows what happens. Called on the client's thread, one call at a time. */
    public interface Terminal {
        /** Shows one line: a post, or news about the session. */
        void show(String line);

        /** The session is over ({@code why} says how); the client has stopped. */
        void ended(String why);
    }

    /** What a client understands. */
    public sealed interface Command permits Post, Leave, WrappedSessionEvent, RoomClosed {}

    /** Posts {@code message} (as soon as the session is open). */
    public record Post(String message) implements Command {
        public Post {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Leaves the room: the client stops, and the room, which watches it, closes its session. */
    public enum Leave implements Command {
        INSTANCE
    }

    private record WrappedSessionEvent(ChatRoom.SessionEvent event) implements Command {}

    private enum RoomClosed implements Command {
        INSTANCE
    }

    private final String screenName;
    private final Terminal terminal;
    private final List<String> unsent = new ArrayList<>();
    private ActorRef<ChatRoom.PostMessage> handle;
    private int heard;

    private Client(
            ActorContext<Command> context,
            String screenName,
            ActorRef<ChatRoom.Command> room,
            Terminal terminal) {
        super(context);
        this.screenName = screenName;
        this.terminal = terminal;
        context.watchWith(room, RoomClosed.INSTANCE);
        room.tell(
                new ChatRoom.GetSession(
                        screenName,
                        context.messageAdapter(
                                ChatRoom.SessionEvent.class, WrappedSessionEvent::new)));
    }

    public static Behavior<Command> create(
            String screenName, ActorRef<ChatRoom.Command> room, Terminal terminal) {
        Objects.requireNonNull(screenName, "screenName");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(terminal, "terminal");
        return Behaviors.setup(context -> new Client(context, screenName, room, terminal));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Post.class, this::onPost)
                .onMessage(Leave.class, leave -> end(screenName + " left the room"))
                .onMessage(RoomClosed.class, closed -> end("the room closed"))
                .onMessage(WrappedSessionEvent.class, this::onSessionEvent)
                .build();
    }

    private Behavior<Command> onPost(Post post) {
        if (handle == null) {
            unsent.add(post.message());
        } else {
            handle.tell(new ChatRoom.PostMessage(post.message()));
        }
        return this;
    }

    private Behavior<Command> onSessionEvent(WrappedSessionEvent wrapped) {
        ChatRoom.SessionEvent event = wrapped.event();
        if (event instanceof ChatRoom.SessionGranted granted) {
            handle = granted.handle();
            terminal.show(
                    "joined the room as "
                            + screenName
                            + "; type a line and press Enter to post it, /quit or Ctrl-D to leave");
            unsent.forEach(message -> handle.tell(new ChatRoom.PostMessage(message)));
            unsent.clear();
        } else if (event instanceof ChatRoom.SessionDenied denied) {
            return end("the room refused the session: " + denied.reason());
        } else if (event instanceof ChatRoom.MessagePosted posted) {
            heard++;
            terminal.show(posted.toString());
        }
        return this;
    }

    private Behavior<Command> end(String why) {
        terminal.ended(why + " (" + heard + " post" + (heard == 1 ? "" : "s") + " heard)");
        return Behaviors.stopped();
    }
}
