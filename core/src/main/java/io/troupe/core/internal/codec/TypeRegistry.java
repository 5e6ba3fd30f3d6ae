package io.troupe.core.internal.codec;

import akka.actor.typed.ActorRef;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.util.IntMap;
import io.troupe.core.Protocol;
import io.troupe.core.ProtocolCheck;
import io.troupe.core.codec.ActorRefCodec;
import io.troupe.core.codec.CodecException;
import io.troupe.core.codec.CodecLimits;
import io.troupe.core.internal.Shape;
import io.troupe.core.internal.Shapes;
import java.time.ZoneId;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered types of one codec, each with its stable id and serializer. Append-only:
 * registering publishes a new immutable snapshot, which every Kryo instance reads without locking,
 * so a protocol registered while messages flow is visible to all threads at once.
 *
 * <p>Thread safety: {@link #register} is synchronized; lookups are lock-free reads of a volatile
 * snapshot.
 */
public final class TypeRegistry {
    private record Snapshot(
            Map<Class<?>, Registration> byClass,
            IntMap<Registration> byId,
            Map<Class<?>, Protocol> protocols) {}

    private final CodecLimits limits;
    private final Map<Class<?>, Registration> derived = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;
    private volatile ActorRefCodec actorRefCodec;

    public TypeRegistry(CodecLimits limits) {
        this.limits = limits;
        Map<Class<?>, Registration> byClass = new IdentityHashMap<>();
        IntMap<Registration> byId = new IntMap<>();
        ScalarSerializers.all(limits)
                .forEach(
                        (type, fixed) ->
                                add(
                                        byClass,
                                        byId,
                                        new Registration(type, fixed.serializer(), fixed.id())));
        add(
                byClass,
                byId,
                new Registration(
                        List.class, DynamicSerializers.list(this), DynamicSerializers.LIST_ID));
        add(
                byClass,
                byId,
                new Registration(
                        Set.class, DynamicSerializers.set(this), DynamicSerializers.SET_ID));
        add(
                byClass,
                byId,
                new Registration(
                        Map.class, DynamicSerializers.map(this), DynamicSerializers.MAP_ID));
        add(
                byClass,
                byId,
                new Registration(
                        Optional.class,
                        DynamicSerializers.optional(),
                        DynamicSerializers.OPTIONAL_ID));
        add(
                byClass,
                byId,
                new Registration(
                        ActorRef.class,
                        DynamicSerializers.actorRef(this),
                        DynamicSerializers.ACTOR_REF_ID));
        this.snapshot = new Snapshot(byClass, byId, Map.of());
    }

    public CodecLimits limits() {
        return limits;
    }

    public ActorRefCodec actorRefCodec() {
        ActorRefCodec c = actorRefCodec;
        if (c == null) {
            throw new CodecException(
                    "This codec has no ActorRefCodec, so it cannot carry ActorRefs inside messages: use the codec of"
                            + " Troupe.get(system) (or install one with MessageCodec.actorRefCodec(...))");
        }
        return c;
    }

    public void actorRefCodec(ActorRefCodec codec) {
        this.actorRefCodec = codec;
    }

    /**
     * Checks the protocol rooted at {@code root} and registers every type in it. Registering a type
     * twice is a no-op.
     *
     * @throws io.troupe.core.ProtocolViolationException if the protocol is not immutable
     * @throws CodecException if a new type's id clashes with another type's
     */
    public synchronized Protocol register(Class<?> root) {
        Snapshot s = snapshot;
        Protocol known = s.protocols.get(root);
        if (known != null) {
            return known;
        }
        Protocol protocol = ProtocolCheck.check(root);
        Map<Class<?>, Registration> byClass = new IdentityHashMap<>(s.byClass);
        IntMap<Registration> byId = new IntMap<>(s.byId);
        Map<Integer, Class<?>> added = new LinkedHashMap<>();
        for (Class<?> type : protocol.types()) {
            if (byClass.containsKey(type)) {
                continue;
            }
            int id = TypeIds.idOf(type);
            Registration registered = byId.get(id);
            Class<?> taken = registered != null ? registered.getType() : added.get(id);
            if (taken != null) {
                throw new CodecException(
                        "Type id clash: "
                                + type.getName()
                                + " (wire name '"
                                + TypeIds.wireName(type)
                                + "') and "
                                + taken.getName()
                                + " (wire name '"
                                + TypeIds.wireName(taken)
                                + "') both hash to wire id "
                                + id
                                + ": annotate one of them with @io.troupe.core.WireName(\"<a unique stable name>\")");
            }
            added.put(id, type);
        }
        added.forEach(
                (id, type) -> {
                    Serializer<?> serializer =
                            type.isEnum()
                                    ? new EnumSerializer(type)
                                    : new RecordSerializer(type, this);
                    add(byClass, byId, new Registration(type, serializer, id));
                });
        Map<Class<?>, Protocol> protocols = new LinkedHashMap<>(s.protocols);
        protocols.put(root, protocol);
        snapshot = new Snapshot(byClass, byId, protocols);
        derived.clear();
        return protocol;
    }

    public boolean isRegistered(Class<?> type) {
        return snapshot.byClass.containsKey(type);
    }

    /** The registration a value of this run-time class is written with, or null. */
    Registration registrationOf(Class<?> type) {
        Registration r = snapshot.byClass.get(type);
        if (r != null) {
            return r;
        }
        r = derived.get(type);
        if (r == null) {
            r = derive(type);
            if (r != null) {
                derived.put(type, r);
            }
        }
        return r;
    }

    Registration registrationOf(int id) {
        return snapshot.byId.get(id);
    }

    @SuppressWarnings("unchecked")
    Serializer<Object> serializerOf(Class<?> type) {
        Registration r = snapshot.byClass.get(type);
        if (r == null) {
            throw new CodecException(unregisteredMessage(type));
        }
        return (Serializer<Object>) r.getSerializer();
    }

    /**
     * Run-time classes that stand for a registered type: JDK collection classes, enum constant
     * bodies, ref adapters.
     */
    private Registration derive(Class<?> type) {
        Map<Class<?>, Registration> byClass = snapshot.byClass;
        if (Enum.class.isAssignableFrom(type) && !type.isEnum()) {
            return byClass.get(type.getSuperclass());
        }
        for (Class<?> general :
                List.of(List.class, Set.class, Map.class, ActorRef.class, ZoneId.class)) {
            if (general.isAssignableFrom(type)) {
                return byClass.get(general);
            }
        }
        return null;
    }

    /** Why {@code type} cannot be encoded, and the registration call that fixes it. */
    String unregisteredMessage(Class<?> type) {
        Shape shape = Shapes.of(type);
        if (shape instanceof Shape.Invalid bad) {
            return type.getName()
                    + " cannot be sent between actors: it "
                    + bad.why()
                    + ": "
                    + bad.fix()
                    + ".";
        }
        Class<?> root = protocolRootOf(type);
        return type.getName()
                + " is not registered with Troupe's codec, so it cannot be encoded: register its protocol in every"
                + " process that sends or receives it, e.g. Troupe.get(system).register("
                + root.getName().replace('$', '.')
                + ".class) (or node.register(...) on a RemoteNode).";
    }

    /** The outermost sealed interface a record or enum belongs to, or the type itself. */
    private static Class<?> protocolRootOf(Class<?> type) {
        for (Class<?> i : type.getInterfaces()) {
            if (i.isSealed()) {
                return protocolRootOf(i);
            }
        }
        return type;
    }

    private static void add(
            Map<Class<?>, Registration> byClass, IntMap<Registration> byId, Registration r) {
        byClass.put(r.getType(), r);
        byId.put(r.getId(), r);
    }
}
