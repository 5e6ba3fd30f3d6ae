package io.troupe.core.internal.codec;

import com.esotericsoftware.kryo.io.Input;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out Kryo instances with their reusable buffers: one per platform thread (a thread-local:
 * dispatcher and transport threads are long-lived, so each keeps its own), and from a small pool
 * for virtual threads (Java 21+), which come and go per task and must not each build a Kryo.
 *
 * <p>Thread safety: thread-safe. A {@link Session} belongs to one thread between {@link #acquire()}
 * and {@link #release}; a nested call on the same thread (an {@code ActorRefCodec} that encodes)
 * gets a fresh session instead of the busy one.
 */
final class KryoSessions {
    /**
     * Output buffers above this are dropped after use, so one huge message does not pin memory per
     * thread.
     */
    private static final int KEEP_BUFFER_BYTES = 1 << 20;

    private static final int POOL_MAX = 64;
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    static final class Session {
        final TroupeKryo kryo;
        TroupeOutput output;
        final Input input = new Input();
        boolean busy;
        final boolean pooled;

        Session(TypeRegistry registry, boolean pooled) {
            this.kryo = new TroupeKryo(registry);
            this.output = newOutput(registry);
            this.pooled = pooled;
        }
    }

    private final TypeRegistry registry;
    private final ThreadLocal<Session> perThread;
    private final ConcurrentLinkedQueue<Session> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooledCount = new AtomicInteger();

    KryoSessions(TypeRegistry registry) {
        this.registry = registry;
        this.perThread = ThreadLocal.withInitial(() -> new Session(registry, false));
    }

    Session acquire() {
        Session s;
        if (isVirtual(Thread.currentThread())) {
            s = pool.poll();
            if (s == null) {
                s = new Session(registry, pooledCount.incrementAndGet() <= POOL_MAX);
            }
        } else {
            s = perThread.get();
            if (s.busy) {
                s = new Session(registry, false); // re-entrant use on this thread
                return s;
            }
        }
        s.busy = true;
        return s;
    }

    void release(Session s) {
        s.busy = false;
        if (s.output.getBuffer().length > KEEP_BUFFER_BYTES) {
            s.output = newOutput(registry);
        }
        if (s.pooled) {
            pool.offer(s);
        }
    }

    private static TroupeOutput newOutput(TypeRegistry registry) {
        return new TroupeOutput(registry.limits());
    }

    private static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // Java 17-20: no virtual threads
        }
    }
}
