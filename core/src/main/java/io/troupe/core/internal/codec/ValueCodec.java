package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes and reads one value whose declared type is known from the record component (or collection
 * element) it sits in, so that no type id is written unless the declared type is a sealed
 * interface. Built once per component by {@link ValueCodecs}.
 *
 * <p>Thread safety: implementations are immutable (apart from benign caches) and shared by all Kryo
 * instances.
 */
interface ValueCodec {
    void write(Kryo kryo, Output output, Object value);

    Object read(Kryo kryo, Input input);
}
