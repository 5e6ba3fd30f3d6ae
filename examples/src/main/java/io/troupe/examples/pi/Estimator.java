package io.troupe.examples.pi;

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
 * Hands out the chunks of an estimate to the workers it is given, two at a time per worker (so a
 * worker never idles while its next chunk travels), gives each worker its next chunk as soon as it
 * returns one, and adds up the counts: a faster worker simply gets more chunks.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Estimator extends AbstractBehavior<Estimator.Command> {

    /** Chunks a worker has at once: one to work on and one waiting in its mailbox. */
    static final int CHUNKS_PER_WORKER = 2;

    /** What an estimator understands. */
    public sealed interface Command permits Estimate, WrappedSampled {}

    /** Spreads {@code chunks} chunks of {@code samplesPerChunk} points over {@code workers}. */
    public record Estimate(
            int chunks,
            long samplesPerChunk,
            List<ActorRef<PiWorker.Command>> workers,
            ActorRef<Estimated> replyTo)
            implements Command {
        public Estimate {
            if (chunks < 1 || samplesPerChunk < 1) {
                throw new IllegalArgumentException(
                        "chunks and samplesPerChunk must be >= 1, were "
                                + chunks
                                + " and "
                                + samplesPerChunk);
            }
            workers = List.copyOf(workers);
            if (workers.isEmpty()) {
                throw new IllegalArgumentException("an estimate needs at least one worker");
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** A worker's reply, adapted to this protocol. */
    private record WrappedSampled(PiWorker.Sampled sampled) implements Command {}

    /** The reply to {@link Estimate}. */
    public record Estimated(
            long samples, long inside, long elapsedNanos, List<Integer> chunksPerWorker) {
        public Estimated {
            chunksPerWorker = List.copyOf(chunksPerWorker);
        }

        /**
         * @return 4 x the share of points inside the quarter circle
         */
        public double pi() {
            return 4.0 * inside / samples;
        }
    }

    private final ActorRef<PiWorker.Sampled> replyAdapter;
    private Estimate estimate;
    private long startNanos;
    private int nextChunk;
    private int chunksDone;
    private long samples;
    private long inside;
    private int[] chunksPerWorker;

    /** Which worker has each chunk; a reply names only its chunk. */
    private int[] workerOfChunk;

    private Estimator(ActorContext<Command> context) {
        super(context);
        replyAdapter = context.messageAdapter(PiWorker.Sampled.class, WrappedSampled::new);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Estimator::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Estimate.class, this::onEstimate)
                .onMessage(WrappedSampled.class, this::onSampled)
                .build();
    }

    private Behavior<Command> onEstimate(Estimate newEstimate) {
        if (estimate != null) {
            throw new IllegalStateException("an estimator makes one estimate at a time");
        }
        estimate = newEstimate;
        startNanos = System.nanoTime();
        nextChunk = 0;
        chunksDone = 0;
        samples = 0;
        inside = 0;
        chunksPerWorker = new int[estimate.workers().size()];
        workerOfChunk = new int[estimate.chunks()];
        for (int round = 0; round < CHUNKS_PER_WORKER; round++) {
            for (int w = 0; w < estimate.workers().size(); w++) {
                sendNextChunk(w);
            }
        }
        return this;
    }

    private Behavior<Command> onSampled(WrappedSampled wrapped) {
        samples += wrapped.sampled().samples();
        inside += wrapped.sampled().inside();
        int worker = workerOfChunk[wrapped.sampled().chunk()];
        chunksPerWorker[worker]++;
        chunksDone++;
        sendNextChunk(worker);
        if (chunksDone == estimate.chunks()) {
            List<Integer> perWorker = new ArrayList<>();
            for (int n : chunksPerWorker) {
                perWorker.add(n);
            }
            estimate.replyTo()
                    .tell(
                            new Estimated(
                                    samples, inside, System.nanoTime() - startNanos, perWorker));
            estimate = null;
        }
        return this;
    }

    private void sendNextChunk(int worker) {
        if (nextChunk < estimate.chunks()) {
            workerOfChunk[nextChunk] = worker;
            estimate.workers()
                    .get(worker)
                    .tell(
                            new PiWorker.Sample(
                                    nextChunk++, estimate.samplesPerChunk(), replyAdapter));
        }
    }
}
