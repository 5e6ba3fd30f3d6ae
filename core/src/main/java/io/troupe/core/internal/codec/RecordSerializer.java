package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.CodecException;
import io.troupe.core.internal.Shape;
import io.troupe.core.internal.Shapes;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * Writes a record as its components in declaration order, with no names and no per-component type
 * ids: the receiver knows the record's shape from its registration. Primitive components are read
 * and written through typed method handles (no boxing on write); reference components go through a
 * {@link ValueCodec} built from the component's generic type. Reading calls the canonical
 * constructor, so a compact constructor's validation runs on decoded values too.
 *
 * <p>Faster than Kryo's reflective {@code RecordSerializer}, which looks components up and boxes
 * every value per call.
 *
 * <p>Thread safety: immutable after construction; shared by all Kryo instances.
 */
final class RecordSerializer extends Serializer<Object> {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private final Class<?> type;
    private final Component[] components;
    private final MethodHandle
            constructor; // (Object[])Object: records too wide for the reader below

    /**
     * {@code (Kryo, Input)Object}: reads each component in order, with the primitive read methods
     * of {@link Input} for primitive components, and calls the canonical constructor with them, so
     * decoding boxes nothing and allocates no argument array (measured: boxing and the array were a
     * third of decoding a small record). Built by folding one reader per component into the
     * constructor; null for a record with more components than a method handle takes.
     */
    private final MethodHandle reader;

    RecordSerializer(Class<?> type, TypeRegistry registry) {
        super(false, true);
        this.type = type;
        RecordComponent[] rcs = type.getRecordComponents();
        this.components = new Component[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        try {
            for (int i = 0; i < rcs.length; i++) {
                types[i] = rcs[i].getType();
                components[i] = component(rcs[i], registry);
            }
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            MethodHandle exact = LOOKUP.unreflectConstructor(ctor);
            this.constructor =
                    exact.asSpreader(Object[].class, rcs.length)
                            .asType(MethodType.methodType(Object.class, Object[].class));
            this.reader =
                    rcs.length <= MAX_READER_COMPONENTS
                            ? reader(type, exact, types, components)
                            : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new CodecException(
                    "Cannot register record "
                            + type.getName()
                            + ": its canonical constructor or accessors are not"
                            + " accessible ("
                            + e
                            + "); if it lives in a named module, open its package to Troupe",
                    e);
        }
    }

    private static Component component(RecordComponent rc, TypeRegistry registry)
            throws IllegalAccessException {
        Method accessor = rc.getAccessor();
        accessor.setAccessible(true);
        MethodHandle h = LOOKUP.unreflect(accessor);
        Class<?> t = rc.getType();
        String where =
                Shapes.readable(rc.getDeclaringRecord())
                        + "."
                        + rc.getName()
                        + " (in "
                        + rc.getDeclaringRecord().getName()
                        + ")";
        Component c = primitiveComponent(t, h);
        if (c == null) {
            Shape shape = Shapes.of(rc.getGenericType());
            c =
                    new RefComponent(
                            h.asType(MethodType.methodType(Object.class, Object.class)),
                            ValueCodecs.of(shape, registry, where));
        }
        c.where = where;
        return c;
    }

    private static Component primitiveComponent(Class<?> t, MethodHandle h) {
        if (!t.isPrimitive()) {
            return null;
        }
        MethodHandle g = h.asType(MethodType.methodType(t, Object.class));
        if (t == int.class) return new IntComponent(g);
        if (t == long.class) return new LongComponent(g);
        if (t == double.class) return new DoubleComponent(g);
        if (t == boolean.class) return new BooleanComponent(g);
        if (t == float.class) return new FloatComponent(g);
        if (t == short.class) return new ShortComponent(g);
        if (t == byte.class) return new ByteComponent(g);
        return new CharComponent(g);
    }

    @Override
    public void write(Kryo kryo, Output output, Object record) {
        // Tells the output which component it writes, so that a limit it exceeds is named.
        // The enclosing record's component is restored after this record, for what follows it
        // there (a map's key after a record value, say).
        TroupeOutput named = output instanceof TroupeOutput t ? t : null;
        String enclosing = named != null ? named.component() : null;
        try {
            for (Component c : components) {
                if (named != null) {
                    named.component(c.where);
                }
                c.write(kryo, output, record);
            }
            if (named != null) {
                named.component(enclosing);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException(
                    "Reading the components of " + type.getName() + " failed: " + t, t);
        }
    }

    /** Method handles take at most 255 arguments; the reader's chain adds two (Kryo, Input). */
    private static final int MAX_READER_COMPONENTS = 250;

    private static MethodHandle reader(
            Class<?> type, MethodHandle exactConstructor, Class<?>[] types, Component[] components)
            throws ReflectiveOperationException {
        int n = types.length;
        // The constructor, its own failures turned into a CodecException (component reads throw
        // theirs unchanged).
        MethodHandle refused =
                MethodHandles.insertArguments(
                        LOOKUP.findStatic(
                                RecordSerializer.class,
                                "refused",
                                MethodType.methodType(Object.class, Class.class, Throwable.class)),
                        0,
                        type);
        refused =
                MethodHandles.dropArguments(
                        refused.asType(MethodType.methodType(type, Throwable.class)), 1, types);
        MethodHandle g = MethodHandles.catchException(exactConstructor, Throwable.class, refused);
        // g: (t1..tn, Kryo, Input) -> record; then fold the readers in from the last: the first
        // read runs first.
        g = MethodHandles.dropArguments(g, n, Kryo.class, Input.class);
        for (int k = n - 1; k >= 0; k--) {
            g = MethodHandles.foldArguments(g, k, componentReader(types[k], components[k]));
        }
        return g.asType(MethodType.methodType(Object.class, Kryo.class, Input.class));
    }

    /** {@code (Kryo, Input)t}: the read that matches the component's write. */
    private static MethodHandle componentReader(Class<?> t, Component c)
            throws ReflectiveOperationException {
        MethodHandle h;
        if (t == int.class) {
            h =
                    MethodHandles.insertArguments(
                            LOOKUP.findVirtual(
                                    Input.class,
                                    "readVarInt",
                                    MethodType.methodType(int.class, boolean.class)),
                            1,
                            false);
        } else if (t == long.class) {
            h =
                    MethodHandles.insertArguments(
                            LOOKUP.findVirtual(
                                    Input.class,
                                    "readVarLong",
                                    MethodType.methodType(long.class, boolean.class)),
                            1,
                            false);
        } else if (t == double.class) {
            h = LOOKUP.findVirtual(Input.class, "readDouble", MethodType.methodType(double.class));
        } else if (t == float.class) {
            h = LOOKUP.findVirtual(Input.class, "readFloat", MethodType.methodType(float.class));
        } else if (t == boolean.class) {
            h =
                    LOOKUP.findVirtual(
                            Input.class, "readBoolean", MethodType.methodType(boolean.class));
        } else if (t == short.class) {
            h = LOOKUP.findVirtual(Input.class, "readShort", MethodType.methodType(short.class));
        } else if (t == byte.class) {
            h = LOOKUP.findVirtual(Input.class, "readByte", MethodType.methodType(byte.class));
        } else if (t == char.class) {
            h = LOOKUP.findVirtual(Input.class, "readChar", MethodType.methodType(char.class));
        } else {
            return LOOKUP.findVirtual(
                            Component.class,
                            "read",
                            MethodType.methodType(Object.class, Kryo.class, Input.class))
                    .bindTo(c)
                    .asType(MethodType.methodType(t, Kryo.class, Input.class));
        }
        return MethodHandles.dropArguments(h, 0, Kryo.class);
    }

    /** The canonical constructor threw: the decoded values break the record's own checks. */
    private static Object refused(Class<?> type, Throwable t) {
        Throwable cause = t instanceof InvocationTargetException ite ? ite.getCause() : t;
        throw new CodecException(
                "Frame rejected: the constructor of "
                        + type.getName()
                        + " refused the decoded values ("
                        + cause
                        + ")",
                cause);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> ignored) {
        if (reader != null) {
            try {
                return (Object) reader.invokeExact(kryo, input);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new CodecException("Decoding " + type.getName() + " failed: " + t, t);
            }
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = components[i].read(kryo, input);
        }
        try {
            return constructor.invokeExact(args);
        } catch (CodecException e) {
            throw e;
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ite ? ite.getCause() : t;
            throw new CodecException(
                    "Frame rejected: the constructor of "
                            + type.getName()
                            + " refused the decoded values ("
                            + cause
                            + ")",
                    cause);
        }
    }

    private abstract static class Component {
        /**
         * e.g. {@code "Order.items (in shop.Order)"}; set once, before the serializer is shared.
         */
        String where;

        abstract void write(Kryo kryo, Output out, Object record) throws Throwable;

        abstract Object read(Kryo kryo, Input in);
    }

    private static final class RefComponent extends Component {
        private final MethodHandle getter;
        private final ValueCodec codec;

        RefComponent(MethodHandle getter, ValueCodec codec) {
            this.getter = getter;
            this.codec = codec;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            codec.write(kryo, out, (Object) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return codec.read(kryo, in);
        }
    }

    private static final class IntComponent extends Component {
        private final MethodHandle getter;

        IntComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeVarInt((int) getter.invokeExact(record), false);
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readVarInt(false);
        }
    }

    private static final class LongComponent extends Component {
        private final MethodHandle getter;

        LongComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeVarLong((long) getter.invokeExact(record), false);
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readVarLong(false);
        }
    }

    private static final class DoubleComponent extends Component {
        private final MethodHandle getter;

        DoubleComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeDouble((double) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readDouble();
        }
    }

    private static final class FloatComponent extends Component {
        private final MethodHandle getter;

        FloatComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeFloat((float) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readFloat();
        }
    }

    private static final class BooleanComponent extends Component {
        private final MethodHandle getter;

        BooleanComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeBoolean((boolean) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readBoolean();
        }
    }

    private static final class ShortComponent extends Component {
        private final MethodHandle getter;

        ShortComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeShort((short) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readShort();
        }
    }

    private static final class ByteComponent extends Component {
        private final MethodHandle getter;

        ByteComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeByte((byte) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readByte();
        }
    }

    private static final class CharComponent extends Component {
        private final MethodHandle getter;

        CharComponent(MethodHandle getter) {
            this.getter = getter;
        }

        @Override
        void write(Kryo kryo, Output out, Object record) throws Throwable {
            out.writeChar((char) getter.invokeExact(record));
        }

        @Override
        Object read(Kryo kryo, Input in) {
            return in.readChar();
        }
    }
}
