package io.troupe.remote.internal;

import akka.dispatch.Mailbox;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of the event-loop dispatcher ({@code troupe.remote.event-loop-dispatcher}) of one actor
 * system: actor mailboxes ready to run, which the node's transport thread runs between its polls,
 * where their messages were decoded. No hand-off to another thread and no wake-up when a message
 * arrives from another process: the thread that decoded it runs the actor.
 *
 * <p>Bounds: one {@link #runSome} call runs at most {@code maxTasks} tasks and starts none after
 * {@code budgetNanos}; each task is one mailbox run of at most the dispatcher's {@code throughput}
 * messages. So the transport thread goes back to its streams at least every budget plus one mailbox
 * run. A task that runs longer than {@code overrunNanos} (an actor that blocks or computes at
 * length) is reported: logged at WARN with the actor, at most once a second, and counted.
 *
 * <p>Before the node's transport thread attaches (the actor system started, {@code RemoteNode.get}
 * not yet called), and after it detaches (the node closed), a fallback thread of this loop runs the
 * tasks, so actors on the dispatcher never stall; the first such use is logged.
 *
 * <p>Thread safety: {@link #execute} from any thread; {@link #runSome} from the attached thread.
 * Several threads may run tasks at once around attach and detach, which is safe: Akka lets one
 * thread at a time run a mailbox, whatever the executor.
 */
public final class EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);

    /**
     * One loop per actor system, keyed by its event stream (one per system, compared by identity).
     */
    private static final Map<Object, EventLoop> LOOPS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** The loop of the actor system whose event stream this is. */
    public static EventLoop of(Object systemEventStream, String systemName) {
        return LOOPS.computeIfAbsent(systemEventStream, k -> new EventLoop(systemName));
    }

    /**
     * The per-cycle bounds of {@code troupe.remote.event-loop-dispatcher}.
     *
     * @param maxRuns most mailbox runs per duty cycle
     * @param budgetNanos no run starts after this much of a cycle
     * @param overrunNanos a run longer than this is reported
     */
    record Bounds(int maxRuns, long budgetNanos, long overrunNanos) {
        static Bounds fromConfig(Config dispatcher, String path) {
            int maxRuns = dispatcher.getInt("max-runs-per-cycle");
            if (maxRuns < 1) {
                throw new ConfigException.BadValue(
                        path + ".max-runs-per-cycle",
                        "is " + maxRuns + "; it must be at least 1 (default 64)");
            }
            return new Bounds(
                    maxRuns,
                    positive(dispatcher, path, "time-budget-per-cycle", "1ms"),
                    positive(dispatcher, path, "overrun-warning", "50ms"));
        }

        private static long positive(Config c, String path, String key, String dflt) {
            long nanos = c.getDuration(key).toNanos();
            if (nanos <= 0) {
                throw new ConfigException.BadValue(
                        path + "." + key,
                        "is "
                                + c.getDuration(key)
                                + "; it must be more than 0 (default "
                                + dflt
                                + ")");
            }
            return nanos;
        }
    }

    private final String systemName;
    // Multi-consumer: the fallback thread and the runner may both poll around attach and detach.
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile Thread runner;
    private volatile LongConsumer onOverrun = nanos -> {};
    private volatile long overrunNanos = Long.MAX_VALUE;
    private Thread fallback; // guarded by this
    private boolean fallbackLogged; // guarded by this
    private long lastOverrunLog; // the runner's

    private EventLoop(String systemName) {
        this.systemName = systemName;
    }

    /** Queues {@code task}; wakes the thread that will run it if that is another one. */
    public void execute(Runnable task) {
        tasks.offer(task);
        Thread r = runner;
        if (r == null) {
            startOrWakeFallback();
        } else if (r != Thread.currentThread()) {
            LockSupport.unpark(r); // it may be parked by its idle strategy
        }
    }

    /**
     * Makes the calling thread (a node's transport thread) the one that runs the tasks.
     *
     * @param overrunNanos a task that runs longer than this is reported
     * @param onOverrun told the duration of each such task (counts it)
     */
    void attach(long overrunNanos, LongConsumer onOverrun) {
        this.overrunNanos = overrunNanos;
        this.onOverrun = onOverrun;
        runner = Thread.currentThread();
    }

    /** The attached thread stops running tasks; the fallback thread takes over what remains. */
    void detach() {
        if (runner == Thread.currentThread()) {
            runner = null;
            onOverrun = nanos -> {};
            if (!tasks.isEmpty()) {
                startOrWakeFallback();
            }
        }
    }

    /**
     * Runs ready tasks: at most {@code maxTasks}, none started after {@code budgetNanos}.
     *
     * @return how many ran
     */
    int runSome(int maxTasks, long budgetNanos) {
        long start = System.nanoTime();
        long last = start;
        int ran = 0;
        Runnable task;
        while (ran < maxTasks && last - start < budgetNanos && (task = tasks.poll()) != null) {
            task.run();
            ran++;
            long now = System.nanoTime();
            if (now - last > overrunNanos) {
                overran(task, now - last, now);
            }
            last = now;
        }
        return ran;
    }

    private void overran(Runnable task, long nanos, long now) {
        onOverrun.accept(nanos);
        if (now - lastOverrunLog > 1_000_000_000L) {
            lastOverrunLog = now;
            LOG.warn(
                    "{} held the transport thread {} for {} ms (troupe.remote.event-loop-dispatcher):"
                            + " while it runs, this node reads and sends nothing, and a run longer than"
                            + " heartbeat-timeout gets the node evicted. An actor on this dispatcher must"
                            + " not block or compute at length: if it does, move it to the default"
                            + " dispatcher (a GC pause or an overloaded machine also makes a run long)."
                            + " Overruns are counted as event-loop-overruns and logged at most once a"
                            + " second",
                    describe(task),
                    Thread.currentThread().getName(),
                    nanos / 1_000_000);
        }
    }

    private static String describe(Runnable task) {
        if (task instanceof Mailbox m && m.actor() != null) {
            return "Actor " + m.actor().self().path();
        }
        return "A task (" + task.getClass().getName() + ")";
    }

    private synchronized void startOrWakeFallback() {
        if (fallback != null) {
            LockSupport.unpark(fallback);
            return;
        }
        if (!fallbackLogged) {
            fallbackLogged = true;
            LOG.info(
                    "The event-loop dispatcher of actor system '{}' is used while no Troupe node runs"
                            + " in it (before RemoteNode.get, or after the node closed): its actors run"
                            + " on a thread of their own until a node's transport thread takes them",
                    systemName);
        }
        fallback = new Thread(this::runFallback, "troupe-event-loop-fallback-" + systemName);
        fallback.setDaemon(true);
        fallback.start();
    }

    /** Runs tasks while no runner is attached; ends after a second with nothing to run. */
    private void runFallback() {
        long idleSince = System.nanoTime();
        while (true) {
            Runnable task = runner == null ? tasks.poll() : null;
            if (task != null) {
                task.run();
                idleSince = System.nanoTime();
                continue;
            }
            if (System.nanoTime() - idleSince > 1_000_000_000L || runner != null) {
                synchronized (this) {
                    if (runner != null || tasks.isEmpty()) {
                        fallback = null; // the next execute without a runner starts another
                        return;
                    }
                }
                idleSince = System.nanoTime();
            }
            LockSupport.parkNanos(this, 10_000_000L);
        }
    }

    /** Tasks waiting (for tests and diagnostics). */
    int waiting() {
        return tasks.size();
    }
}
