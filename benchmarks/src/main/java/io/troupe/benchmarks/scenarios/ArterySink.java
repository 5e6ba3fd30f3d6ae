package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;

/**
 * The receiving actor of the {@code akka-artery} baseline: {@link Sink}'s counterpart over Artery.
 * Counts {@link ArteryProtocol.Small} messages, checks each sender's order, and acknowledges every
 * {@value ArteryRemoting#ACK_EVERY} messages of a sender to the ack address its {@link
 * ArteryProtocol.Start} gave ({@link ArteryRemoting.Window}). Rounds are driven by local {@link
 * Sink.Command}s ({@link Sink.Expect}, {@link Sink.AwaitAll}, {@link Sink.Report}) from its own
 * process, which are never serialized.
 *
 * <p>Thread safety: an actor; its state is touched only by its own message handling.
 */
final class ArterySink extends AbstractBehavior<Object> {
    @SuppressWarnings("unchecked")
    private final ActorRef<ArteryProtocol.Ack>[] ackTo = new ActorRef[Sequenced.MAX_SENDERS];

    private final long[] total = new long[Sequenced.MAX_SENDERS];
    private final Sequenced.OrderCheck check = new Sequenced.OrderCheck();
    private long expected;
    private ActorRef<Sink.Received> awaiting;

    private ArterySink(ActorContext<Object> ctx) {
        super(ctx);
    }

    static Behavior<Object> create() {
        return Behaviors.setup(ArterySink::new);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(ArteryProtocol.Small.class, this::onSmall)
                .onMessage(ArteryProtocol.Start.class, this::onStart)
                .onMessage(Sink.Expect.class, this::onExpect)
                .onMessage(Sink.AwaitAll.class, this::onAwaitAll)
                .onMessage(Sink.Report.class, this::onReport)
                .build();
    }

    private Behavior<Object> onStart(ArteryProtocol.Start s) {
        ackTo[s.sender()] = s.ackTo();
        return this;
    }

    private Behavior<Object> onSmall(ArteryProtocol.Small s) {
        int sender = s.sender();
        check.accept(sender, s.seq());
        if (sender >= 0
                && sender < Sequenced.MAX_SENDERS
                && ++total[sender] % ArteryRemoting.ACK_EVERY == 0
                && ackTo[sender] != null) {
            ackTo[sender].tell(new ArteryProtocol.Ack(total[sender]));
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

    /**
     * The round-trip answerer over Artery: each {@link ArteryProtocol.Ping} is answered with its
     * body.
     */
    static Behavior<ArteryProtocol.Ping> echo() {
        return Behaviors.receive(ArteryProtocol.Ping.class)
                .onMessage(
                        ArteryProtocol.Ping.class,
                        p -> {
                            p.replyTo().tell(p.body());
                            return Behaviors.same();
                        })
                .build();
    }
}
