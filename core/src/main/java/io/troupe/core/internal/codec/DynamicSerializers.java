package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.CodecException;
import io.troupe.core.internal.Shape;

/**
 * Serializers for values whose generic type is not known: a {@code List}, {@code Set}, {@code Map}
 * or {@code Optional} sent as a message by itself (e.g. a reply to an {@code
 * ActorRef<List<String>>}), and an {@code ActorRef} as a message. Their elements carry type ids,
 * and only registered types may appear.
 *
 * <p>Thread safety: immutable; shared by all Kryo instances.
 */
final class DynamicSerializers {
    private DynamicSerializers() {}

    /** Wire ids of these, fixed forever. */
    static final int LIST_ID = 48;

    static final int SET_ID = 49;
    static final int MAP_ID = 50;
    static final int OPTIONAL_ID = 51;
    static final int ACTOR_REF_ID = 52;

    static Serializer<Object> list(TypeRegistry r) {
        return wrap(
                new ValueCodecs.Many(
                        ValueCodecs.Kind.LIST,
                        ValueCodecs.dynamic(Object.class, "a List message element"),
                        null,
                        r,
                        "a List message"));
    }

    static Serializer<Object> set(TypeRegistry r) {
        return wrap(
                new ValueCodecs.Many(
                        ValueCodecs.Kind.SET,
                        ValueCodecs.dynamic(Object.class, "a Set message element"),
                        null,
                        r,
                        "a Set message"));
    }

    static Serializer<Object> map(TypeRegistry r) {
        return wrap(
                new ValueCodecs.Many(
                        ValueCodecs.Kind.MAP,
                        ValueCodecs.dynamic(Object.class, "a Map message key"),
                        ValueCodecs.dynamic(Object.class, "a Map message value"),
                        r,
                        "a Map message"));
    }

    static Serializer<Object> optional() {
        return wrap(
                new ValueCodecs.Opt(
                        ValueCodecs.dynamic(Object.class, "an Optional message value")));
    }

    static Serializer<Object> actorRef(TypeRegistry r) {
        return wrap(ValueCodecs.of(new Shape.ActorRefType(null), r, "an ActorRef message"));
    }

    private static Serializer<Object> wrap(ValueCodec codec) {
        return new Serializer<>(false, true) {
            @Override
            public void write(Kryo kryo, Output output, Object object) {
                codec.write(kryo, output, object);
            }

            @Override
            public Object read(Kryo kryo, Input input, Class<?> type) {
                Object v = codec.read(kryo, input);
                if (v == null) {
                    throw new CodecException(
                            "Corrupt frame: a null marker where a message was expected");
                }
                return v;
            }
        };
    }
}
