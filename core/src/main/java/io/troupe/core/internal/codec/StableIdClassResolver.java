package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.ClassResolver;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.troupe.core.codec.CodecException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Kryo's class resolver, narrowed to Troupe's registry. Writes a type as its stable id; reads an id
 * only by looking it up among registered types. Unlike Kryo's default resolver it never reads a
 * class name from the wire, so no class outside the registered protocols is ever loaded or
 * instantiated because of inbound bytes.
 *
 * <p>Kryo's own default registrations (primitives, made by its constructor) stay local to this
 * resolver and are never reachable by id.
 *
 * <p>Thread safety: one per Kryo instance, like Kryo; the registry it reads is thread-safe.
 */
final class StableIdClassResolver implements ClassResolver {
    private final TypeRegistry registry;
    private final Map<Class<?>, Registration> kryoDefaults = new IdentityHashMap<>();
    private Kryo kryo;
    private boolean sealed; // false only while Kryo's constructor registers its defaults
    // One-entry caches: a registered type's registration never changes (the registry only grows),
    // and consecutive messages are usually of one type.
    private Class<?> lastWrittenType;
    private Registration lastWritten;
    private int lastReadId = -1;
    private Registration lastRead;

    StableIdClassResolver(TypeRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void setKryo(Kryo kryo) {
        this.kryo = kryo;
    }

    @Override
    public Registration register(Registration registration) {
        kryoDefaults.put(registration.getType(), registration);
        return registration;
    }

    @Override
    public Registration unregister(int classID) {
        return null;
    }

    @Override
    public Registration registerImplicit(Class type) {
        throw new CodecException(registry.unregisteredMessage(type));
    }

    /**
     * Called once Kryo's constructor is done. Before that, Kryo's {@code register(String.class,
     * ...)} would find the registry's shared String registration and replace its serializer.
     */
    void seal() {
        sealed = true;
    }

    @Override
    public Registration getRegistration(Class type) {
        if (!sealed) {
            return kryoDefaults.get(type);
        }
        Registration r = registry.registrationOf(type);
        return r != null ? r : kryoDefaults.get(type);
    }

    @Override
    public Registration getRegistration(int classID) {
        return registry.registrationOf(classID);
    }

    @Override
    public Registration writeClass(Output output, Class type) {
        if (type == null) {
            output.writeByte(Kryo.NULL);
            return null;
        }
        Registration r;
        if (type == lastWrittenType) {
            r = lastWritten;
        } else {
            r = registry.registrationOf(type);
            if (r == null) {
                throw new CodecException(registry.unregisteredMessage(type));
            }
            lastWrittenType = type;
            lastWritten = r;
        }
        output.writeVarInt(r.getId() + 2, true);
        return r;
    }

    @Override
    public Registration readClass(Input input) {
        int id = input.readVarInt(true);
        if (id == Kryo.NULL) {
            return null;
        }
        if (id == lastReadId) {
            return lastRead;
        }
        Registration r = registry.registrationOf(id - 2);
        if (r == null) {
            throw new CodecException(
                    "Frame rejected: unknown type id "
                            + (id - 2)
                            + "; no protocol registered in this process has"
                            + " it (register the same protocols on every node that exchanges them)");
        }
        lastReadId = id;
        lastRead = r;
        return r;
    }

    @Override
    public void reset() {
        // No per-graph state: ids are static.
    }
}
