package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.benchmarks.jmh.Payload;
import io.troupe.remote.ActorKind;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * The answering actor of {@link OneToOneRoundTrip} on Troupe, and the actor pool workers host in
 * {@link KillToTerminated}: answers each {@link Ping} with its body.
 *
 * <p>Thread safety: an actor without state.
 */
public final class Echo {
    /** Published under this name on the peer node. */
    public static final String NAME = "echo";

    /**
     * The kind pool workers register ({@link Kinds}), so the harness can spawn an echo on a worker.
     */
    public static final ActorKind<Command> KIND =
            ActorKind.of("bench-echo", Command.class, Echo::create);

    public sealed interface Command permits Ping {}

    /**
     * Answered with {@code body}: the ask's request carries the small record and the reply address.
     */
    public record Ping(Payload.Small body, ActorRef<Payload.Small> replyTo) implements Command {}

    private Echo() {}

    public static Behavior<Command> create() {
        return Behaviors.receive(Command.class).onMessage(Ping.class, Echo::onPing).build();
    }

    private static Behavior<Command> onPing(Ping p) {
        p.replyTo().tell(p.body());
        return Behaviors.same();
    }

    /** Run by every pool worker the harness launches: lets the parent spawn echoes there. */
    public static final class Kinds implements WorkerSetup {
        @Override
        public void setUp(RemoteNode node) {
            node.registerKind(KIND);
        }
    }
}
