/**
 * The codec that carries messages between processes: registered, immutable messages to bytes and
 * back, with Kryo underneath.
 *
 * <h2>Design</h2>
 *
 * <ul>
 *   <li><b>Registration is always required.</b> Nothing named by the data is ever instantiated: a
 *       type id in the bytes maps only to a class some {@code register} call proved immutable
 *       ({@link io.troupe.core.ProtocolCheck}). An unregistered class fails with the exact call to
 *       add.
 *   <li><b>Stable ids.</b> A type's id derives from its name, so processes that register the same
 *       protocols in any order understand each other; golden-byte tests freeze the format.
 *   <li><b>Untrusted input.</b> Decoding checks every length, count and depth against {@link
 *       io.troupe.core.codec.CodecLimits}; every failure is a {@link
 *       io.troupe.core.codec.CodecException}, never an arbitrary exception or an allocation the
 *       bytes did not pay for.
 *   <li><b>Refs know their protocol.</b> An {@code ActorRef<T>} inside a message is written by the
 *       installed {@link io.troupe.core.codec.ActorRefCodec}, which is told {@code T}: the remote
 *       module exports the local actor for that type and gives the receiving side a ref that
 *       refuses other messages at the sender.
 * </ul>
 *
 * <p>Thread safety: every public type here is thread-safe unless its javadoc says otherwise; Kryo
 * instances are per thread, never shared.
 */
package io.troupe.core.codec;
