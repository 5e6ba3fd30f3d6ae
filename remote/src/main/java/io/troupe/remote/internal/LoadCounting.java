package io.troupe.remote.internal;

import akka.actor.typed.Behavior;
import akka.actor.typed.BehaviorInterceptor;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;

/**
 * Wraps a routee of a least-loaded router: counts the messages it takes and answers {@link
 * Control.LoadQuery} with that count, so the router can tell how much of what it sent is still
 * waiting.
 *
 * <p>Thread safety: one instance per actor, used on that actor's thread.
 */
final class LoadCounting extends BehaviorInterceptor<Object, Object> {
    private long taken;

    private LoadCounting() {
        super(Object.class);
    }

    static Behavior<Object> wrap(Behavior<Object> behavior) {
        return Behaviors.intercept(LoadCounting::new, behavior);
    }

    @Override
    public Behavior<Object> aroundReceive(
            TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
        if (msg instanceof Control.LoadQuery q) {
            q.replyTo().tell(new Control.LoadReport(ctx.asJava().getSelf(), taken));
            return Behaviors.same();
        }
        taken++;
        return target.apply(ctx, msg);
    }

    @Override
    public boolean isSame(BehaviorInterceptor<Object, Object> other) {
        return other instanceof LoadCounting;
    }
}
