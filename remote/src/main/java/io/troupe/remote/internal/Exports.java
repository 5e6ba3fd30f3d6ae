package io.troupe.remote.internal;

import akka.actor.ActorRef;
import akka.actor.InternalActorRef;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * This node's local actors that other nodes may address: each gets an export id the first time a
 * ref to it leaves the process (as a published name, a spawn's result, or inside a message). Ids
 * are never reused within one incarnation, so a frame for a stopped actor finds nothing rather than
 * a newer actor. An entry is removed when its actor terminates (the {@code onExport} hook starts a
 * watch). The short-lived reply refs of asks (Akka's temporary refs) are not watched, which would
 * cost a system message and a Terminated per ask: they leave when their one reply is delivered, or
 * when {@link #sweepTemporary} finds them completed (timed out) without one.
 *
 * <p>Protocols: an export remembers the message types it was handed out for (the {@code T} of the
 * {@code ActorRef<T>} component it travelled in, the class given to {@code publish}, a spawned
 * kind's protocol). A message reaches the actor only if it is an instance of one of them ({@link
 * Entry#accepts}); an export handed out with an unknown type ({@code ActorRef<?>}) accepts any
 * registered message, as Akka would.
 *
 * <p>A removed export leaves a short description behind (bounded), so that a message for it is
 * dead-lettered with the actor's path and published name rather than a bare number.
 *
 * <p>Thread safety: thread-safe; {@link #export} is called on any encoding thread, {@link #get} on
 * the transport thread.
 */
final class Exports {
    private static final int GONE_DESCRIPTIONS = 4096;
    private static final Class<?>[] ANY = new Class<?>[] {Object.class};

    /** One exported actor. */
    static final class Entry {
        final int id;
        final ActorRef ref;
        final boolean temporary;
        private volatile Class<?>[] protocols = new Class<?>[0];
        private volatile String publishedAs;

        /**
         * The class of the last message accepted, or null: a protocol only grows, so a class once
         * accepted stays accepted. Racy by design (a stale read only repeats the check).
         */
        private Class<?> lastAccepted;

        private Entry(int id, ActorRef ref) {
            this.id = id;
            this.ref = ref;
            this.temporary = InternalActorRef.isTemporaryRef(ref);
        }

        /** Whether {@code message} is of a type this actor was handed out for. */
        boolean accepts(Object message) {
            Class<?> c = message.getClass();
            if (c == lastAccepted) {
                return true; // a stream of one message class costs one compare, not a type check
            }
            Class<?>[] ps = protocols;
            if (ps == ANY) {
                return true;
            }
            for (Class<?> p : ps) {
                if (p.isInstance(message)) {
                    lastAccepted = c;
                    return true;
                }
            }
            return false;
        }

        /**
         * Why a message from {@code from} that this actor does not {@link #accepts accept} was
         * refused at node {@code node}, for its dead letter.
         */
        String notInProtocol(String node, Object message, String from) {
            return "refused at node '"
                    + node
                    + "': a "
                    + message.getClass().getName()
                    + " from "
                    + from
                    + " is not in the protocol of "
                    + describe()
                    + " ("
                    + protocols()
                    + "); the sender's ref has the wrong type (an unchecked cast, or a stale ref"
                    + " after a protocol change)";
        }

        /** The types it accepts, for error messages. */
        String protocols() {
            Class<?>[] ps = protocols;
            return ps.length == 1
                    ? ps[0].getName()
                    : Arrays.stream(ps).map(Class::getName).sorted().toList().toString();
        }

        private synchronized void addProtocol(Class<?> protocol) {
            Class<?>[] ps = protocols;
            Class<?> p = protocol == null ? Object.class : protocol;
            for (Class<?> known : ps) {
                if (known.isAssignableFrom(p)) {
                    return;
                }
            }
            if (p == Object.class) {
                protocols = ANY;
                return;
            }
            Class<?>[] more = Arrays.copyOf(ps, ps.length + 1);
            more[ps.length] = p;
            protocols = more;
        }

        /** "akka://sys/user/echo (published as 'echo')". */
        String describe() {
            String as = publishedAs;
            return ref.path().toStringWithoutAddress()
                    + (as == null ? "" : " (published as '" + as + "')");
        }
    }

    private final ConcurrentHashMap<ActorRef, Entry> byRef = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Entry> byId = new ConcurrentHashMap<>();
    private final Map<Integer, String> gone = new LinkedHashMap<>(); // guarded by itself
    private final AtomicInteger lastId = new AtomicInteger();
    private final ConcurrentLinkedQueue<Entry> temporary = new ConcurrentLinkedQueue<>();
    private volatile Consumer<ActorRef> onExport = ref -> {};

    /** Sets what happens when an actor is first exported (the death watch watches it). Once. */
    void onExport(Consumer<ActorRef> hook) {
        this.onExport = hook;
    }

    /**
     * Exports {@code ref} for messages of {@code protocol} (null: any), and returns its id.
     * Exporting an actor again adds the protocol and keeps the id.
     */
    int export(ActorRef ref, Class<?> protocol) {
        Entry e = byRef.get(ref);
        if (e == null) {
            boolean[] created = new boolean[1];
            e =
                    byRef.computeIfAbsent(
                            ref,
                            r -> {
                                Entry n = new Entry(lastId.incrementAndGet(), r);
                                byId.put(n.id, n);
                                created[0] = true;
                                return n;
                            });
            if (created[0]) {
                e.addProtocol(protocol);
                if (e.temporary) {
                    temporary.offer(e);
                } else {
                    onExport.accept(ref);
                }
                return e.id;
            }
        }
        e.addProtocol(protocol);
        return e.id;
    }

    /** Records the name an exported actor is published under, for error messages. */
    void published(ActorRef ref, String name) {
        Entry e = byRef.get(ref);
        if (e != null) {
            e.publishedAs = name;
        }
    }

    /** The export of a local actor, or null if it is not (or no longer) exported. */
    Entry entryOf(ActorRef ref) {
        return byRef.get(ref);
    }

    Entry get(int id) {
        return byId.get(id);
    }

    /**
     * What became of an id that is no longer exported: "akka://sys/user/echo (published as 'echo')
     * stopped", or that no actor ever had it.
     */
    String describeMissing(int id) {
        String was;
        synchronized (gone) {
            was = gone.get(id);
        }
        if (was != null) {
            return "actor " + was + " stopped";
        }
        return id > 0 && id <= lastId.get()
                ? "actor #" + id + " stopped"
                : "no actor has id #" + id + " here (a forged or corrupt ref)";
    }

    /**
     * @return the id the ref had, or 0
     */
    int remove(ActorRef ref) {
        Entry e = byRef.remove(ref);
        if (e == null) {
            return 0;
        }
        byId.remove(e.id);
        if (!e.temporary) {
            synchronized (gone) {
                gone.put(e.id, e.describe());
                if (gone.size() > GONE_DESCRIPTIONS) {
                    Iterator<Integer> it = gone.keySet().iterator();
                    it.next();
                    it.remove();
                }
            }
        }
        return e.id;
    }

    /**
     * Removes temporary refs that completed without a reply (e.g. the ask timed out). Transport
     * thread.
     */
    void sweepTemporary() {
        for (Iterator<Entry> it = temporary.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (byRef.get(e.ref) != e) {
                it.remove(); // already removed when its reply was delivered
            } else if (e.ref.isTerminated()) {
                remove(e.ref);
                it.remove();
            }
        }
    }

    int size() {
        return byId.size();
    }
}
