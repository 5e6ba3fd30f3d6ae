package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.benchmarks.jmh.Payload;
import java.time.Duration;

/**
 * The receiving actor of {@link OneToOneThroughput}, {@link FanIn} and {@link FanOut} on Troupe:
 * counts {@link Payload.Small} messages and checks that each sender's sequence numbers arrive in
 * order ({@link Sequenced}), one round at a time.
 *
 * <p>It takes two protocols: the data ({@link Payload.Small}, exactly the codec benchmark's small
 * record, so that the measured bytes are the same as there and in the baselines) and its {@link
 * Command}s. Its behavior is therefore typed {@code Object}; the sender holds two typed refs to it,
 * one per protocol, looked up under the same name.
 *
 * <p>Thread safety: an actor; its state is touched only by its own message handling.
 */
public final class Sink extends AbstractBehavior<Object> {
    /** Published under this name on the peer node. */
    public static final String NAME = "sink";

    public sealed interface Command permits Expect, AwaitAll, Report {}

    /**
     * Starts a round of {@code count} messages numbered from 0; answered with {@link Expecting}.
     */
    public record Expect(long count, ActorRef<Expecting> replyTo) implements Command {}

    /** Answered with {@link Received} once the whole round has arrived (at once if it has). */
    public record AwaitAll(ActorRef<Received> replyTo) implements Command {}

    /** Answered with {@link Received} at once, however much has arrived. */
    public record Report(ActorRef<Received> replyTo) implements Command {}

    public enum Expecting {
        INSTANCE
    }

    /**
     * {@code outOfOrder} counts messages whose number was not the one after their sender's
     * previous.
     */
    public record Received(long received, long outOfOrder) {}

    /** How long the harness waits for a sink's answer to {@link Expect} or {@link Report}. */
    static final Duration ASK = Duration.ofSeconds(10);

    /**
     * Starts a round of {@code n} at {@code sink} and waits until it confirmed (fails after {@link
     * #ASK}).
     */
    static void expect(ActorRef<Command> sink, long n, Scheduler scheduler) {
        TroupeNodes.await(
                AskPattern.ask(sink, (ActorRef<Expecting> r) -> new Expect(n, r), ASK, scheduler),
                ASK,
                "The sink's answer to Expect");
    }

    /**
     * Waits up to {@code timeout} until {@code sink} has counted the whole round; if it has not by
     * then, its count so far (what a lost message leaves).
     */
    static Received awaitAll(ActorRef<Command> sink, Duration timeout, Scheduler scheduler) {
        try {
            return TroupeNodes.await(
                    AskPattern.ask(sink, AwaitAll::new, timeout, scheduler),
                    timeout.plusSeconds(5),
                    "The sink's count");
        } catch (IllegalStateException e) {
            return TroupeNodes.await(
                    AskPattern.ask(sink, Report::new, ASK, scheduler), ASK, "The sink's report");
        }
    }

    private long expected;
    private final Sequenced.OrderCheck check = new Sequenced.OrderCheck();
    private ActorRef<Received> awaiting;

    private Sink(ActorContext<Object> ctx) {
        super(ctx);
    }

    public static Behavior<Object> create() {
        return Behaviors.setup(Sink::new);
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Payload.Small.class, this::onSmall)
                .onMessage(Expect.class, this::onExpect)
                .onMessage(AwaitAll.class, this::onAwaitAll)
                .onMessage(Report.class, this::onReport)
                .build();
    }

    private Behavior<Object> onSmall(Payload.Small s) {
        check.accept(Sequenced.sender(s), Sequenced.seq(s));
        if (check.received == expected && awaiting != null) {
            awaiting.tell(new Received(check.received, check.outOfOrder));
            awaiting = null;
        }
        return this;
    }

    private Behavior<Object> onExpect(Expect e) {
        expected = e.count();
        check.reset();
        awaiting = null;
        e.replyTo().tell(Expecting.INSTANCE);
        return this;
    }

    private Behavior<Object> onAwaitAll(AwaitAll a) {
        if (check.received >= expected) {
            a.replyTo().tell(new Received(check.received, check.outOfOrder));
        } else {
            awaiting = a.replyTo();
        }
        return this;
    }

    private Behavior<Object> onReport(Report r) {
        r.replyTo().tell(new Received(check.received, check.outOfOrder));
        return this;
    }
}
