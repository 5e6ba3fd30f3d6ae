/**
 * Troupe's message codec: registered, immutable messages to bytes and back, over Kryo.
 *
 * <h2>Wire format</h2>
 *
 * A message is its type's wire id (a varint), then its value. A record is its components in
 * declaration order, with no names and no per-component ids: both ends know its shape from the
 * registration. A registered type's id is a hash of its wire name ({@link io.troupe.core.WireName},
 * else the binary class name), so processes agree whatever order they register in; built-in values
 * ({@code String}, boxed primitives, {@code java.time}, {@link io.troupe.core.Bytes}, ...) have
 * fixed ids below 1024 that never change. {@code GoldenBytesTest} freezes the encoding.
 *
 * <h2>Untrusted input</h2>
 *
 * Decoding never instantiates a class the frame names (ids resolve only among registered types) and
 * never trusts a declared size: every length or count is checked against {@link CodecLimits} and
 * against the bytes left, and collections grow as their elements arrive, so a frame cannot make the
 * decoder allocate much more than its own size (a fuzz test under Jazzer holds it to 64 bytes per
 * frame byte). Every failure is a {@link CodecException}; decoded collections are immutable, and a
 * record's compact constructor runs on decoded values too.
 *
 * <h2>Limits at both ends</h2>
 *
 * The limits the receiver enforces are checked when encoding too, so the sender of an over-limit
 * message gets the error, naming the message class, the component, the size found, the limit and
 * the setting, instead of the receiver silently refusing it.
 *
 * <h2>Refs know their protocol</h2>
 *
 * An {@code ActorRef<T>} inside a message is written by the installed {@link ActorRefCodec}, which
 * is told {@code T}: the remote module exports the local actor for that type, and gives the
 * receiving side a ref that refuses other messages at the sender.
 *
 * <h2>Threads</h2>
 *
 * {@link MessageCodec} is thread-safe: each thread encodes and decodes with a Kryo instance and
 * buffers of its own (virtual threads share a small pool), and registering is safe while other
 * threads encode.
 */
package io.troupe.core.codec;
