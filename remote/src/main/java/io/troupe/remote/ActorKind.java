package io.troupe.remote;

import akka.actor.typed.Behavior;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A kind of actor that other nodes may spawn here by name: a name, the actor's protocol, and a
 * factory for its behavior. Register kinds on every node that may host them ({@link
 * RemoteNode#registerKind}), typically in a {@link WorkerSetup}; then {@link RemoteNode#spawn} or
 * {@link ProcessPool#spawn} starts one on a chosen node and returns an ordinary typed ref.
 *
 * <pre>{@code
 * public static final ActorKind<Command> KIND = ActorKind.of("pi-worker", Command.class, PiWorker::create);
 * }</pre>
 *
 * <p>Thread safety: immutable; the factory is called on the hosting node, once per spawn.
 *
 * @param name unique among the kinds of a cluster
 * @param protocol the root of the actor's message protocol (registered with the kind)
 * @param factory makes a new behavior; supervision declared in it applies on the hosting node
 */
public record ActorKind<T>(String name, Class<T> protocol, Supplier<Behavior<T>> factory) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public ActorKind {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(factory, "factory");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RemoteException(
                    "Actor kind name '"
                            + name
                            + "' is not valid: use 1-63 letters, digits, '.', '_' or '-', starting"
                            + " with a letter or digit");
        }
    }

    public static <T> ActorKind<T> of(
            String name, Class<T> protocol, Supplier<Behavior<T>> factory) {
        return new ActorKind<>(name, protocol, factory);
    }
}
