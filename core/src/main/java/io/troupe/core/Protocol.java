package io.troupe.core;

import java.util.List;

/**
 * A checked protocol: its root and every concrete message or value type reachable from it (records
 * and enums, including nested records and the reply types of {@code ActorRef<T>} components), in a
 * stable order.
 *
 * <p>Thread safety: immutable.
 *
 * @param root the type the check started from, usually a sealed interface
 * @param types the concrete types that must be registered to send the protocol, sorted by name
 */
public record Protocol(Class<?> root, List<Class<?>> types) {
    public Protocol {
        types = List.copyOf(types);
    }
}
