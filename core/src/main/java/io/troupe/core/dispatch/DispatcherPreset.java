package io.troupe.core.dispatch;

import akka.actor.typed.DispatcherSelector;

/**
 * The dispatcher presets Troupe configures under {@code troupe.dispatchers} in its {@code
 * reference.conf}, to be chosen where an actor is spawned:
 *
 * <pre>{@code
 * ActorRef<Repository.Command> repository =
 *     context.spawn(Repository.create(dataSource), "repository", DispatcherPreset.BLOCKING_IO.selector());
 * }</pre>
 *
 * Each preset's threads are named {@code <system>-troupe.dispatchers.<preset>-<n>}, so thread dumps
 * and log lines show which preset ran the code.
 *
 * <p>Thread safety: an immutable enum; every method may be called from any thread.
 */
public enum DispatcherPreset {

    /**
     * {@code troupe.dispatchers.cpu-bound}: a fork-join pool with one thread per core (at least 2,
     * at most 64) and a throughput of 100 messages per mailbox run, for actors that only compute.
     * Never block on it: a blocked thread is a core's worth of capacity lost to every actor here.
     */
    CPU_BOUND("cpu-bound"),

    /**
     * {@code troupe.dispatchers.blocking-io}: a fixed pool of 32 platform threads and a throughput
     * of 1, for actors that make blocking calls. At most 32 such calls run at once; the rest wait
     * in the dispatcher's queue.
     */
    BLOCKING_IO("blocking-io"),

    /**
     * {@code troupe.dispatchers.virtual-threads}: one new virtual thread per mailbox run on Java
     * 21+, for many actors that block; on Java 17-20 a fixed pool of {@code fallback-pool-size}
     * (default 32) platform threads, with one log line saying so. See {@link
     * #virtualThreadsAvailable()} and {@link VirtualThreadExecutorConfigurator}.
     */
    VIRTUAL_THREADS("virtual-threads");

    /** The configuration section that holds all presets. */
    public static final String CONFIG_ROOT = "troupe.dispatchers";

    private final String configPath;
    private final DispatcherSelector selector;

    DispatcherPreset(String name) {
        this.configPath = CONFIG_ROOT + "." + name;
        this.selector = DispatcherSelector.fromConfig(configPath);
    }

    /**
     * The preset's configuration path, e.g. {@code "troupe.dispatchers.blocking-io"}; this is also
     * the dispatcher id that appears in its thread names.
     *
     * @return the absolute configuration path of this preset
     */
    public String configPath() {
        return configPath;
    }

    /**
     * The selector to pass as props when spawning, e.g. {@code context.spawn(behavior, "name",
     * DispatcherPreset.CPU_BOUND.selector())}. It is an ordinary {@link akka.actor.typed.Props}, so
     * it combines with others through {@code withNext}.
     *
     * @return {@code DispatcherSelector.fromConfig(configPath())}, created once
     */
    public DispatcherSelector selector() {
        return selector;
    }

    /**
     * Whether this JVM gives {@link #VIRTUAL_THREADS} real virtual threads (Java 21 or later); when
     * {@code false} that preset runs on its platform-thread fallback pool.
     *
     * @return {@code true} on Java 21+ where {@code Thread.ofVirtual()} could be reached
     */
    public static boolean virtualThreadsAvailable() {
        return VirtualThreads.available();
    }
}
