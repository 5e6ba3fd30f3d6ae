package io.troupe.examples.supervision;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.troupe.remote.RemoteNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs the sum-of-squares job over squarers in worker processes and sees it through their failures.
 * It watches every squarer; a squarer's process dying ends in {@code Terminated} like a stop, and
 * the coordinator puts the ranges that squarer had not answered back in the queue for whoever is
 * alive. When the pool has restarted the worker ({@link WorkerRestarted}), it spawns a new squarer
 * there and gives it work again. A range answered twice (by a dying incarnation and its
 * replacement) counts once.
 *
 * <p>Thread safety: an actor; talk to it only through its {@code ActorRef}.
 */
public final class Coordinator extends AbstractBehavior<Coordinator.Command> {

    /** Ranges a squarer has at once: one in work, one waiting. */
    static final int RANGES_PER_SQUARER = 2;

    /** What a coordinator understands. */
    public sealed interface Command
            permits Start,
                    GetProgress,
                    WorkerRestarted,
                    Note,
                    WrappedSummed,
                    SquarerGone,
                    SquarerSpawned,
                    SpawnFailed {}

    /**
     * Sums the squares of 1..{@code n} in {@code ranges} ranges of {@code millisPerRange} each,
     * over {@code squarers} (by worker name); replies {@link Done}.
     */
    public record Start(
            long n,
            int ranges,
            long millisPerRange,
            Map<String, ActorRef<Squarer.Command>> squarers,
            ActorRef<Done> replyTo)
            implements Command {
        public Start {
            if (n < 1 || ranges < 1 || ranges > n || millisPerRange < 0) {
                throw new IllegalArgumentException(
                        "1 <= ranges <= n and millisPerRange >= 0 expected, were "
                                + ranges
                                + ", "
                                + n
                                + " and "
                                + millisPerRange);
            }
            squarers = Map.copyOf(squarers);
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Replies {@link Progress}, with the events after the first {@code eventsSeen}. */
    public record GetProgress(int eventsSeen, ActorRef<Progress> replyTo) implements Command {
        public GetProgress {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** How far the job is, and what happened since the caller last asked. */
    public record Progress(int rangesDone, int ranges, List<String> newEvents) {
        public Progress {
            newEvents = List.copyOf(newEvents);
        }
    }

    /** The pool restarted {@code worker} (called from the pool's restart listener). */
    public record WorkerRestarted(String worker) implements Command {
        public WorkerRestarted {
            Objects.requireNonNull(worker, "worker");
        }
    }

    /** Adds {@code what} to the job's events, on the job's clock. */
    public record Note(String what) implements Command {
        public Note {
            Objects.requireNonNull(what, "what");
        }
    }

    /**
     * The reply to {@link Start}: the sum, how many ranges had to be sent again, and how many
     * ranges each worker incarnation ({@code worker (pid)}) computed.
     */
    public record Done(
            long sum,
            int ranges,
            int resent,
            Map<String, Integer> rangesByWorker,
            long elapsedNanos) {
        public Done {
            rangesByWorker = Map.copyOf(rangesByWorker);
        }
    }

    private record WrappedSummed(Squarer.Summed summed) implements Command {}

    private record SquarerGone(String worker) implements Command {}

    private record SquarerSpawned(String worker, ActorRef<Squarer.Command> squarer)
            implements Command {}

    private record SpawnFailed(String worker, String reason) implements Command {}

    private final ActorRef<Squarer.Summed> summedAdapter;
    private final Map<String, ActorRef<Squarer.Command>> squarers = new LinkedHashMap<>();

    /** The ranges each live squarer has been sent and not yet answered. */
    private final Map<String, Set<Integer>> unanswered = new HashMap<>();

    private final Deque<Integer> queue = new ArrayDeque<>();
    private final Map<String, Integer> rangesByWorker = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private Start start;
    private boolean[] done;
    private int rangesDone;
    private int resent;
    private long sum;
    private long startNanos;

    private Coordinator(ActorContext<Command> context) {
        super(context);
        summedAdapter = context.messageAdapter(Squarer.Summed.class, WrappedSummed::new);
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(Coordinator::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Start.class, this::onStart)
                .onMessage(WrappedSummed.class, this::onSummed)
                .onMessage(SquarerGone.class, this::onSquarerGone)
                .onMessage(WorkerRestarted.class, this::onWorkerRestarted)
                .onMessage(SquarerSpawned.class, this::onSquarerSpawned)
                .onMessage(SpawnFailed.class, this::onSpawnFailed)
                .onMessage(GetProgress.class, this::onGetProgress)
                .onMessage(Note.class, this::onNote)
                .build();
    }

    private Behavior<Command> onStart(Start newStart) {
        start = newStart;
        startNanos = System.nanoTime();
        done = new boolean[start.ranges()];
        for (int r = 0; r < start.ranges(); r++) {
            queue.addLast(r);
        }
        // Worker names in order, so that the first ranges go to worker-1, worker-2, ...
        start.squarers().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> addSquarer(e.getKey(), e.getValue()));
        dispatch();
        return this;
    }

    private Behavior<Command> onSummed(WrappedSummed wrapped) {
        Squarer.Summed summed = wrapped.summed();
        Set<Integer> pending = unanswered.get(summed.worker());
        if (pending != null) {
            pending.remove(summed.range());
        }
        if (done[summed.range()]) {
            return this; // answered twice: by a dying incarnation, and again after being sent again
        }
        done[summed.range()] = true;
        rangesDone++;
        sum += summed.sum();
        rangesByWorker.merge(summed.worker() + " (pid " + summed.pid() + ")", 1, Integer::sum);
        if (rangesDone == start.ranges()) {
            event("all " + start.ranges() + " ranges done");
            start.replyTo()
                    .tell(
                            new Done(
                                    sum,
                                    start.ranges(),
                                    resent,
                                    rangesByWorker,
                                    System.nanoTime() - startNanos));
        } else {
            dispatch();
        }
        return this;
    }

    private Behavior<Command> onSquarerGone(SquarerGone gone) {
        squarers.remove(gone.worker());
        Set<Integer> lost = unanswered.remove(gone.worker());
        List<Integer> again = new ArrayList<>();
        if (lost != null) {
            for (int range : lost) {
                if (!done[range]) {
                    again.add(range);
                }
            }
        }
        again.sort(null);
        // Lost ranges go first: they are the oldest work.
        for (int i = again.size() - 1; i >= 0; i--) {
            queue.addFirst(again.get(i));
        }
        resent += again.size();
        String requeued =
                again.isEmpty()
                        ? "no unanswered range"
                        : "unanswered range" + (again.size() == 1 ? " " : "s ") + again;
        event(
                String.format(
                        Locale.ROOT,
                        "the squarer on %s is gone (Terminated); %s back in the queue",
                        gone.worker(),
                        requeued));
        dispatch();
        return this;
    }

    private Behavior<Command> onWorkerRestarted(WorkerRestarted restarted) {
        event("the pool restarted " + restarted.worker() + "; spawning a new squarer there");
        getContext()
                .pipeToSelf(
                        RemoteNode.get(getContext().getSystem())
                                .spawn(restarted.worker(), Squarer.KIND),
                        (squarer, failure) ->
                                squarer != null
                                        ? new SquarerSpawned(restarted.worker(), squarer)
                                        : new SpawnFailed(
                                                restarted.worker(), String.valueOf(failure)));
        return this;
    }

    private Behavior<Command> onSquarerSpawned(SquarerSpawned spawned) {
        addSquarer(spawned.worker(), spawned.squarer());
        event(
                "a new squarer on "
                        + spawned.worker()
                        + " is ready"
                        + (rangesDone == start.ranges()
                                ? ", but the job is done"
                                : " and takes work"));
        dispatch();
        return this;
    }

    private Behavior<Command> onSpawnFailed(SpawnFailed failed) {
        event("could not spawn a squarer on " + failed.worker() + ": " + failed.reason());
        return this;
    }

    private Behavior<Command> onGetProgress(GetProgress get) {
        int from = Math.min(get.eventsSeen(), events.size());
        get.replyTo()
                .tell(
                        new Progress(
                                rangesDone,
                                start == null ? 0 : start.ranges(),
                                events.subList(from, events.size())));
        return this;
    }

    private Behavior<Command> onNote(Note note) {
        event(note.what());
        return this;
    }

    private void addSquarer(String worker, ActorRef<Squarer.Command> squarer) {
        squarers.put(worker, squarer);
        unanswered.put(worker, new LinkedHashSet<>());
        // Terminated comes when the squarer stops or its process dies, whichever happens.
        getContext().watchWith(squarer, new SquarerGone(worker));
    }

    /** Tops up every live squarer to {@link #RANGES_PER_SQUARER} unanswered ranges. */
    private void dispatch() {
        for (Map.Entry<String, ActorRef<Squarer.Command>> e : squarers.entrySet()) {
            Set<Integer> pending = unanswered.get(e.getKey());
            while (pending.size() < RANGES_PER_SQUARER && !queue.isEmpty()) {
                int range = queue.removeFirst();
                if (done[range]) {
                    continue;
                }
                pending.add(range);
                e.getValue()
                        .tell(
                                new Squarer.Sum(
                                        range,
                                        from(range),
                                        to(range),
                                        start.millisPerRange(),
                                        summedAdapter));
            }
        }
    }

    private long from(int range) {
        return range * start.n() / start.ranges() + 1;
    }

    private long to(int range) {
        return (range + 1) * start.n() / start.ranges();
    }

    private void event(String what) {
        events.add(
                String.format(
                        Locale.ROOT, "%5.2f s  %s", (System.nanoTime() - startNanos) / 1e9, what));
    }
}
