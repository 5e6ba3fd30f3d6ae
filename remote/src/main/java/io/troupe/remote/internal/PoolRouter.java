package io.troupe.remote.internal;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local actor that spreads messages over one routee per pool worker: round robin, or to the
 * routee with the least work outstanding (messages this router sent minus messages the routee
 * reported taking, refreshed every {@value #LOAD_QUERY_MILLIS} ms). Routees are watched: a dead one
 * leaves the rotation; when its worker is restarted, a new one is spawned and joins it. Messages
 * that arrive while no routee is up go to dead letters.
 *
 * <p>Thread safety: an actor; its state is touched only on its own thread.
 */
public final class PoolRouter<T> extends AbstractBehavior<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(PoolRouter.class);
    static final long LOAD_QUERY_MILLIS = 20;

    private record RouteeUp(String worker, ActorRef<Object> ref)
            implements NoSerializationVerificationNeeded {}

    private record SpawnFailed(String worker, Throwable error)
            implements NoSerializationVerificationNeeded {}

    private record Respawn(String worker) implements NoSerializationVerificationNeeded {}

    private enum QueryLoad implements NoSerializationVerificationNeeded {
        INSTANCE
    }

    private static final class Routee {
        final String worker;
        final ActorRef<Object> ref;
        long sent;
        long taken;

        Routee(String worker, ActorRef<Object> ref) {
            this.worker = worker;
            this.ref = ref;
        }
    }

    private final Class<T> protocol;
    private final boolean leastLoaded;
    private final Function<String, CompletionStage<ActorRef<T>>> spawn;
    private final List<Routee> routees = new ArrayList<>();
    private final ActorRef<Control.LoadReport> loadReplies;
    private int next;

    /**
     * Starts the router as a system actor over the given routees (worker name to ref) and returns
     * it typed as the routees' protocol.
     */
    public static <T> ActorRef<T> start(
            ActorSystem<?> system,
            Class<T> protocol,
            Map<String, ActorRef<T>> initial,
            boolean leastLoaded,
            Function<String, CompletionStage<ActorRef<T>>> spawn,
            Consumer<Consumer<String>> onRestart) {
        ActorRef<Object> router =
                system.systemActorOf(
                        Behaviors.<Object>setup(
                                ctx -> {
                                    PoolRouter<T> r =
                                            new PoolRouter<>(ctx, protocol, leastLoaded, spawn);
                                    initial.forEach(
                                            (w, ref) ->
                                                    r.onRouteeUp(
                                                            new RouteeUp(w, ref.unsafeUpcast())));
                                    onRestart.accept(w -> ctx.getSelf().tell(new Respawn(w)));
                                    return leastLoaded
                                            ? Behaviors.withTimers(
                                                    timers -> {
                                                        timers.startTimerWithFixedDelay(
                                                                QueryLoad.INSTANCE,
                                                                Duration.ofMillis(
                                                                        LOAD_QUERY_MILLIS));
                                                        return r;
                                                    })
                                            : r;
                                }),
                        "troupe-router-" + UUID.randomUUID(),
                        Props.empty());
        return router.unsafeUpcast();
    }

    private PoolRouter(
            ActorContext<Object> ctx,
            Class<T> protocol,
            boolean leastLoaded,
            Function<String, CompletionStage<ActorRef<T>>> spawn) {
        super(ctx);
        this.protocol = protocol;
        this.leastLoaded = leastLoaded;
        this.spawn = spawn;
        this.loadReplies = ctx.getSelf().narrow();
    }

    private void spawnOn(String worker) {
        ActorRef<Object> self = getContext().getSelf();
        spawn.apply(worker)
                .whenComplete(
                        (ref, error) ->
                                self.tell(
                                        error == null
                                                ? new RouteeUp(worker, ref.unsafeUpcast())
                                                : new SpawnFailed(worker, error)));
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(RouteeUp.class, this::onRouteeUp)
                .onMessage(SpawnFailed.class, this::onSpawnFailed)
                .onMessage(
                        Respawn.class,
                        r -> {
                            spawnOn(r.worker());
                            return this;
                        })
                .onMessage(QueryLoad.class, q -> onQueryLoad())
                .onMessage(Control.LoadReport.class, this::onLoadReport)
                .onSignal(Terminated.class, this::onRouteeTerminated)
                .onMessage(Object.class, this::onMessage)
                .build();
    }

    private Behavior<Object> onRouteeUp(RouteeUp up) {
        routees.add(new Routee(up.worker(), up.ref()));
        getContext().watch(up.ref());
        return this;
    }

    private Behavior<Object> onSpawnFailed(SpawnFailed f) {
        LOG.warn("Router could not spawn a routee on {}: {}", f.worker(), f.error().getMessage());
        return this;
    }

    private Behavior<Object> onRouteeTerminated(Terminated t) {
        routees.removeIf(r -> r.ref.equals(t.getRef()));
        return this;
    }

    private Behavior<Object> onQueryLoad() {
        for (Routee r : routees) {
            r.ref.tell(new Control.LoadQuery(loadReplies));
        }
        return this;
    }

    private Behavior<Object> onLoadReport(Control.LoadReport report) {
        for (Routee r : routees) {
            if (r.ref.equals(report.routee())) {
                r.taken = Math.max(r.taken, report.taken());
            }
        }
        return this;
    }

    private Behavior<Object> onMessage(Object message) {
        if (!protocol.isInstance(message)) {
            getContext()
                    .getLog()
                    .warn(
                            "Router of {} dropped a {}: not part of the protocol",
                            protocol.getSimpleName(),
                            message.getClass().getName());
            return this;
        }
        if (routees.isEmpty()) {
            getContext().getSystem().deadLetters().tell(message);
            return this;
        }
        Routee target = leastLoaded ? leastLoaded() : routees.get(next++ % routees.size());
        target.sent++;
        target.ref.tell(message);
        return this;
    }

    private Routee leastLoaded() {
        Routee best = null;
        long bestLoad = Long.MAX_VALUE;
        int n = routees.size();
        for (int i = 0; i < n; i++) {
            Routee r = routees.get((next + i) % n);
            long load = r.sent - r.taken;
            if (load < bestLoad) {
                best = r;
                bestLoad = load;
            }
        }
        next++;
        return best;
    }
}
