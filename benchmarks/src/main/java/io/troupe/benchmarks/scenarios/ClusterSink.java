package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.benchmarks.jmh.Payload;

/**
 * The receiving actor of the {@code troupe-cluster} row: {@link ArterySink}'s counterpart in
 * Troupe's protocol. Counts {@link Payload.Small} messages (the {@code troupe} row's record),
 * checks each sender's order, and acknowledges every {@value ArteryRemoting#ACK_EVERY} messages of
 * a sender to the ack address its {@link ClusterFlow.Start} gave ({@link ClusterFlow.Window}).
 * Rounds are driven by local {@link Sink.Command}s from its own process, which never cross a
 * machine. Published as {@value Sink#NAME} for {@code Object}.
 *
 * <p>Thread safety: an actor; its state is touched only by its own message handling.
 */
final class ClusterSink extends AbstractBehavior<Object> {
    @SuppressWarnings("unchecked")
    private final ActorRef<ClusterFlow.Ack>[] ackTo = new ActorRef[Sequenced.MAX_SENDERS];

    private final long[] total = new long[Sequenced.MAX_SENDERS];
    private final Sequenced.OrderCheck check = new Sequenced.OrderCheck();
    private long expected;
    private ActorRef<Sink.Received> awaiting;

    private ClusterSink(ActorContext<Object> ctx) {
        super(ctx);
    }

    static Behavior<Object> create() {
        return Behaviors.setup(ClusterSink::new);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Payload.Small.class, this::onSmall)
                .onMessage(ClusterFlow.Start.class, this::onStart)
                .onMessage(Sink.Expect.class, this::onExpect)
                .onMessage(Sink.AwaitAll.class, this::onAwaitAll)
                .onMessage(Sink.Report.class, this::onReport)
                .build();
    }

    private Behavior<Object> onStart(ClusterFlow.Start s) {
        if (s.sender() >= 0 && s.sender() < Sequenced.MAX_SENDERS) {
            ackTo[s.sender()] = s.ackTo();
        }
        return this;
    }

    private Behavior<Object> onSmall(Payload.Small s) {
        int sender = Sequenced.sender(s);
        check.accept(sender, Sequenced.seq(s));
        if (sender >= 0
                && sender < Sequenced.MAX_SENDERS
                && ++total[sender] % ArteryRemoting.ACK_EVERY == 0
                && ackTo[sender] != null) {
            ackTo[sender].tell(new ClusterFlow.Ack(total[sender]));
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
