package io.troupe.core.internal.codec;

import akka.actor.typed.ActorRef;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.WireFormat;
import io.troupe.core.internal.Shape;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link ValueCodec} from a {@link Shape}. {@code where} names the component in error
 * messages, e.g. {@code "Order.items (in shop.Order)"}.
 *
 * <p>Thread safety: the codecs built are shared by all threads.
 */
final class ValueCodecs {
    private ValueCodecs() {}

    /** The class a declared message type erases to, or null where it names none ({@code ?}, T). */
    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    static ValueCodec of(Shape shape, TypeRegistry registry, String where) {
        if (shape instanceof Shape.Scalar s) {
            return s.type() == String.class
                    ? StringCodec.INSTANCE
                    : new Nullable(registry, s.type());
        }
        if (shape instanceof Shape.Primitive p) {
            // Only reachable for collection elements and Optionals, where primitives are boxed.
            return new Nullable(registry, Primitives.box(p.type()));
        }
        if (shape instanceof Shape.RecordType r) {
            return new Nullable(registry, r.type());
        }
        if (shape instanceof Shape.EnumType e) {
            return new Nullable(registry, e.type());
        }
        if (shape instanceof Shape.SealedType s) {
            return new Dynamic(s.type(), where);
        }
        if (shape instanceof Shape.ActorRefType r) {
            return new Ref(registry, rawClass(r.messageType()));
        }
        if (shape instanceof Shape.ListType l) {
            return new Many(
                    Kind.LIST,
                    of(l.element(), registry, where + " element"),
                    null,
                    registry,
                    where);
        }
        if (shape instanceof Shape.SetType s) {
            return new Many(
                    Kind.SET, of(s.element(), registry, where + " element"), null, registry, where);
        }
        if (shape instanceof Shape.MapType m) {
            return new Many(
                    Kind.MAP,
                    of(m.key(), registry, where + " key"),
                    of(m.value(), registry, where + " value"),
                    registry,
                    where);
        }
        if (shape instanceof Shape.OptionalType o) {
            return new Opt(of(o.element(), registry, where + " value"));
        }
        throw new IllegalStateException(
                "not a valid shape (the protocol check should have rejected it): " + shape);
    }

    /**
     * A value of any registered type, its type id first. Used where the declared type is a sealed
     * interface.
     */
    static ValueCodec dynamic(Class<?> declared, String where) {
        return new Dynamic(declared, where);
    }

    enum StringCodec implements ValueCodec {
        INSTANCE;

        @Override
        public void write(Kryo kryo, Output output, Object value) {
            WireFormat.writeString(output, (String) value);
        }

        @Override
        public Object read(Kryo kryo, Input input) {
            return WireFormat.readString(input, TroupeKryo.limits(kryo), "a String");
        }
    }

    /** A final type whose serializer is known: a null marker, then the value. */
    static final class Nullable implements ValueCodec {
        private final TypeRegistry registry;
        private final Class<?> type;
        private volatile Serializer<Object>
                serializer; // resolved on first use: types may refer to each other

        Nullable(TypeRegistry registry, Class<?> type) {
            this.registry = registry;
            this.type = type;
        }

        @Override
        public void write(Kryo kryo, Output output, Object value) {
            kryo.writeObjectOrNull(output, value, serializer());
        }

        @Override
        public Object read(Kryo kryo, Input input) {
            return kryo.readObjectOrNull(input, type, serializer());
        }

        private Serializer<Object> serializer() {
            Serializer<Object> s = serializer;
            if (s == null) {
                s = registry.serializerOf(type);
                serializer = s;
            }
            return s;
        }
    }

    static final class Dynamic implements ValueCodec {
        private final Class<?> declared;
        private final String where;

        Dynamic(Class<?> declared, String where) {
            this.declared = declared;
            this.where = where;
        }

        @Override
        public void write(Kryo kryo, Output output, Object value) {
            kryo.writeClassAndObject(output, value);
        }

        @Override
        public Object read(Kryo kryo, Input input) {
            Object v = kryo.readClassAndObject(input);
            if (v != null && !declared.isInstance(v)) {
                throw new CodecException(
                        "Corrupt frame: "
                                + where
                                + " is declared as "
                                + declared.getName()
                                + " but the frame holds a "
                                + v.getClass().getName());
            }
            return v;
        }
    }

    static final class Ref implements ValueCodec {
        private final TypeRegistry registry;

        private final Class<?> messageType;

        Ref(TypeRegistry registry, Class<?> messageType) {
            this.registry = registry;
            this.messageType = messageType;
        }

        @Override
        public void write(Kryo kryo, Output output, Object value) {
            if (value == null) {
                output.writeByte(0);
                return;
            }
            output.writeByte(1);
            registry.actorRefCodec().write(output, (ActorRef<?>) value, messageType);
        }

        @Override
        public Object read(Kryo kryo, Input input) {
            byte marker = input.readByte();
            if (marker == 0) {
                return null;
            }
            if (marker != 1) {
                throw new CodecException(
                        "Corrupt frame: ActorRef marker " + marker + " (expected 0 or 1)");
            }
            return registry.actorRefCodec().read(input, registry.limits(), messageType);
        }
    }

    static final class Opt implements ValueCodec {
        private final ValueCodec element;

        Opt(ValueCodec element) {
            this.element = element;
        }

        @Override
        public void write(Kryo kryo, Output output, Object value) {
            if (value == null) {
                output.writeByte(0);
                return;
            }
            Optional<?> o = (Optional<?>) value;
            if (o.isEmpty()) {
                output.writeByte(1);
            } else {
                output.writeByte(2);
                element.write(kryo, output, o.get());
            }
        }

        @Override
        public Object read(Kryo kryo, Input input) {
            byte marker = input.readByte();
            return switch (marker) {
                case 0 -> null;
                case 1 -> Optional.empty();
                case 2 -> Optional.ofNullable(element.read(kryo, input));
                default ->
                        throw new CodecException(
                                "Corrupt frame: Optional marker "
                                        + marker
                                        + " (expected 0, 1 or 2)");
            };
        }
    }

    enum Kind {
        LIST,
        SET,
        MAP
    }

    /**
     * Lists, sets and maps: a varint of (size + 1), 0 meaning null, then the elements (key, value
     * for maps).
     */
    static final class Many implements ValueCodec {
        /**
         * Elements reserved before any is read; collections in messages are mostly small, so most
         * never grow.
         */
        static final int INITIAL_CAPACITY = 16;

        private final Kind kind;
        private final ValueCodec element;
        private final ValueCodec value;
        private final TypeRegistry registry;
        private final String where;

        Many(Kind kind, ValueCodec element, ValueCodec value, TypeRegistry registry, String where) {
            this.kind = kind;
            this.element = element;
            this.value = value;
            this.registry = registry;
            this.where = where;
        }

        @Override
        public void write(Kryo kryo, Output output, Object v) {
            if (v == null) {
                output.writeByte(0);
                return;
            }
            Immutables.check(v, kind, where);
            checkSize(
                    output, kind == Kind.MAP ? ((Map<?, ?>) v).size() : ((Collection<?>) v).size());
            if (kind == Kind.MAP) {
                Map<?, ?> m = (Map<?, ?>) v;
                output.writeVarInt(m.size() + 1, true);
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    element.write(kryo, output, e.getKey());
                    value.write(kryo, output, e.getValue());
                }
                return;
            }
            List<?> list = kind == Kind.LIST ? (List<?>) v : null;
            if (list != null) {
                int n = list.size();
                output.writeVarInt(n + 1, true);
                for (int i = 0; i < n; i++) {
                    element.write(kryo, output, list.get(i));
                }
            } else {
                Set<?> set = (Set<?>) v;
                output.writeVarInt(set.size() + 1, true);
                for (Object o : set) {
                    element.write(kryo, output, o);
                }
            }
        }

        /** The receiver refuses more than max-collection-size elements: so does the sender. */
        private void checkSize(Output output, int size) {
            int max = registry.limits().maxCollectionSize();
            if (size > max && output instanceof TroupeOutput t) {
                String iface =
                        switch (kind) {
                            case LIST -> "List";
                            case SET -> "Set";
                            case MAP -> "Map";
                        };
                String found =
                        "a "
                                + iface
                                + " of "
                                + size
                                + (kind == Kind.MAP ? " entries" : " elements");
                throw t.overLimit(where, found, max, "max-collection-size");
            }
        }

        @Override
        public Object read(Kryo kryo, Input input) {
            int n =
                    WireFormat.readNullableCount(
                            input,
                            registry.limits().maxCollectionSize(),
                            where,
                            "max-collection-size");
            if (n < 0) {
                return null;
            }
            // n is a claim of the frame, checked only against the bytes left: the arrays grow with
            // the elements actually read, so nested claims cannot each reserve the whole frame.
            if (kind == Kind.MAP) {
                Object[] kv = new Object[2 * Math.min(n, INITIAL_CAPACITY)];
                for (int i = 0; i < 2 * n; i += 2) {
                    if (i == kv.length) {
                        kv = grow(kv, 2 * n);
                    }
                    kv[i] = element.read(kryo, input);
                    kv[i + 1] = value.read(kryo, input);
                }
                return Immutables.map(kv, where);
            }
            Object[] items = new Object[Math.min(n, INITIAL_CAPACITY)];
            for (int i = 0; i < n; i++) {
                if (i == items.length) {
                    items = grow(items, n);
                }
                items[i] = element.read(kryo, input);
            }
            return kind == Kind.LIST ? Immutables.list(items) : Immutables.set(items, where);
        }

        /** Doubles {@code a}, up to {@code max}: the last growth leaves it exactly full. */
        private static Object[] grow(Object[] a, int max) {
            return Arrays.copyOf(a, (int) Math.min(max, 2L * a.length));
        }
    }

    /** Boxes primitive classes. */
    static final class Primitives {
        private Primitives() {}

        static Class<?> box(Class<?> c) {
            if (c == int.class) return Integer.class;
            if (c == long.class) return Long.class;
            if (c == boolean.class) return Boolean.class;
            if (c == double.class) return Double.class;
            if (c == float.class) return Float.class;
            if (c == short.class) return Short.class;
            if (c == byte.class) return Byte.class;
            if (c == char.class) return Character.class;
            return c;
        }
    }
}
