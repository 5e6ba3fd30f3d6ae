package io.troupe.benchmarks.scenarios;

import akka.actor.ActorSelection;
import akka.actor.Address;
import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.SerializationExtension;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The {@code akka-artery} baseline's plumbing: an Akka 2.6.21 actor system with Artery TCP remoting
 * on 127.0.0.1 and a port the OS picks, its messages ({@link ArteryProtocol}) on Akka's {@code
 * jackson-cbor} serializer, and a windowed sender.
 *
 * <p>Only the systems made here get {@code akka.actor.provider = remote}: the configuration is
 * passed to {@code ActorSystem.create}, never set as a system property, so the Troupe nodes the
 * harness starts in the same JVM stay local actor systems.
 *
 * <p><b>Why a window.</b> Artery drops a message silently once its outbound queue of {@value
 * #OUTBOUND_QUEUE} messages per association is full. A sender that only {@code tell}s would measure
 * how fast Akka discards. So every sender here keeps at most {@value #WINDOW} messages
 * unacknowledged, and the receiver acknowledges every {@value #ACK_EVERY} messages ({@link
 * ArteryProtocol.Ack}, a cumulative count); with that, nothing is lost and the figure is what
 * Artery delivers.
 *
 * <p>Thread safety: static helpers; a {@link Window} belongs to one sending thread.
 */
final class ArteryRemoting {
    /** Artery's default {@code akka.remote.artery.advanced.outbound-message-queue-size}. */
    static final int OUTBOUND_QUEUE = 3072;

    /** Most messages one sender has in flight towards one receiver. */
    static final int WINDOW = 2000;

    /** The receiver acknowledges every this many messages from a sender. */
    static final int ACK_EVERY = 200;

    static final String SINK = "sink";
    static final String ECHO = "echo";
    static final String SERIALIZER = "jackson-cbor";
    private static final Duration RESOLVE = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);
    private static final AtomicLong NAMES = new AtomicLong();

    private ArteryRemoting() {}

    /**
     * Artery TCP on 127.0.0.1, port chosen by the OS, the protocol on Jackson CBOR; everything else
     * Akka's defaults.
     */
    static Config config() {
        return ConfigFactory.parseString(
                        String.join(
                                "\n",
                                "akka.actor.provider = remote",
                                "akka.remote.artery.transport = tcp",
                                "akka.remote.artery.canonical.hostname = \"127.0.0.1\"",
                                "akka.remote.artery.canonical.port = 0",
                                // Plain remoting without Cluster is what is measured here: the
                                // start-up advice to use Cluster is not wanted.
                                "akka.remote.warn-about-direct-use = off",
                                "akka.remote.warn-unsafe-watch-outside-cluster = off",
                                "akka.actor.serialization-bindings {",
                                "  \""
                                        + ArteryProtocol.Message.class.getName()
                                        + "\" = "
                                        + SERIALIZER,
                                "}"),
                        ConfigParseOptions.defaults().setOriginDescription("akka-artery baseline"))
                .withFallback(ConfigFactory.load());
    }

    static ActorSystem<Void> start(String name) {
        return ActorSystem.create(Behaviors.empty(), name, config());
    }

    /** The address Artery bound, with the port the OS gave it. */
    static Address address(ActorSystem<?> system) {
        return ((ExtendedActorSystem) Adapter.toClassic(system)).provider().getDefaultAddress();
    }

    /** Starts a system actor at {@code /system/<name>}. */
    static <T> ActorRef<T> spawn(ActorSystem<?> system, Behavior<T> behavior, String name) {
        return system.systemActorOf(behavior, name, Props.empty());
    }

    /**
     * Resolves {@code /system/<name>} on the system at {@code address} (one handshake over Artery).
     */
    static <T> ActorRef<T> resolve(ActorSystem<?> system, String address, String name) {
        ActorSelection selection =
                Adapter.toClassic(system).actorSelection(address + "/system/" + name);
        akka.actor.ActorRef classic =
                TroupeNodes.await(
                        selection.resolveOne(RESOLVE),
                        RESOLVE.plusSeconds(5),
                        "Resolving " + address + "/system/" + name + " over Artery");
        return Adapter.toTyped(classic);
    }

    /** Bytes Akka's serializer makes of {@code message}. */
    static int serializedBytes(ActorSystem<?> system, Object message) {
        return SerializationExtension.get(Adapter.toClassic(system))
                .serialize(message)
                .get()
                .length;
    }

    static void stop(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated()
                    .toCompletableFuture()
                    .get(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Artery actor system "
                            + system.name()
                            + " did not terminate within "
                            + SHUTDOWN.toMillis()
                            + " ms",
                    e);
        }
    }

    /**
     * The sending side of the ack window shared by the rows over Artery: at most {@value #WINDOW}
     * messages unacknowledged, acks batched by the receiver ({@link AckingSink}).
     *
     * <p>Thread safety: {@link #acquire} from one thread; acks arrive on an actor's thread through
     * an atomic.
     */
    static final class Credit {
        private final AtomicLong acked = new AtomicLong();
        private final IdleStrategy idle = new BackoffIdleStrategy();
        private long sent;

        /** The actor that takes this window's acks, each carrying the receiver's count. */
        <A> Behavior<A> acks(Class<A> type, ToLongFunction<A> count) {
            return Behaviors.receive(type)
                    .onMessage(
                            type,
                            a -> {
                                acked.accumulateAndGet(count.applyAsLong(a), Math::max);
                                return Behaviors.same();
                            })
                    .build();
        }

        /**
         * Waits (backing off) while {@value #WINDOW} messages are unacknowledged, then counts one
         * more as sent; fails after {@code timeoutNanos} without an ack.
         */
        void acquire(Object target, long timeoutNanos) {
            if (sent - acked.get() >= WINDOW) {
                long deadline = System.nanoTime() + timeoutNanos;
                while (sent - acked.get() >= WINDOW) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException(
                                "No ack from "
                                        + target
                                        + " within "
                                        + timeoutNanos / 1_000_000
                                        + " ms: "
                                        + sent
                                        + " sent, "
                                        + acked.get()
                                        + " acknowledged");
                    }
                    idle.idle();
                }
                idle.reset();
            }
            sent++;
        }
    }

    /**
     * One sender's flow control towards one receiver: {@link #send} waits (backing off) while
     * {@value #WINDOW} messages are unacknowledged ({@link Credit}). The first send introduces the
     * sender with {@link ArteryProtocol.Start}, so the receiver knows where to send its acks.
     *
     * <p>Thread safety: {@link #send} from one thread.
     */
    static final class Window {
        private final ActorRef<Object> target;
        private final int sender;
        private final Credit credit = new Credit();
        private final ActorRef<ArteryProtocol.Ack> acks;
        private boolean started;

        Window(ActorSystem<?> system, ActorRef<Object> target, int sender) {
            this.target = target;
            this.sender = sender;
            this.acks =
                    spawn(
                            system,
                            credit.acks(ArteryProtocol.Ack.class, ArteryProtocol.Ack::count),
                            "acks-" + NAMES.incrementAndGet());
        }

        /**
         * Tells {@code message} once fewer than {@value #WINDOW} are unacknowledged; fails after
         * {@code timeoutNanos} without an ack.
         */
        void send(ArteryProtocol.Small message, long timeoutNanos) {
            if (!started) {
                target.tell(new ArteryProtocol.Start(sender, acks));
                started = true;
            }
            credit.acquire(target, timeoutNanos);
            target.tell(message);
        }
    }
}
