package io.troupe.examples.iobound;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Runs one batch of blocking calls: spawns one {@link Fetcher} per call on the chosen {@link Pool},
 * starts them all at once, and when every one has replied reports how long the batch took and on
 * how many threads, then stops.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Batch extends AbstractBehavior<Batch.Command> {

    /** What a batch understands. */
    public sealed interface Command permits Run, WrappedFetched {}

    /** Makes {@code calls} blocking calls of {@code latency} each on {@code pool}. */
    public record Run(int calls, Duration latency, Pool pool, ActorRef<Finished> replyTo)
            implements Command {
        public Run {
            if (calls < 1) {
                throw new IllegalArgumentException("calls must be >= 1, was " + calls);
            }
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Every call of the batch returned. */
    public record Finished(Pool pool, int calls, int threads, Duration elapsed) {}

    private record WrappedFetched(Fetcher.Fetched fetched) implements Command {}

    private final ActorRef<Fetcher.Fetched> fetchedAdapter;
    private final Set<String> threads = new HashSet<>();
    private Run run;
    private long startNanos;
    private int returned;

    private Batch(ActorContext<Command> context) {
        super(context);
        this.fetchedAdapter = context.messageAdapter(Fetcher.Fetched.class, WrappedFetched::new);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Batch::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Run.class, this::onRun)
                .onMessage(WrappedFetched.class, this::onFetched)
                .build();
    }

    private Behavior<Command> onRun(Run start) {
        if (run != null) {
            getContext().getLog().warn("Ignoring {}: this batch is already running {}", start, run);
            return this;
        }
        run = start;
        startNanos = System.nanoTime();
        for (int i = 0; i < start.calls(); i++) {
            ActorRef<Fetcher.Command> fetcher =
                    getContext().spawn(Fetcher.create(), "fetcher-" + i, start.pool().props());
            fetcher.tell(new Fetcher.Fetch(start.latency(), fetchedAdapter));
        }
        return this;
    }

    private Behavior<Command> onFetched(WrappedFetched wrapped) {
        threads.add(wrapped.fetched().thread());
        returned++;
        if (returned < run.calls()) {
            return this;
        }
        run.replyTo()
                .tell(
                        new Finished(
                                run.pool(),
                                returned,
                                threads.size(),
                                Duration.ofNanos(System.nanoTime() - startNanos)));
        return Behaviors.stopped();
    }
}
