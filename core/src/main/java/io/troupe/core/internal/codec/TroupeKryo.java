package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import io.troupe.core.codec.CodecLimits;

/**
 * A Kryo instance bound to one {@link TypeRegistry}: registration required, no references, depth
 * limited, and type ids resolved only through the registry ({@link StableIdClassResolver}).
 *
 * <p>Thread safety: not thread-safe, like every Kryo; {@link KryoSessions} gives each thread its
 * own.
 */
final class TroupeKryo extends Kryo {
    final TypeRegistry registry;

    TroupeKryo(TypeRegistry registry) {
        super(new StableIdClassResolver(registry), null);
        this.registry = registry;
        ((StableIdClassResolver) getClassResolver()).seal();
        setRegistrationRequired(true);
        setReferences(false);
        setMaxDepth(registry.limits().maxDepth());
    }

    static CodecLimits limits(Kryo kryo) {
        return ((TroupeKryo) kryo).registry.limits();
    }

    @Override
    protected String unregisteredClassMessage(Class type) {
        return registry.unregisteredMessage(type);
    }
}
