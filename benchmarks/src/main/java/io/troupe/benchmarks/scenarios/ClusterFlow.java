package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import io.troupe.benchmarks.jmh.Payload;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code troupe-cluster} row's flow control: {@link ArteryRemoting.Window}'s, in Troupe's
 * protocol. A tell to a {@code ClusterRef} goes into Artery's outbound queue, which drops silently
 * once {@value ArteryRemoting#OUTBOUND_QUEUE} messages wait, as for {@code akka-artery}; so the
 * sender keeps at most {@value ArteryRemoting#WINDOW} messages unacknowledged and the receiver
 * ({@link ClusterSink}) acknowledges every {@value ArteryRemoting#ACK_EVERY}: the same window and
 * ack batching as {@code akka-artery}'s, so the two rows do the same work per message.
 *
 * <p>The data stays {@link Payload.Small} (the {@code troupe} row's record); only the start and the
 * acks are this protocol's, registered on both nodes ({@link ClusterNodes#registerProtocols}).
 *
 * <p>Thread safety: the records are immutable; a {@link Window} belongs to one sending thread.
 */
public final class ClusterFlow {
    private static final AtomicLong NAMES = new AtomicLong();

    private ClusterFlow() {}

    /** What a sender's flow control sends besides the data. */
    public sealed interface Message permits Start, Ack {}

    /**
     * Sent once by a sender before its first {@link Payload.Small}: where the receiver sends this
     * sender's {@link Ack}s.
     */
    public record Start(int sender, ActorRef<Ack> ackTo) implements Message {}

    /**
     * The receiver has had {@code count} messages from this sender since it started (not per
     * round): a batched ack.
     */
    public record Ack(long count) implements Message {}

    /**
     * One sender's flow control towards one receiver over a {@code ClusterRef}: {@link #send} waits
     * (backing off) while {@value ArteryRemoting#WINDOW} messages are unacknowledged. The first
     * send introduces the sender with {@link Start} (through the same Artery association as the
     * data, so it arrives first).
     *
     * <p>Thread safety: {@link #send} from one thread ({@link ArteryRemoting.Credit}).
     */
    static final class Window {
        private final ActorRef<Payload.Small> target;
        private final ActorRef<Message> flow;
        private final int sender;
        private final ArteryRemoting.Credit credit = new ArteryRemoting.Credit();
        private final ActorRef<Ack> acks;
        private boolean started;

        /**
         * @param target the receiver, looked up for the data ({@link Payload.Small})
         * @param flow the same receiver, looked up for {@link Message} (a {@code ClusterRef} takes
         *     only the protocol it was looked up for)
         */
        Window(
                ActorSystem<?> system,
                ActorRef<Payload.Small> target,
                ActorRef<Message> flow,
                int sender) {
            this.target = target;
            this.flow = flow;
            this.sender = sender;
            this.acks =
                    system.systemActorOf(
                            credit.acks(Ack.class, Ack::count),
                            "cluster-acks-" + NAMES.incrementAndGet(),
                            Props.empty());
        }

        /**
         * Tells {@code message} once fewer than {@value ArteryRemoting#WINDOW} are unacknowledged;
         * fails after {@code timeoutNanos} without an ack.
         */
        void send(Payload.Small message, long timeoutNanos) {
            if (!started) {
                flow.tell(new Start(sender, acks));
                started = true;
            }
            credit.acquire(target, timeoutNanos);
            target.tell(message);
        }
    }
}
