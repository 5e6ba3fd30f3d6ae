package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The receiving actor of the rows over Artery ({@code akka-artery}, {@code troupe-cluster}): {@link
 * Sink}'s counterpart for a transport without back-pressure. Counts the row's small messages,
 * checks each sender's order, and acknowledges every {@value ArteryRemoting#ACK_EVERY} messages of
 * a sender to the address that sender's start message gave ({@link ArteryRemoting.Window} on the
 * sending side). Rounds are driven by local {@link Sink.Command}s ({@link Sink.Expect}, {@link
 * Sink.AwaitAll}, {@link Sink.Report}) from its own process, which never cross processes. The rows
 * differ only in their {@link Protocol}.
 *
 * <p>Thread safety: an actor; its state is touched only by its own message handling.
 *
 * @param <M> the counted message
 * @param <S> the start message, naming a sender and its ack address
 * @param <A> the acknowledgement
 */
final class AckingSink<M, S, A> extends AbstractBehavior<Object> {

    /**
     * A row's messages: the counted one with its sender and sequence number, the start message with
     * its sender and ack address, and how an acknowledgement of a count is made.
     */
    record Protocol<M, S, A>(
            Class<M> message,
            ToIntFunction<M> sender,
            ToLongFunction<M> seq,
            Class<S> start,
            ToIntFunction<S> startSender,
            Function<S, ActorRef<A>> ackTo,
            LongFunction<A> ack) {}

    private final Protocol<M, S, A> protocol;

    @SuppressWarnings("unchecked")
    private final ActorRef<A>[] ackTo = new ActorRef[Sequenced.MAX_SENDERS];

    private final long[] total = new long[Sequenced.MAX_SENDERS];
    private final Sequenced.OrderCheck check = new Sequenced.OrderCheck();
    private long expected;
    private ActorRef<Sink.Received> awaiting;

    private AckingSink(ActorContext<Object> ctx, Protocol<M, S, A> protocol) {
        super(ctx);
        this.protocol = protocol;
    }

    static <M, S, A> Behavior<Object> create(Protocol<M, S, A> protocol) {
        return Behaviors.setup(ctx -> new AckingSink<>(ctx, protocol));
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(protocol.message(), this::onMessage)
                .onMessage(protocol.start(), this::onStart)
                .onMessage(Sink.Expect.class, this::onExpect)
                .onMessage(Sink.AwaitAll.class, this::onAwaitAll)
                .onMessage(Sink.Report.class, this::onReport)
                .build();
    }

    private Behavior<Object> onStart(S s) {
        int sender = protocol.startSender().applyAsInt(s);
        if (sender >= 0 && sender < Sequenced.MAX_SENDERS) {
            ackTo[sender] = protocol.ackTo().apply(s);
        }
        return this;
    }

    private Behavior<Object> onMessage(M m) {
        int sender = protocol.sender().applyAsInt(m);
        check.accept(sender, protocol.seq().applyAsLong(m));
        if (sender >= 0
                && sender < Sequenced.MAX_SENDERS
                && ++total[sender] % ArteryRemoting.ACK_EVERY == 0
                && ackTo[sender] != null) {
            ackTo[sender].tell(protocol.ack().apply(total[sender]));
        }
        if (check.received == expected && awaiting != null) {
            awaiting.tell(new Sink.Received(check.received, check.outOfOrder));
            awaiting = null;
        }
        return this;
    }

    private Behavior<Object> onExpect(Sink.Expect e) {
        expected = e.count();
        check.reset();
        awaiting = null;
        e.replyTo().tell(Sink.Expecting.INSTANCE);
        return this;
    }

    private Behavior<Object> onAwaitAll(Sink.AwaitAll a) {
        if (check.received >= expected) {
            a.replyTo().tell(new Sink.Received(check.received, check.outOfOrder));
        } else {
            awaiting = a.replyTo();
        }
        return this;
    }

    private Behavior<Object> onReport(Sink.Report r) {
        r.replyTo().tell(new Sink.Received(check.received, check.outOfOrder));
        return this;
    }
}
