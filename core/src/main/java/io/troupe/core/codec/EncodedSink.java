package io.troupe.core.codec;

/**
 * Receives an encoded message without a copy. The bytes belong to the codec and are valid only
 * during the call: copy them (e.g. into an Aeron publication) before returning.
 *
 * <p>Thread safety: called on the encoding thread.
 *
 * @param <R> what the sink returns, e.g. an Aeron {@code offer} result
 */
@FunctionalInterface
public interface EncodedSink<R> {
    R accept(byte[] buffer, int offset, int length);
}
