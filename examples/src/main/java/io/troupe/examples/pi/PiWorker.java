package io.troupe.examples.pi;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.ActorKind;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Throws random points at the unit square and counts those inside the quarter circle: pure CPU
 * work, one chunk per message. Each chunk's points come from a generator seeded by the chunk's
 * number alone, so a chunk gives the same count whichever worker, process or run computes it.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class PiWorker extends AbstractBehavior<PiWorker.Command> {

    /** What {@code ProcessPool.spawn} starts on a worker; {@link PiSetup} registers it there. */
    public static final ActorKind<Command> KIND =
            ActorKind.of("pi-worker", Command.class, PiWorker::create);

    /** What a pi worker understands. */
    public sealed interface Command permits Sample {}

    /** Throws {@code samples} points for chunk number {@code chunk}; replies {@link Sampled}. */
    public record Sample(int chunk, long samples, ActorRef<Sampled> replyTo) implements Command {
        public Sample {
            if (chunk < 0 || samples < 1) {
                throw new IllegalArgumentException(
                        "chunk must be >= 0 and samples >= 1, were " + chunk + " and " + samples);
            }
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The reply to {@link Sample}: {@code inside} of {@code samples} points fell in the circle. */
    public record Sampled(int chunk, long samples, long inside) {}

    private PiWorker(ActorContext<Command> context) {
        super(context);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(PiWorker::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Sample.class, this::onSample).build();
    }

    private Behavior<Command> onSample(Sample sample) {
        sample.replyTo()
                .tell(
                        new Sampled(
                                sample.chunk(),
                                sample.samples(),
                                inside(sample.chunk(), sample.samples())));
        return this;
    }

    /** Counts the points of chunk {@code chunk} that fall inside the quarter circle. */
    static long inside(int chunk, long samples) {
        SplittableRandom random = new SplittableRandom(seed(chunk));
        long inside = 0;
        for (long i = 0; i < samples; i++) {
            double x = random.nextDouble();
            double y = random.nextDouble();
            if (x * x + y * y <= 1.0) {
                inside++;
            }
        }
        return inside;
    }

    /**
     * The seed of chunk {@code chunk}: its number, scrambled (Stafford's mix 13). A generator steps
     * its state by a fixed constant, so seeds that differ by a multiple of that constant (as {@code
     * chunk * constant} would) give the same stream shifted: overlapping, correlated chunks.
     * Scrambled seeds lie far apart.
     */
    static long seed(int chunk) {
        long z = chunk + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
