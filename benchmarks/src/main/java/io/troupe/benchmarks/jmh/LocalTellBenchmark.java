package io.troupe.benchmarks.jmh;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.typesafe.config.ConfigFactory;
import io.troupe.benchmarks.JvmFlags;
import io.troupe.core.dispatch.DispatcherPreset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-to-one tell throughput between two actors of one process, on each dispatcher preset:
 *
 * <pre>
 *   JMH thread --Blast(n)--> Sender --n x Increment, then Flush--> Counter --latch--> JMH thread
 *                            (both actors on the dispatcher under test)
 * </pre>
 *
 * One invocation is one batch of {@value #BATCH} tells; JMH divides by
 * {@code @OperationsPerInvocation}, so the score is messages per second. The batch ends when the
 * counter has seen all of them ({@code Flush} arrives last: Akka keeps per-pair order) and opens a
 * latch; a batch that does not finish within {@value #TIMEOUT_SECONDS} s fails the run instead of
 * hanging it.
 *
 * <p>Dispatchers: Akka's {@code default}, and Troupe's presets {@code cpu-bound}, {@code
 * blocking-io} and {@code virtual-threads} (on Java 17-20 its platform-thread fallback).
 *
 * <p>Thread safety: JMH's thread drives the actors only through tells and the latch.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(LocalTellBenchmark.BATCH)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = JvmFlags.ADD_EXPORTS)
@State(Scope.Benchmark)
public class LocalTellBenchmark {
    static final int BATCH = 10_000;
    static final int TIMEOUT_SECONDS = 30;

    /** {@code default} is Akka's default dispatcher; the others name a {@link DispatcherPreset}. */
    @Param({"default", "cpu-bound", "blocking-io", "virtual-threads"})
    public String dispatcher;

    private ActorSystem<Void> system;
    private ActorRef<Sender.Command> sender;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DispatcherSelector selector = selector(dispatcher);
        CompletableFuture<ActorRef<Sender.Command>> spawned = new CompletableFuture<>();
        system =
                ActorSystem.create(
                        Behaviors.setup(
                                context -> {
                                    ActorRef<Counter.Command> counter =
                                            context.spawn(Counter.create(), "counter", selector);
                                    spawned.complete(
                                            context.spawn(
                                                    Sender.create(counter), "sender", selector));
                                    return Behaviors.empty();
                                }),
                        "local-tell",
                        ConfigFactory.parseString("akka.log-dead-letters = off")
                                .withFallback(ConfigFactory.load()));
        sender = spawned.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Benchmark
    public void oneToOneTell() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        sender.tell(new Sender.Blast(BATCH, done));
        if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    "A batch of "
                            + BATCH
                            + " tells on dispatcher '"
                            + dispatcher
                            + "' did not arrive within "
                            + TIMEOUT_SECONDS
                            + " s");
        }
    }

    static DispatcherSelector selector(String name) {
        if (name.equals("default")) {
            return DispatcherSelector.defaultDispatcher();
        }
        for (DispatcherPreset preset : DispatcherPreset.values()) {
            if (preset.configPath().equals(DispatcherPreset.CONFIG_ROOT + "." + name)) {
                return preset.selector();
            }
        }
        throw new IllegalArgumentException(
                "Unknown dispatcher '"
                        + name
                        + "': expected default, cpu-bound, blocking-io or"
                        + " virtual-threads");
    }

    /** Tells a batch of increments to the counter, then asks it to open the batch's latch. */
    static final class Sender extends AbstractBehavior<Sender.Command> {
        sealed interface Command permits Blast {}

        /** Carries a latch: an in-process benchmark message, never serialized. */
        record Blast(int count, CountDownLatch done) implements Command {}

        private final ActorRef<Counter.Command> counter;

        static Behavior<Command> create(ActorRef<Counter.Command> counter) {
            return Behaviors.setup(context -> new Sender(context, counter));
        }

        private Sender(ActorContext<Command> context, ActorRef<Counter.Command> counter) {
            super(context);
            this.counter = counter;
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder().onMessage(Blast.class, this::onBlast).build();
        }

        private Behavior<Command> onBlast(Blast blast) {
            for (int i = 0; i < blast.count(); i++) {
                counter.tell(Counter.Increment.INSTANCE);
            }
            counter.tell(new Counter.Flush(blast.count(), blast.done()));
            return this;
        }
    }

    /** Counts increments; on {@code Flush} checks the count and opens the latch. */
    static final class Counter extends AbstractBehavior<Counter.Command> {
        sealed interface Command permits Increment, Flush {}

        enum Increment implements Command {
            INSTANCE
        }

        record Flush(int expected, CountDownLatch done) implements Command {}

        private int received;

        static Behavior<Command> create() {
            return Behaviors.setup(Counter::new);
        }

        private Counter(ActorContext<Command> context) {
            super(context);
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessageEquals(Increment.INSTANCE, this::onIncrement)
                    .onMessage(Flush.class, this::onFlush)
                    .build();
        }

        private Behavior<Command> onIncrement() {
            received++;
            return this;
        }

        private Behavior<Command> onFlush(Flush flush) {
            if (received != flush.expected()) {
                // Leaves the latch closed: the benchmark thread's timeout reports the failure.
                getContext()
                        .getLog()
                        .error("Counted {} increments, expected {}", received, flush.expected());
            } else {
                flush.done().countDown();
            }
            received = 0;
            return this;
        }
    }
}
