package io.troupe.remote;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.troupe.remote.internal.PoolRouter;
import io.troupe.remote.internal.WorkerArchive;
import io.troupe.remote.internal.WorkerMain;
import io.troupe.remote.launch.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N worker JVMs on this machine, in this node's cluster, whose actors you spawn and address like
 * local ones: Python's {@code multiprocessing.Pool}, with actors. Workers run on this process's
 * class path and {@code java}, with the Aeron flag and the cluster settings added; each runs the
 * {@link WorkerSetup} named in the options (registering the {@link ActorKind}s it hosts) and joins.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.launch(system, PoolOptions.workers(4).withWorkerSetup(PiKinds.class))) {
 *   ActorRef<PiWorker.Command> w = pool.spawn("worker-1", PiWorker.KIND);
 * }
 * }</pre>
 *
 * <p>Workers never outlive this process: they exit when it closes their stdin, exits or dies (even
 * by SIGKILL), or when its node goes down. A worker that dies is started again under its name (a
 * new incarnation) if the {@link RestartPolicy} allows; refs to the dead incarnation go to dead
 * letters. {@link #close} stops every worker (by its pid if it does not exit in time); the Aeron
 * directory goes when the driver's host, usually this process, shuts down.
 *
 * <p>Thread safety: thread-safe; {@link #close} is idempotent.
 */
public final class ProcessPool implements AutoCloseable {
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;
    private static final Logger LOG = LoggerFactory.getLogger(ProcessPool.class);

    private final RemoteNode node;
    private final PoolOptions options;
    private final WorkerArchive archive;
    private final String classPath = System.getProperty("java.class.path");
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ScheduledExecutorService restarter;
    private final List<Consumer<String>> restartListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private static final class Slot {
        final String name;
        volatile ChildJvm process;
        volatile int restarts;
        final Map<Long, CompletableFuture<Member>> joins = new ConcurrentHashMap<>();

        Slot(String name) {
            this.name = name;
        }
    }

    private ProcessPool(RemoteNode node, PoolOptions options) {
        if (node.settings().onEvicted() == RemoteSettings.OnEvicted.REJOIN) {
            throw new RemoteException(
                    "Cannot launch a process pool on node '"
                            + node.name()
                            + "': it runs with troupe.remote.on-evicted = \"rejoin\", and a pool's"
                            + " parent must not outlive its eviction (its workers exit when they see it"
                            + " down, and its refs to them die). Set troupe.remote.on-evicted ="
                            + " \"terminate\" on the node that launches the pool.");
        }
        this.node = node;
        this.options = options;
        this.archive = WorkerArchive.fromConfig(node.system().settings().config());
        this.restarter =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "troupe-pool-restarter-" + node.name());
                            t.setDaemon(true);
                            return t;
                        });
        for (int i = 1; i <= options.workers(); i++) {
            String name = options.namePrefix() + "-" + i;
            slots.put(name, new Slot(name));
        }
        node.addListener(this::onMembership);
    }

    /** Launches {@code workers} workers with default options and waits until all joined. */
    public static ProcessPool launch(ActorSystem<?> system, int workers) {
        return launch(system, PoolOptions.workers(workers));
    }

    /**
     * Launches the workers and waits until all joined.
     *
     * @throws RemoteException naming every worker that did not join within the join timeout, with
     *     the tail of its output; all workers are stopped then
     */
    public static ProcessPool launch(ActorSystem<?> system, PoolOptions options) {
        ProcessPool pool = new ProcessPool(RemoteNode.get(system), options);
        try {
            pool.startAll();
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private void startAll() {
        prepareArchive();
        Map<String, CompletableFuture<Member>> joins = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            joins.put(s.name, start(s));
        }
        long deadline = System.nanoTime() + options.joinTimeout().toNanos();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Member>> e : joins.entrySet()) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                e.getValue().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException ex) {
                Slot s = slots.get(e.getKey());
                failures.add(
                        "worker "
                                + s.name
                                + " (pid "
                                + s.process.pid()
                                + exitState(s.process, ex instanceof ExecutionException)
                                + ") did not join"
                                + (ex instanceof TimeoutException
                                        ? " within " + options.joinTimeout().toMillis() + " ms"
                                        : ": it ended before it was ready")
                                + "; its last output:\n"
                                + s.process.output());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RemoteException("Interrupted while launching the pool", ex);
            }
        }
        if (!failures.isEmpty()) {
            throw new RemoteException(
                    "Process pool of node "
                            + node.name()
                            + " failed to start: "
                            + String.join("\n", failures));
        }
    }

    /**
     * ", still running", or ", exited with code N"; for a worker that ended its output, after
     * waiting a moment for its exit.
     */
    private static String exitState(ChildJvm process, boolean ended) {
        try {
            if (ended || !process.isAlive()) {
                return ", exited with code " + process.awaitExit(Duration.ofSeconds(2));
            }
        } catch (RuntimeException stillRunning) {
            // reported as running
        }
        return ", still running";
    }

    /**
     * Makes the workers' class-data-sharing archive before the first workers start, if it is
     * missing: once per class path and JDK, a few seconds (logged). Its workers, and every later
     * pool's, then start with it. In the foreground, because an archive that a training JVM writes
     * at its exit must outlive a parent that may exit sooner. A failure is logged and the workers
     * start without it.
     */
    private void prepareArchive() {
        try {
            archive.prepare(classPath, options.jvmOptions()).join();
        } catch (java.util.concurrent.CompletionException e) {
            LOG.warn(
                    "Pool workers of node {} start without a class-data-sharing archive: {}",
                    node.name(),
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
    }

    /**
     * Makes the class-data-sharing archive that this system's pool workers start with (see {@code
     * troupe.remote.pool.class-data-sharing}), unless it exists, and waits for it: for an
     * installation step, so that even the first launch does not wait for it. Otherwise the first
     * pool makes it before its workers start.
     *
     * @return the archive, or null if none can be made here (class-data sharing is off, or the
     *     class path has directories)
     * @throws RemoteException if the training JVM failed, with its output
     */
    public static Path prepareWorkerArchive(ActorSystem<?> system, PoolOptions options) {
        WorkerArchive archive = WorkerArchive.fromConfig(system.settings().config());
        try {
            return archive.prepare(System.getProperty("java.class.path"), options.jvmOptions())
                    .join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new RemoteException(
                    "Could not make the pool workers' class-data-sharing archive: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                    e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Starts the slot's worker; completes when it printed ready and its node joined. */
    private CompletableFuture<Member> start(Slot s) {
        List<String> jvm = new ArrayList<>(options.jvmOptions());
        // Every troupe.* setting of this node's config travels, so workers see what the parent was
        // configured with
        // (also when it was configured programmatically); then the worker's own identity.
        Config troupe = node.system().settings().config().getConfig("troupe");
        for (Map.Entry<String, ConfigValue> e : troupe.entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                jvm.add("-Dtroupe." + e.getKey() + "=" + v);
            } else if (v instanceof List<?> list
                    && list.stream()
                            .allMatch(
                                    x ->
                                            x instanceof String
                                                    || x instanceof Number
                                                    || x instanceof Boolean)) {
                // A list of scalars (seed nodes, cipher suites) as key.0, key.1, ...
                for (int i = 0; i < list.size(); i++) {
                    jvm.add("-Dtroupe." + e.getKey() + "." + i + "=" + list.get(i));
                }
            }
        }
        if (troupe.getBoolean("cluster.enabled")) {
            // Workers are Akka Cluster members too, on this machine's address: each on a port of
            // its own.
            jvm.add("-Dtroupe.cluster.port=0");
        }
        jvm.addAll(archive.jvmOptions(classPath));
        jvm.add("-Dtroupe.remote.node-name=" + s.name);
        jvm.add("-Dtroupe.remote.aeron-dir=" + node.aeronDirectory());
        jvm.add("-Dtroupe.remote.driver.mode=attach");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--parent-pid",
                                Long.toString(ProcessHandle.current().pid()),
                                "--parent-node",
                                node.name()));
        if (options.workerSetup() != null) {
            args.add("--setup");
            args.add(options.workerSetup().getName());
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Logger echo = LoggerFactory.getLogger("io.troupe.remote.worker." + s.name);
        ChildJvm p =
                ChildJvm.builder(WorkerMain.class)
                        .name(s.name)
                        .jvmOptions(jvm)
                        .args(args)
                        .keepLines(TAIL_LINES)
                        .onLine(
                                line -> {
                                    if (line.startsWith(WorkerMain.READY)) {
                                        ready.complete(null);
                                    }
                                    if (options.echoOutput()) {
                                        echo.info(line);
                                    }
                                })
                        .start();
        p.outputEnded()
                .thenRun(
                        () ->
                                ready.completeExceptionally(
                                        new RemoteException(
                                                "worker "
                                                        + s.name
                                                        + " ended its output before it was ready")));
        CompletableFuture<Member> joined = new CompletableFuture<>();
        s.joins.put(p.pid(), joined);
        s.process = p;
        // Joined = its node is up here (NodeUp with its pid) and its setup ran (it printed READY).
        node.members().stream()
                .filter(m -> m.name().equals(s.name) && m.pid() == p.pid())
                .findFirst()
                .ifPresent(joined::complete);
        CompletableFuture<Member> started = joined.thenCombine(ready, (m, ignored) -> m);
        // A worker that ended before it was ready will not join: fail at once, not at the join
        // timeout (thenCombine alone would wait for the join too).
        ready.whenComplete(
                (ignored, failure) -> {
                    if (failure != null) {
                        started.completeExceptionally(failure);
                    }
                });
        return started;
    }

    private void onMembership(MembershipEvent event) {
        Slot s = slots.get(event.member().name());
        if (s == null) {
            return;
        }
        if (event instanceof MembershipEvent.NodeUp up) {
            CompletableFuture<Member> f = s.joins.remove(up.member().pid());
            if (f != null) {
                f.complete(up.member());
            }
        } else if (event instanceof MembershipEvent.NodeDown down
                && !closed
                && s.process != null
                && s.process.pid() == down.member().pid()
                && down.reason() != MembershipEvent.Reason.RESTARTED) {
            if (s.restarts < options.restart().maxRestarts()) {
                Duration backoff = options.restart().backoff(s.restarts);
                restarter.schedule(
                        () -> restart(s, down), backoff.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void restart(Slot s, MembershipEvent.NodeDown cause) {
        if (closed) {
            return;
        }
        ChildJvm old = s.process;
        old.kill(); // an unresponsive (e.g. stopped) worker must not come back holding its name
        s.restarts++;
        try {
            start(s).get(options.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
            restartListeners.forEach(l -> l.accept(s.name));
        } catch (Exception e) {
            LOG.warn(
                    "Troupe pool: restarting {} after {} failed: {}\n{}",
                    s.name,
                    cause.reason(),
                    e.toString(),
                    s.process.output());
        }
    }

    /** The workers' node names, {@code <prefix>-1 .. <prefix>-N}. */
    public List<String> workerNames() {
        return List.copyOf(slots.keySet());
    }

    /** The current process id of a worker. */
    public long pid(String worker) {
        return slot(worker).process.pid();
    }

    /** How often a worker was restarted. */
    public int restarts(String worker) {
        return slot(worker).restarts;
    }

    /** Called (on a pool thread) with the worker's name each time a restarted worker has joined. */
    public void onRestart(Consumer<String> listener) {
        restartListeners.add(listener);
    }

    /**
     * Spawns an actor of {@code kind} on {@code worker} and waits for its ref (up to the lookup
     * timeout).
     */
    public <T> ActorRef<T> spawn(String worker, ActorKind<T> kind) {
        return spawn(worker, kind, null);
    }

    public <T> ActorRef<T> spawn(String worker, ActorKind<T> kind, String actorName) {
        slot(worker);
        return await(node.spawn(worker, kind, actorName), worker, kind);
    }

    private <T> ActorRef<T> await(
            CompletionStage<ActorRef<T>> spawning, String worker, ActorKind<T> kind) {
        try {
            return spawning.toCompletableFuture()
                    .get(node.settings().lookupTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RemoteException re
                    ? re
                    : new RemoteException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new RemoteException(
                    "Spawning an actor of kind '" + kind.name() + "' on " + worker + " timed out",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("Interrupted while spawning on " + worker, e);
        }
    }

    /** One actor of {@code kind} on each worker, in worker order. */
    public <T> List<ActorRef<T>> spawnOnEach(ActorKind<T> kind) {
        List<ActorRef<T>> refs = new ArrayList<>();
        for (String w : slots.keySet()) {
            refs.add(spawn(w, kind));
        }
        return refs;
    }

    /**
     * A local router over one actor of {@code kind} per worker. A routee whose worker dies is
     * dropped from the rotation, and a new one is spawned when the worker comes back.
     */
    public <T> ActorRef<T> router(ActorKind<T> kind, Routing routing) {
        boolean count = routing == Routing.LEAST_LOADED;
        Map<String, ActorRef<T>> routees = new LinkedHashMap<>();
        for (String w : slots.keySet()) {
            routees.put(
                    w,
                    await(
                            node.spawn(w, kind, null, count, node.settings().spawnTimeout()),
                            w,
                            kind));
        }
        return PoolRouter.start(
                node.system(),
                kind.protocol(),
                routees,
                count,
                worker -> node.spawn(worker, kind, null, count, node.settings().spawnTimeout()),
                this::onRestart);
    }

    private Slot slot(String worker) {
        Slot s = slots.get(worker);
        if (s == null) {
            throw new RemoteException(
                    "No worker named '"
                            + worker
                            + "' in this pool (workers: "
                            + String.join(", ", slots.keySet())
                            + ")");
        }
        return s;
    }

    /** Stops every worker: asks each to exit, then kills by pid whatever is left after 10 s. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        restarter.shutdownNow();
        List<Thread> stoppers = new ArrayList<>();
        for (Slot s : slots.values()) {
            ChildJvm p = s.process;
            if (p != null) {
                Thread t = new Thread(() -> p.stop(STOP_WAIT), "troupe-pool-stop-" + s.name);
                t.start();
                stoppers.add(t);
            }
        }
        for (Thread t : stoppers) {
            try {
                t.join(STOP_WAIT.toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
