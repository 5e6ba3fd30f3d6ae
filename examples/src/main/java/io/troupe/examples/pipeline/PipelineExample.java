package io.troupe.examples.pipeline;

import akka.actor.typed.ActorRef;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RemoteNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline}: producer, transform stages in worker processes, slow consumer; demand-driven
 * flow control ({@link Flow}) keeps what is in flight bounded and loses nothing.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = {
            "Producer -> stages in worker processes -> slow consumer: back-pressure shows, nothing is lost.",
            "",
            "A producer in this process sends numbered elements through transform stages, each in a"
                    + " worker process of its own, to a deliberately slow consumer back in this process."
                    + " Flow control is demand-driven: each step asks the one above for as many elements as"
                    + " it has room for, so when the consumer falls behind, the stages' buffers fill, they"
                    + " stop asking, and the producer waits. The progress lines show it; at the end the"
                    + " consumer must have every element, in order, with the right value.",
            ""
        })
public final class PipelineExample implements Example {

    private static final long PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    @Spec CommandSpec spec;

    @Option(
            names = "--elements",
            paramLabel = "N",
            defaultValue = "4000",
            description = "Elements the producer sends, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 10_000_000)
    int elements;

    @Option(
            names = "--stages",
            paramLabel = "N",
            defaultValue = "2",
            description =
                    "Transform stages, each in a worker process, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 4)
    int stages;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "2000",
            description =
                    "Elements per second the slow consumer takes, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 100, max = 1_000_000)
    int rate;

    @Option(
            names = "--buffer",
            paramLabel = "N",
            defaultValue = "64",
            description =
                    "Elements each stage, and the consumer, holds at most, ${RANGE}"
                            + " (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 10_000)
    int buffer;

    @Override
    public List<String> tourArguments() {
        return List.of("--elements", "2000");
    }

    @Override
    public boolean inTour() {
        return false;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int perTick = Math.max(1, (int) (rate * Consumer.TICK.toMillis() / 1000));
        long bound = (long) (stages + 1) * buffer;
        StringBuilder shape = new StringBuilder("producer (this process)");
        for (int s = 1; s <= stages; s++) {
            shape.append(" -> stage-").append(s).append(" (worker-").append(s).append(')');
        }
        out.printf(
                Locale.ROOT,
                "pipeline: %s -> consumer (this process, slow: %,d elements/s);"
                        + " %,d elements, every step holds at most %d%n",
                shape,
                perTick * 100,
                elements,
                buffer);
        out.flush();

        Consumer.Finished finished;
        long maxInFlight = 0;
        Producer.Stats producerStats;
        long backPressureEvents;
        long sent;
        long received;
        long deadLetters;
        try (ExampleSystem actors = ExampleCluster.startMain("pipeline");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors, ExampleCluster.workers(stages, PipelineSetup.class), out)) {
            actors.register(Producer.Command.class, Stage.Command.class, Consumer.Command.class);
            ActorRef<Producer.Command> producer =
                    actors.spawn(Producer.create(elements), "producer");
            ActorRef<Consumer.Command> consumer = actors.spawn(Consumer.create(), "consumer");
            List<ActorRef<Stage.Command>> stageRefs = pool.spawnOnEach(Stage.KIND);

            // Wire from the bottom up; demand that arrives before a step is connected waits there.
            ActorRef<Flow.Upstream> upstream = producer.narrow();
            producer.tell(new Producer.Connect(stageRefs.get(0).narrow()));
            for (int s = 0; s < stages; s++) {
                ActorRef<Flow.Downstream> downstream =
                        s + 1 < stages ? stageRefs.get(s + 1).narrow() : consumer.narrow();
                stageRefs.get(s).tell(new Stage.Connect(s + 1, buffer, upstream, downstream));
                upstream = stageRefs.get(s).narrow();
            }
            ActorRef<Flow.Upstream> last = upstream;
            Duration deadline =
                    Duration.ofSeconds(30).plusMillis(elements * 1000L / (perTick * 100L));
            CompletableFuture<Consumer.Finished> done =
                    actors.<Consumer.Command, Consumer.Finished>askAsync(
                                    consumer,
                                    replyTo ->
                                            new Consumer.Connect(
                                                    last, stages, buffer, perTick, replyTo),
                                    deadline)
                            .toCompletableFuture();

            long start = System.nanoTime();
            long nextProgress = start + PROGRESS_NANOS;
            while (!done.isDone()) {
                LockSupport.parkNanos(
                        Math.max(1, Math.min(nextProgress - System.nanoTime(), 5_000_000)));
                if (System.nanoTime() >= nextProgress && !done.isDone()) {
                    maxInFlight =
                            Math.max(
                                    maxInFlight,
                                    printProgress(
                                            out,
                                            actors,
                                            producer,
                                            stageRefs,
                                            consumer,
                                            (System.nanoTime() - start) / 1e9,
                                            bound));
                    nextProgress += PROGRESS_NANOS;
                }
            }
            finished = ExampleSystem.await(done, deadline, "the consumer's last element");
            producerStats =
                    actors.<Producer.Command, Producer.Stats>ask(
                            producer, Producer.GetStats::new, ASK_TIMEOUT);
            RemoteNode node = RemoteNode.get(actors.system());
            backPressureEvents = node.counter("back-pressure-events");
            sent = node.counter("msgs-sent");
            received = node.counter("msgs-received");
            deadLetters = node.counter("dead-letters");
        }

        out.printf(
                Locale.ROOT,
                "  consumer: %,d elements in %.2f s (%,.0f/s); %d out of order, %d with a"
                        + " wrong value%n",
                finished.consumed(),
                finished.elapsedNanos() / 1e9,
                finished.consumed() / (finished.elapsedNanos() / 1e9),
                finished.outOfOrder(),
                finished.wrongValues());
        out.printf(
                Locale.ROOT,
                "  producer: sent %,d; waited for demand %,d times (back-pressure from the"
                        + " consumer, through every stage)%n",
                producerStats.produced(),
                producerStats.demandWaits());
        out.printf(
                Locale.ROOT,
                "  this node's Aeron streams: %,d msgs sent, %,d received, %,d back-pressure"
                        + " events, %,d dead letters (demand kept the streams from filling: the back-pressure is"
                        + " in the actors' protocol)%n",
                sent,
                received,
                backPressureEvents,
                deadLetters);
        boolean complete = finished.consumed() == elements && finished.produced() == elements;
        boolean ok =
                complete
                        && finished.outOfOrder() == 0
                        && finished.wrongValues() == 0
                        && maxInFlight <= bound;
        if (ok) {
            out.printf(
                    Locale.ROOT,
                    "Result: consumed %,d of %,d produced, in order, every value right;"
                            + " in flight at most %,d (bound %d steps x %d = %,d); producer waited for demand %,d times%n",
                    finished.consumed(),
                    finished.produced(),
                    maxInFlight,
                    stages + 1,
                    buffer,
                    bound,
                    producerStats.demandWaits());
        } else {
            out.printf(
                    Locale.ROOT,
                    "Result: FAILED: consumed %,d of %,d produced (%,d sent), %d out of order,"
                            + " %d wrong values, in flight at most %,d (bound %,d)%n",
                    finished.consumed(),
                    elements,
                    finished.produced(),
                    finished.outOfOrder(),
                    finished.wrongValues(),
                    maxInFlight,
                    bound);
        }
        out.flush();
        return ok ? 0 : 1;
    }

    /**
     * Prints one progress line: what each step holds or has asked for and not yet received (never
     * more than its buffer), and their sum, what is in flight. Each figure is exact for its step;
     * the steps are asked one after another, so the sum mixes moments a few microseconds apart.
     *
     * @return what is in flight
     */
    private static long printProgress(
            PrintWriter out,
            ExampleSystem actors,
            ActorRef<Producer.Command> producer,
            List<ActorRef<Stage.Command>> stages,
            ActorRef<Consumer.Command> consumer,
            double seconds,
            long bound) {
        Producer.Stats p =
                actors.<Producer.Command, Producer.Stats>ask(
                        producer, Producer.GetStats::new, ASK_TIMEOUT);
        List<String> steps = new ArrayList<>();
        long inFlight = 0;
        for (ActorRef<Stage.Command> stage : stages) {
            Stage.Stats s =
                    actors.<Stage.Command, Stage.Stats>ask(stage, Stage.GetStats::new, ASK_TIMEOUT);
            steps.add(
                    String.format(
                            Locale.ROOT,
                            "stage-%d %2d/%d",
                            s.number(),
                            s.inFlight(),
                            s.capacity()));
            inFlight += s.inFlight();
        }
        Consumer.Stats c =
                actors.<Consumer.Command, Consumer.Stats>ask(
                        consumer, Consumer.GetStats::new, ASK_TIMEOUT);
        steps.add(
                String.format(
                        Locale.ROOT, "consumer %2d/%d", c.inFlight(), bound / (stages.size() + 1)));
        inFlight += c.inFlight();
        out.printf(
                Locale.ROOT,
                "  %5.2f s  produced %,6d  consumed %,6d  in flight %,4d of at most %,d (%s)"
                        + "  producer waits %,d%n",
                seconds,
                p.produced(),
                c.consumed(),
                inFlight,
                bound,
                String.join(", ", steps),
                p.demandWaits());
        out.flush();
        return inFlight;
    }
}
