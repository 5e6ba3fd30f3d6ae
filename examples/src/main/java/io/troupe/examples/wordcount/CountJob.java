package io.troupe.examples.wordcount;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one map-reduce: hands the text's pieces to the mappers, two at a time per mapper (so a big
 * file never sits in the mailboxes all at once) and the next one to whichever mapper finishes; when
 * every piece is mapped, collects the reducers' sums and merges them.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class CountJob extends AbstractBehavior<CountJob.Command> {

    /** Pieces a mapper has at once: one to count and one waiting in its mailbox. */
    static final int CHUNKS_PER_MAPPER = 2;

    /** What a job understands. */
    public sealed interface Command permits Run, WrappedMapped, WrappedReduced {}

    /** Counts the words of {@code chunks} with the given mappers and reducers. */
    public record Run(
            List<String> chunks,
            List<ActorRef<Mapper.Command>> mappers,
            List<ActorRef<Reducer.Command>> reducers,
            ActorRef<Counted> replyTo)
            implements Command {
        public Run {
            chunks = List.copyOf(chunks);
            mappers = List.copyOf(mappers);
            reducers = List.copyOf(reducers);
            if (mappers.isEmpty() || reducers.isEmpty()) {
                throw new IllegalArgumentException("a job needs mappers and reducers");
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    private record WrappedMapped(Mapper.Mapped mapped) implements Command {}

    private record WrappedReduced(Reducer.Reduced reduced) implements Command {}

    /** The reply to {@link Run}: every word's count, and the time from first piece to last sum. */
    public record Counted(Map<String, Long> counts, long elapsedNanos) {
        public Counted {
            counts = Map.copyOf(counts);
        }
    }

    private final ActorRef<Mapper.Mapped> mappedAdapter;
    private final ActorRef<Reducer.Reduced> reducedAdapter;
    private Run run;
    private int[] mapperOfChunk;
    private int nextChunk;
    private int chunksMapped;
    private int sumsCollected;
    private Map<String, Long> counts;
    private long startNanos;

    private CountJob(ActorContext<Command> context) {
        super(context);
        mappedAdapter = context.messageAdapter(Mapper.Mapped.class, WrappedMapped::new);
        reducedAdapter = context.messageAdapter(Reducer.Reduced.class, WrappedReduced::new);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(CountJob::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(WrappedMapped.class, this::onMapped)
                .onMessage(WrappedReduced.class, this::onReduced)
                .build();
    }

    private Behavior<Command> onRun(Run newRun) {
        if (run != null) {
            throw new IllegalStateException("a job runs once at a time");
        }
        run = newRun;
        startNanos = System.nanoTime();
        mapperOfChunk = new int[run.chunks().size()];
        nextChunk = 0;
        chunksMapped = 0;
        sumsCollected = 0;
        counts = new HashMap<>();
        for (int round = 0; round < CHUNKS_PER_MAPPER; round++) {
            for (int m = 0; m < run.mappers().size(); m++) {
                sendNextChunk(m);
            }
        }
        if (run.chunks().isEmpty()) {
            collect();
        }
        return this;
    }

    private Behavior<Command> onMapped(WrappedMapped wrapped) {
        chunksMapped++;
        sendNextChunk(mapperOfChunk[wrapped.mapped().chunk()]);
        if (chunksMapped == run.chunks().size()) {
            collect();
        }
        return this;
    }

    private Behavior<Command> onReduced(WrappedReduced wrapped) {
        // Each word lives in exactly one reducer, so the sums merge without adding.
        counts.putAll(wrapped.reduced().counts());
        sumsCollected++;
        if (sumsCollected == run.reducers().size()) {
            run.replyTo().tell(new Counted(counts, System.nanoTime() - startNanos));
            run = null;
            counts = null;
        }
        return this;
    }

    private void sendNextChunk(int mapper) {
        if (nextChunk < run.chunks().size()) {
            mapperOfChunk[nextChunk] = mapper;
            run.mappers()
                    .get(mapper)
                    .tell(
                            new Mapper.MapChunk(
                                    nextChunk,
                                    run.chunks().get(nextChunk),
                                    run.reducers(),
                                    mappedAdapter));
            nextChunk++;
        }
    }

    /** Every mapper sent every reducer one share per chunk: ask each for its sum. */
    private void collect() {
        for (ActorRef<Reducer.Command> reducer : run.reducers()) {
            reducer.tell(new Reducer.Collect(run.chunks().size(), reducedAdapter));
        }
    }
}
