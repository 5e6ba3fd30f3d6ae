package io.troupe.remote.soak;

import akka.actor.AllDeadLetters;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.soak.SoakProtocol.Load;
import io.troupe.remote.soak.SoakProtocol.Stray;

/**
 * The load mode's receiver, one per process, published as {@value LoadSender#RECEIVER_NAME} for any
 * registered message (so that a {@link Stray} the sender failed to refuse would arrive and be
 * counted, not be refused here as well). It records every arrival in its {@link LoadLedger}: count,
 * highest sequence number, gaps, duplicates or reorderings, misdelivery; and the load messages its
 * own node dead-lettered after they arrived.
 *
 * <p>Thread safety: an actor; its state is confined to it.
 */
final class LoadReceiver extends AbstractBehavior<Object> {
    private final LoadLedger ledger;
    private final long me;

    static Behavior<Object> create(LoadLedger ledger, long incarnation) {
        return Behaviors.setup(ctx -> new LoadReceiver(ctx, ledger, incarnation));
    }

    private LoadReceiver(ActorContext<Object> ctx, LoadLedger ledger, long incarnation) {
        super(ctx);
        this.ledger = ledger;
        this.me = incarnation;
        ctx.getSystem()
                .eventStream()
                .tell(new EventStream.Subscribe<>(AllDeadLetters.class, ctx.getSelf().narrow()));
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Load.class, this::onLoad)
                .onMessage(Stray.class, this::onStray)
                .onMessage(AllDeadLetters.class, this::onDeadLetter)
                .build();
    }

    private Behavior<Object> onLoad(Load m) {
        ledger.received(m.from(), m.seq(), m.to() != me, false);
        return this;
    }

    private Behavior<Object> onStray(Stray m) {
        ledger.received(m.from(), m.seq(), m.to() != me, true);
        return this;
    }

    private Behavior<Object> onDeadLetter(AllDeadLetters d) {
        Object m = d.message();
        if (m instanceof Load l && l.from() != me) {
            ledger.droppedAtReceiver(l.from());
        } else if (m instanceof Stray s && s.from() != me) {
            ledger.droppedAtReceiver(s.from());
        }
        return this;
    }
}
