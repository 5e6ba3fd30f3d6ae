package io.troupe.remote.soak;

import akka.actor.AllDeadLetters;
import akka.actor.Dropped;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import com.typesafe.config.Config;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.soak.Ledger.Pair;
import io.troupe.remote.soak.Ledger.Total;
import io.troupe.remote.soak.SoakProtocol.Answer;
import io.troupe.remote.soak.SoakProtocol.Message;
import io.troupe.remote.soak.SoakProtocol.Question;
import io.troupe.remote.soak.SoakProtocol.Sample;
import io.troupe.remote.soak.SoakProtocol.Sampled;
import io.troupe.remote.soak.SoakProtocol.Traffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The soak's one traffic actor per process. Every {@value #TICK_MILLIS} ms (fixed delay) it tells
 * 0-8 {@link Traffic} messages of random sizes to random peers and, one tick in ten, asks one
 * random peer a {@link Question} with a {@link #ASK_TIMEOUT} timeout. It learns peers from
 * membership (NodeUp, then a lookup of their published {@code "soak"} actor), death-watches each,
 * and keeps telling a peer for {@value #ZOMBIE_TICKS} ticks after its {@code Terminated} so that
 * the dead-letter path is exercised every time. It answers questions and {@link Sample}s, and
 * subscribes to Akka's dead letters to count its own undeliverable messages by reason.
 *
 * <p>Everything it counts goes to its {@link Ledger} (a memory-mapped file), never only to the
 * heap, so a SIGKILL loses none of it. It stops sending when the test writes 1 into the shared
 * control file, and keeps receiving and answering.
 *
 * <p>Payload sizes: 70% 0-128 chars, 25% 129-1,300 (one Aeron frame), 4.8% 1.4-16 KiB (Aeron
 * fragments them), 0.2% 140-300 KiB (above the 128 KiB an offer takes with a 1 MiB term, so Troupe
 * chunks them on the transport thread).
 *
 * <p>Thread safety: an actor; its state is confined to it.
 */
final class TrafficActor extends AbstractBehavior<Object> {
    static final long TICK_MILLIS = 10;
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);
    static final int ZOMBIE_TICKS = 20;
    static final String PUBLISHED_NAME = "soak";
    private static final String[][] PAYLOADS = payloads();

    private enum Tick {
        INSTANCE
    }

    private record LookedUp(String name, ActorRef<Message> ref, Throwable error) {}

    private record AskOutcome(
            long target, long seq, long askedMillis, Answer answer, Throwable error) {}

    private record Target(String name, long incarnation, ActorRef<Message> ref) {}

    private final RemoteNode node;
    private final Ledger ledger;
    private final long me;
    private final MappedByteBuffer control;
    private final SplittableRandom random;
    private final List<Target> targets = new ArrayList<>();
    private final Map<Target, Integer> zombies = new HashMap<>();
    private final Set<Long> dead = new HashSet<>();
    private final Map<Long, Long> nextSeq = new HashMap<>();
    private long askSeq;
    private boolean stopped;

    static Behavior<Object> create(RemoteNode node, Ledger ledger, Path controlFile, long seed) {
        return Behaviors.setup(
                ctx ->
                        Behaviors.withTimers(
                                timers ->
                                        new TrafficActor(
                                                ctx, timers, node, ledger, controlFile, seed)));
    }

    private TrafficActor(
            ActorContext<Object> ctx,
            TimerScheduler<Object> timers,
            RemoteNode node,
            Ledger ledger,
            Path controlFile,
            long seed) {
        super(ctx);
        this.node = node;
        this.ledger = ledger;
        this.me = node.incarnation();
        this.control = mapControl(controlFile);
        this.random = new SplittableRandom(seed);
        ctx.getSystem()
                .eventStream()
                .tell(new EventStream.Subscribe<>(AllDeadLetters.class, ctx.getSelf().narrow()));
        node.subscribe(ctx.getSelf().narrow());
        timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(TICK_MILLIS));
    }

    /**
     * The control file: one long, 0 while traffic runs, 1 once the test asks every sender to stop.
     */
    static MappedByteBuffer mapControl(Path file) {
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, 8);
            b.order(ByteOrder.nativeOrder());
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the soak control file " + file, e);
        }
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Tick.class, t -> onTick())
                .onMessage(Traffic.class, this::onTraffic)
                .onMessage(Question.class, this::onQuestion)
                .onMessage(Sample.class, this::onSample)
                .onMessage(AskOutcome.class, this::onAskOutcome)
                .onMessage(MembershipEvent.NodeUp.class, this::onNodeUp)
                .onMessage(MembershipEvent.NodeDown.class, this::onNodeDown)
                .onMessage(LookedUp.class, this::onLookedUp)
                .onMessage(AllDeadLetters.class, this::onDeadLetter)
                .onSignal(Terminated.class, this::onTerminated)
                .build();
    }

    private Behavior<Object> onTick() {
        ledger.set(Total.NODE_MSGS_SENT, node.counter("msgs-sent"));
        ledger.set(Total.NODE_MSGS_RECEIVED, node.counter("msgs-received"));
        ledger.set(Total.NODE_DEAD_LETTERS, node.counter("dead-letters"));
        ledger.set(Total.NODE_REJECTED_FRAMES, node.counter("rejected-frames"));
        ledger.set(Total.NODE_DECODE_FAILURES, node.counter("decode-failures"));
        ledger.set(Total.NODE_BACK_PRESSURE_EVENTS, node.counter("back-pressure-events"));
        if (stopped || control.getLong(0) != 0) {
            stopped = true;
            return this;
        }
        List<Target> live = targets;
        if (!zombies.isEmpty()) {
            live = new ArrayList<>(targets);
            live.addAll(zombies.keySet());
            zombies.replaceAll((t, left) -> left - 1);
            zombies.values().removeIf(left -> left <= 0);
        }
        if (live.isEmpty()) {
            return this;
        }
        // Ticks of traffic only: before the stop, with someone to send to.
        ledger.add(Total.TICKS, 1);
        int tells = random.nextInt(9);
        for (int i = 0; i < tells; i++) {
            tell(live.get(random.nextInt(live.size())));
        }
        if (random.nextInt(10) == 0) {
            ask(live.get(random.nextInt(live.size())));
        }
        return this;
    }

    private void tell(Target t) {
        String payload = payload();
        long seq = nextSeq.merge(t.incarnation, 1L, Long::sum);
        // Counted before it leaves: a kill between the count and the tell shows as lost with the
        // sender, never as a phantom.
        ledger.add(t.incarnation, Pair.SENT, 1);
        ledger.add(t.incarnation, Pair.BYTES_SENT, payload.length());
        t.ref.tell(new Traffic(me, t.incarnation, seq, payload.hashCode(), payload));
    }

    private void ask(Target t) {
        long seq = ++askSeq;
        ledger.add(Total.ASKS_SENT, 1);
        ledger.add(t.incarnation, Pair.ASKS_TO, 1);
        long asked = System.currentTimeMillis();
        getContext()
                .ask(
                        Answer.class,
                        t.ref,
                        ASK_TIMEOUT,
                        replyTo -> new Question(me, seq, replyTo),
                        (answer, error) ->
                                new AskOutcome(t.incarnation, seq, asked, answer, error));
    }

    private String payload() {
        int r = random.nextInt(1000);
        int size = r < 700 ? 0 : r < 950 ? 1 : r < 998 ? 2 : 3;
        String[] pool = PAYLOADS[size];
        return pool[random.nextInt(pool.length)];
    }

    private Behavior<Object> onTraffic(Traffic t) {
        ledger.add(t.from(), Pair.RECEIVED, 1);
        if (t.seq() <= ledger.get(t.from(), Pair.LAST_SEQ)) {
            ledger.add(
                    t.from(),
                    Pair.OUT_OF_ORDER,
                    1); // a duplicate or a reordering: both break the delivery contract
        }
        ledger.set(t.from(), Pair.LAST_SEQ, Math.max(t.seq(), ledger.get(t.from(), Pair.LAST_SEQ)));
        if (t.payload().hashCode() != t.hash()) {
            ledger.add(t.from(), Pair.CORRUPT, 1);
        }
        if (t.to() != me) {
            ledger.add(t.from(), Pair.MISDELIVERED, 1);
        }
        return this;
    }

    private Behavior<Object> onQuestion(Question q) {
        ledger.add(Total.QUESTIONS_ANSWERED, 1);
        q.replyTo().tell(new Answer(q.seq(), me));
        return this;
    }

    private Behavior<Object> onAskOutcome(AskOutcome o) {
        if (o.error() == null) {
            ledger.add(Total.ASKS_ANSWERED, 1);
            ledger.add(o.target(), Pair.ANSWERED_BY, 1);
            if (o.answer().seq() != o.seq() || o.answer().answeredBy() != o.target()) {
                ledger.add(Total.ASKS_WRONG_REPLY, 1);
            }
        } else if (o.error() instanceof TimeoutException) {
            ledger.add(Total.ASKS_TIMED_OUT, 1);
            ledger.add(o.target(), Pair.TIMED_OUT_TO, 1);
            ledger.set(o.target(), Pair.LAST_TIMED_OUT_ASKED_MILLIS, o.askedMillis());
        } else {
            ledger.add(Total.ASKS_FAILED, 1);
            ledger.add(o.target(), Pair.FAILED_TO, 1);
            ledger.otherReason("ask failed: " + o.error());
        }
        return this;
    }

    private Behavior<Object> onSample(Sample s) {
        s.replyTo().tell(measure(node.name(), me, getContext().getSystem().settings().config()));
        return this;
    }

    /** This process's resources after a full GC. Blocks its caller for the GC (tens of ms). */
    static Sampled measure(String name, long incarnation, Config config) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        } catch (IOException e) {
            fds = -1;
        }
        List<String> names =
                Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
        // The count comes from the same snapshot as the names, so that a difference in the count is
        // always one in the names (ThreadMXBean's count, read a moment earlier, could include
        // threads that had ended by the time the names were read).
        int threads = names.size();
        int pools =
                (int)
                        names.stream()
                                .filter(
                                        n ->
                                                n.contains(".default-dispatcher-")
                                                        || n.contains(".internal-dispatcher-"))
                                .count();
        int parallelism =
                parallelism(config, "akka.actor.default-dispatcher")
                        + parallelism(config, "akka.actor.internal-dispatcher");
        return new Sampled(
                name,
                ProcessHandle.current().pid(),
                incarnation,
                heap,
                threads,
                pools,
                parallelism,
                String.join("\n", names),
                fds);
    }

    /**
     * A fork-join dispatcher's thread count as Akka sizes it: ceil(cores x factor), clamped to
     * [min, max].
     */
    private static int parallelism(Config config, String dispatcher) {
        Config fj = config.getConfig(dispatcher + ".fork-join-executor");
        int scaled =
                (int)
                        Math.ceil(
                                Runtime.getRuntime().availableProcessors()
                                        * fj.getDouble("parallelism-factor"));
        return Math.min(
                Math.max(scaled, fj.getInt("parallelism-min")), fj.getInt("parallelism-max"));
    }

    private Behavior<Object> onNodeUp(MembershipEvent.NodeUp up) {
        String name = up.member().name();
        if (!name.equals(node.name()) && !dead.contains(up.member().incarnation())) {
            getContext()
                    .pipeToSelf(
                            node.lookup(
                                    name, PUBLISHED_NAME, Message.class, Duration.ofSeconds(20)),
                            (ref, error) -> new LookedUp(name, ref, error));
        }
        return this;
    }

    private Behavior<Object> onNodeDown(MembershipEvent.NodeDown down) {
        // Stop choosing it at once; its Terminated (through the watch) still comes and is counted
        // there.
        targets.removeIf(t -> t.incarnation == down.member().incarnation());
        return this;
    }

    private Behavior<Object> onLookedUp(LookedUp l) {
        if (l.error() != null) {
            ledger.add(Total.LOOKUPS_FAILED, 1);
            ledger.otherReason("lookup of " + l.name() + " failed: " + l.error());
            return this;
        }
        long incarnation = incarnation(l.ref());
        if (dead.contains(incarnation)
                || targets.stream().anyMatch(t -> t.incarnation == incarnation)) {
            return this;
        }
        targets.add(new Target(l.name(), incarnation, l.ref()));
        ledger.add(
                incarnation,
                Pair.TERMINATED_SEEN,
                0); // names the slot: this incarnation is known here
        ledger.set(Total.TARGETS_KNOWN, targets.size());
        getContext().watch(l.ref());
        return this;
    }

    private Behavior<Object> onTerminated(Terminated t) {
        long incarnation = incarnation(t.getRef());
        ledger.add(incarnation, Pair.TERMINATED_SEEN, 1);
        dead.add(incarnation);
        for (Target target : targets) {
            if (target.incarnation == incarnation) {
                zombies.put(target, ZOMBIE_TICKS);
            }
        }
        targets.removeIf(target -> target.incarnation == incarnation);
        if (zombies.keySet().stream().noneMatch(z -> z.incarnation == incarnation)) {
            // Removed on NodeDown before the Terminated came: keep telling it a little all the
            // same.
            zombies.put(new Target("?", incarnation, t.getRef().unsafeUpcast()), ZOMBIE_TICKS);
        }
        ledger.set(Total.TARGETS_KNOWN, targets.size());
        return this;
    }

    private Behavior<Object> onDeadLetter(AllDeadLetters d) {
        Object m = d.message();
        String reason =
                d instanceof Dropped dropped ? dropped.reason() : d.getClass().getSimpleName();
        if (m instanceof Traffic t) {
            if (t.from() == me) {
                Ledger.Reason r = Ledger.Reason.classify(reason);
                ledger.add(t.to(), Pair.drop(r), 1);
                if (r == Ledger.Reason.OTHER) {
                    ledger.otherReason(reason);
                }
            } else {
                ledger.add(t.from(), Pair.DROPPED_AT_RECEIVER, 1);
            }
        } else if (m instanceof Question) {
            ledger.add(Total.QUESTIONS_DROPPED, 1);
        } else if (m instanceof Answer) {
            ledger.add(Total.ANSWERS_DROPPED, 1);
        } else {
            ledger.add(Total.OTHER_DEAD_LETTERS, 1);
        }
        return this;
    }

    /**
     * A remote ref's node incarnation: the host part of its address, in hex (see RemoteActorRef).
     */
    static long incarnation(ActorRef<?> ref) {
        String host =
                ref.path()
                        .address()
                        .getHost()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                ref
                                                        + " is not a remote ref: it has no incarnation"));
        return Long.parseUnsignedLong(host, 16);
    }

    private static String[][] payloads() {
        Random r = new Random(42);
        int[][] ranges = {{0, 128}, {129, 1_300}, {1_400, 16_384}, {140 * 1024, 300 * 1024}};
        String[][] pools = new String[ranges.length][];
        for (int c = 0; c < ranges.length; c++) {
            pools[c] = new String[c == 3 ? 4 : 16];
            for (int i = 0; i < pools[c].length; i++) {
                int n = ranges[c][0] + r.nextInt(ranges[c][1] - ranges[c][0] + 1);
                StringBuilder b = new StringBuilder(n);
                for (int k = 0; k < n; k++) {
                    b.append((char) (' ' + r.nextInt(95)));
                }
                pools[c][i] = b.toString();
            }
        }
        return pools;
    }
}
