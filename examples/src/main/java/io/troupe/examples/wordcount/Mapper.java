package io.troupe.examples.wordcount;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The map step: counts the words of one piece of text and sends each reducer its share of the
 * counts (a word always goes to the same reducer, chosen by its hash), straight from this process
 * to the reducers' processes; then tells the job the piece is done.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Mapper extends AbstractBehavior<Mapper.Command> {

    /** What {@code ProcessPool.spawn} starts on a worker; {@link WordCountSetup} registers it. */
    public static final ActorKind<Command> KIND =
            ActorKind.of("word-mapper", Command.class, Mapper::create);

    /** What a mapper understands. */
    public sealed interface Command permits MapChunk {}

    /**
     * Counts {@code text}'s words, partitions them over {@code reducers}; replies {@link Mapped}.
     */
    public record MapChunk(
            int chunk,
            String text,
            List<ActorRef<Reducer.Command>> reducers,
            ActorRef<Mapped> replyTo)
            implements Command {
        public MapChunk {
            Objects.requireNonNull(text, "text");
            reducers = List.copyOf(reducers);
            if (reducers.isEmpty()) {
                throw new IllegalArgumentException("a mapper needs at least one reducer");
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * The reply to {@link MapChunk}: every reducer has been sent its share of the chunk's words.
     */
    public record Mapped(int chunk, long words) {}

    private Mapper(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Mapper::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(MapChunk.class, this::onMapChunk).build();
    }

    private Behavior<Command> onMapChunk(MapChunk map) {
        int reducers = map.reducers().size();
        List<Map<String, Long>> shares = new ArrayList<>(reducers);
        for (int r = 0; r < reducers; r++) {
            shares.add(new HashMap<>());
        }
        long words = 0;
        for (Map.Entry<String, Long> e : Words.count(map.text()).entrySet()) {
            shares.get(Math.floorMod(e.getKey().hashCode(), reducers))
                    .put(e.getKey(), e.getValue());
            words += e.getValue();
        }
        // Every reducer gets a share, empty or not: it counts shares to know when it has them all.
        for (int r = 0; r < reducers; r++) {
            map.reducers().get(r).tell(new Reducer.Add(map.chunk(), shares.get(r)));
        }
        map.replyTo().tell(new Mapped(map.chunk(), words));
        return this;
    }
}
