package io.troupe.examples;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AskPattern;
import com.typesafe.config.Config;
import io.troupe.core.Troupe;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The actor system of one example run: started by the example, closed by it when the run ends
 * (normally or not). Its guardian speaks Akka's {@link SpawnProtocol}, so the example's code on the
 * calling thread can spawn top-level actors and ask them questions.
 *
 * <p>Thread safety: the methods may be called from any thread that is not an actor's (they block);
 * the example's own thread is the intended caller. {@link #close()} is idempotent.
 */
public final class ExampleSystem implements AutoCloseable {

    /** How long an example waits for its actor system to stop. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final ActorSystem<SpawnProtocol.Command> system;

    private ExampleSystem(ActorSystem<SpawnProtocol.Command> system) {
        this.system = system;
    }

    /**
     * Starts an actor system with the class path's configuration ({@code application.conf} of the
     * examples: quiet logging).
     *
     * @param name the system's name, e.g. the example's name
     * @return the running system; close it when done
     */
    public static ExampleSystem start(String name) {
        return new ExampleSystem(ActorSystem.create(SpawnProtocol.create(), name));
    }

    /**
     * Starts an actor system with the given configuration; multi-process examples pass their node's
     * settings here (see {@link ExampleCluster}).
     *
     * @param name the system's name, e.g. the example's name
     * @param config the whole configuration, usually overrides with {@code ConfigFactory.load()} as
     *     fallback
     * @return the running system; close it when done
     */
    public static ExampleSystem start(String name, Config config) {
        return new ExampleSystem(ActorSystem.create(SpawnProtocol.create(), name, config));
    }

    /**
     * @return the underlying actor system
     */
    public ActorSystem<SpawnProtocol.Command> system() {
        return system;
    }

    /**
     * Checks each protocol for immutability and registers it with Troupe's codec, so that a mutable
     * message is caught before any actor uses it.
     *
     * @param roots the protocols' roots, usually actors' {@code Command} interfaces
     */
    public void register(Class<?>... roots) {
        Troupe troupe = Troupe.get(system);
        for (Class<?> root : roots) {
            troupe.register(root);
        }
    }

    /** Spawns a top-level actor on the default dispatcher; blocks until it exists. */
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return spawn(behavior, name, Props.empty());
    }

    /** Spawns a top-level actor with props (a dispatcher, say); blocks until it exists. */
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name, Props props) {
        return ask(
                system,
                replyTo -> new SpawnProtocol.Spawn<>(behavior, name, props, replyTo),
                Duration.ofSeconds(10));
    }

    /**
     * Asks {@code target} and returns the reply as a future, failed with a {@link TimeoutException}
     * if no reply comes within {@code timeout}.
     */
    public <Q, R> CompletionStage<R> askAsync(
            RecipientRef<Q> target, Function<ActorRef<R>, Q> message, Duration timeout) {
        return AskPattern.ask(target, message::apply, timeout, system.scheduler());
    }

    /**
     * Asks {@code target} and waits for the reply, at most {@code timeout}.
     *
     * @throws IllegalStateException naming the target and the timeout if no reply came in time
     */
    public <Q, R> R ask(
            RecipientRef<Q> target, Function<ActorRef<R>, Q> message, Duration timeout) {
        return await(askAsync(target, message, timeout), timeout, "a reply from " + target);
    }

    /**
     * Waits for a future that an ask (or several) completes, at most {@code timeout} plus a second
     * of slack for the ask's own timeout to fire first.
     *
     * @param what what is awaited, for the error message
     * @throws IllegalStateException if it fails or does not complete in time
     */
    public static <R> R await(CompletionStage<R> future, Duration timeout, String what) {
        try {
            return future.toCompletableFuture()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new IllegalStateException(
                        "Gave up waiting for " + what + " after " + timeout.toMillis() + " ms",
                        cause);
            }
            throw new IllegalStateException("Waiting for " + what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Gave up waiting for " + what + " after " + timeout.toMillis() + " ms", e);
        }
    }

    /**
     * Terminates the actor system and waits for it, at most {@link #SHUTDOWN_TIMEOUT}.
     *
     * @throws IllegalStateException if it has not terminated by then
     */
    @Override
    public void close() {
        system.terminate();
        await(
                system.getWhenTerminated(),
                SHUTDOWN_TIMEOUT,
                "termination of actor system " + system.name());
    }
}
