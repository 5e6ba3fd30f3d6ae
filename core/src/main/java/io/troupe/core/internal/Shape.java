package io.troupe.core.internal;

import java.lang.reflect.Type;

/**
 * What a declared type is, as far as messages are concerned. {@link Shapes#of} classifies a record
 * component's generic type once; the protocol check reports {@link Invalid} shapes and the codec
 * builds one writer/reader per valid shape.
 *
 * <p>Thread safety: immutable.
 */
public sealed interface Shape {
    /** {@code int}, {@code long}, ... */
    record Primitive(Class<?> type) implements Shape {}

    /**
     * An immutable JDK value: boxed primitives, {@code String}, {@code UUID}, {@code java.time}.
     */
    record Scalar(Class<?> type) implements Shape {}

    record EnumType(Class<?> type) implements Shape {}

    record RecordType(Class<?> type) implements Shape {}

    /** A sealed interface: the concrete type travels with the value. */
    record SealedType(Class<?> type) implements Shape {}

    /** An Akka typed {@code ActorRef}; {@code messageType} is null for {@code ActorRef<?>}. */
    record ActorRefType(Type messageType) implements Shape {}

    record ListType(Shape element) implements Shape {}

    record SetType(Shape element) implements Shape {}

    record MapType(Shape key, Shape value) implements Shape {}

    record OptionalType(Shape element) implements Shape {}

    /**
     * A type no message may hold. {@code why} completes "it ..." and {@code fix} is an imperative
     * sentence.
     */
    record Invalid(String typeName, String why, String fix) implements Shape {}
}
