package io.troupe.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import io.troupe.core.TroupeException;
import io.troupe.remote.internal.WindowedBackoffIdleStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * The {@code troupe.remote} settings of one process, read once from {@link Config} by {@link
 * #fromConfig(Config)} and validated in one place: the canonical constructor. Every rejection is an
 * {@link InvalidSettingException} whose message quotes the key, the bad value, what was expected
 * and how to fix it, plus where the value came from when it came from config.
 *
 * <p>The keys, their units and defaults are documented in the module's {@code reference.conf}.
 *
 * <p>Thread safety: immutable; safe to share between threads.
 *
 * @param nodeName this node's name; generated as {@code node-<pid>} when configured as ""
 * @param nodeNameGenerated whether {@code nodeName} was generated rather than configured
 * @param clusterName the cluster this node belongs to
 * @param aeronDir absolute path of the cluster's Aeron directory, already resolved
 * @param idleStrategy how transport agents and a launched driver wait for work
 * @param termLength IPC term length in bytes, a power of two in [64 KiB, 1 GiB]
 * @param driver media-driver lifecycle settings
 * @param heartbeatInterval how often this node announces itself
 * @param heartbeatTimeout silence after which a node is considered dead
 * @param lookupTimeout how long a lookup waits for its answer
 * @param backPressureTimeout how long an outbound message may wait under back-pressure
 * @param maxMessageBytes largest encoded message sent or accepted, at least 16 MiB
 * @param outboundQueueBytes most bytes waiting under back-pressure for one peer node
 * @param inboundMailboxLimit mailbox size of a local actor above which the node stops reading its
 *     inbound stream (0: never)
 * @param spawnTimeout how long a remote spawn waits for its answer
 * @param unsendable what {@code tell} does with a message that cannot be sent
 * @param onEvicted what a node does when the cluster declared it down while it was alive
 */
public record RemoteSettings(
        String nodeName,
        boolean nodeNameGenerated,
        String clusterName,
        Path aeronDir,
        IdleStrategyKind idleStrategy,
        int termLength,
        DriverSettings driver,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration lookupTimeout,
        Duration backPressureTimeout,
        int maxMessageBytes,
        long outboundQueueBytes,
        int inboundMailboxLimit,
        Duration spawnTimeout,
        Unsendable unsendable,
        OnEvicted onEvicted) {

    /** The config section every key lives under. */
    public static final String PREFIX = "troupe.remote";

    static final int MIN_TERM_LENGTH = 64 * 1024;
    static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;
    static final int MIN_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    static final int MAX_MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;
    private static final String TERM_LENGTH_PROBLEM =
            "is not a power of two between 64 KiB and 1 GiB: set it to e.g. 1m";
    private static final String MAX_MESSAGE_BYTES_PROBLEM =
            "is not between 16 MiB and 1 GiB (16 MiB messages must always fit): set it to e.g. 16448KiB";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /**
     * Aeron clients send a keep-alive every 500 ms; a shorter liveness timeout drops live clients.
     */
    private static final Duration MIN_CLIENT_LIVENESS_TIMEOUT = Duration.ofSeconds(1);

    /** Aeron drivers refresh their heartbeat once a second (timer interval); allow missing two. */
    private static final Duration MIN_DRIVER_TIMEOUT = Duration.ofSeconds(3);

    /** Validates every component; see the class comment for the shape of the errors. */
    public RemoteSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(aeronDir, "aeronDir");
        Objects.requireNonNull(idleStrategy, "idleStrategy");
        Objects.requireNonNull(driver, "driver");
        requireName("node-name", nodeName);
        requireName("cluster-name", clusterName);
        if (!aeronDir.isAbsolute() || aeronDir.getParent() == null) {
            throw invalid(
                    "aeron-dir",
                    "\"" + aeronDir + "\"",
                    "is not an absolute path below some directory: set it to e.g. /dev/shm/troupe-"
                            + System.getProperty("user.name", "user")
                            + "/"
                            + clusterName
                            + ", or to \"\" for the default");
        }
        if (termLength < MIN_TERM_LENGTH
                || termLength > MAX_TERM_LENGTH
                || Integer.bitCount(termLength) != 1) {
            throw invalid("term-length", Integer.toString(termLength), TERM_LENGTH_PROBLEM);
        }
        requireBetween(
                "heartbeat-interval",
                heartbeatInterval,
                Duration.ofMillis(10),
                Duration.ofMinutes(1),
                "500ms");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        if (heartbeatTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw invalid(
                    "heartbeat-timeout",
                    format(heartbeatTimeout),
                    "is less than 2 x heartbeat-interval ("
                            + format(heartbeatInterval)
                            + "), so one late heartbeat would declare a live node dead: set it to at least "
                            + format(heartbeatInterval.multipliedBy(2))
                            + ", e.g. 3s");
        }
        requirePositive("lookup-timeout", lookupTimeout, "5s");
        requirePositive("spawn-timeout", spawnTimeout, "10s");
        Objects.requireNonNull(unsendable, "unsendable");
        Objects.requireNonNull(onEvicted, "onEvicted");
        requirePositive("back-pressure-timeout", backPressureTimeout, "10s");
        if (maxMessageBytes < MIN_MAX_MESSAGE_BYTES || maxMessageBytes > MAX_MAX_MESSAGE_BYTES) {
            throw invalid(
                    "max-message-bytes",
                    Integer.toString(maxMessageBytes),
                    MAX_MESSAGE_BYTES_PROBLEM);
        }
        if (inboundMailboxLimit < 0) {
            throw invalid(
                    "inbound-mailbox-limit",
                    Integer.toString(inboundMailboxLimit),
                    "is negative: set it to a message count such as 50000, or 0 to never pause reading");
        }
        if (outboundQueueBytes < maxMessageBytes) {
            throw invalid(
                    "outbound-queue-bytes",
                    Long.toString(outboundQueueBytes),
                    "is less than max-message-bytes ("
                            + maxMessageBytes
                            + "), so one large message could never wait: set it to"
                            + " at least that, e.g. 64MiB");
        }
    }

    /**
     * Reads and validates {@code troupe.remote} from {@code config} (falling back to
     * reference.conf).
     */
    public static RemoteSettings fromConfig(Config config) {
        Config root =
                config.withFallback(
                        ConfigFactory.defaultReference(RemoteSettings.class.getClassLoader()));
        Config c = null;
        try {
            c = root.getConfig(PREFIX);
            String configuredName = c.getString("node-name");
            boolean generated = configuredName.isEmpty();
            String nodeName = generated ? "node-" + ProcessHandle.current().pid() : configuredName;
            String clusterName = c.getString("cluster-name");
            String dir = c.getString("aeron-dir");
            Path aeronDir =
                    dir.isEmpty()
                            ? defaultAeronDir(clusterName)
                            : Path.of(dir).toAbsolutePath().normalize();
            return new RemoteSettings(
                    nodeName,
                    generated,
                    clusterName,
                    aeronDir,
                    IdleStrategyKind.fromConfig(c.getString("idle-strategy")),
                    intBytes(c, "term-length", TERM_LENGTH_PROBLEM),
                    new DriverSettings(
                            DriverMode.fromConfig(c.getString("driver.mode")),
                            c.getDuration("driver.client-liveness-timeout"),
                            c.getDuration("driver.driver-timeout"),
                            c.getDuration("driver.lock-timeout")),
                    c.getDuration("heartbeat-interval"),
                    c.getDuration("heartbeat-timeout"),
                    c.getDuration("lookup-timeout"),
                    c.getDuration("back-pressure-timeout"),
                    intBytes(c, "max-message-bytes", MAX_MESSAGE_BYTES_PROBLEM),
                    c.getBytes("outbound-queue-bytes"),
                    c.getInt("inbound-mailbox-limit"),
                    c.getDuration("spawn-timeout"),
                    Unsendable.fromConfig(c.getString("unsendable")),
                    OnEvicted.fromConfig(c.getString("on-evicted")));
        } catch (InvalidSettingException e) {
            throw e.withOrigin(
                    e.key() != null && c != null && c.hasPath(e.key())
                            ? c.getValue(e.key()).origin()
                            : null);
        } catch (ConfigException e) {
            throw new InvalidSettingException(
                    null,
                    e.getMessage()
                            + ": see troupe-remote's reference.conf for the expected format and units",
                    e);
        }
    }

    /**
     * {@link #fromConfig(Config)} of {@link ConfigFactory#load()}: application.conf, -D overrides,
     * defaults.
     */
    public static RemoteSettings load() {
        return fromConfig(ConfigFactory.load());
    }

    /**
     * The default Aeron directory of a cluster: {@code /dev/shm/troupe-<user>/<cluster>} where
     * {@code /dev/shm} exists, else the same path under {@code java.io.tmpdir}. The per-user
     * directory {@code troupe-<user>} is private to the user (0700; see the driver package's threat
     * model) and holds every cluster's directory and lock file.
     */
    public static Path defaultAeronDir(String clusterName) {
        return userDirectory()
                .resolve(clusterName.replaceAll("[^A-Za-z0-9._-]", "_"))
                .toAbsolutePath()
                .normalize();
    }

    /**
     * The clusters of this user whose default Aeron directory ({@link #defaultAeronDir}) exists on
     * this machine, sorted by name: what a tool lists when asked for a cluster that is not there.
     * Directories set explicitly with {@code troupe.remote.aeron-dir} are not found.
     */
    public static List<String> localClusters() {
        try (Stream<Path> entries = Files.list(userDirectory())) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code /dev/shm/troupe-<user>} (or under {@code java.io.tmpdir}): the user's clusters. */
    private static Path userDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("troupe-" + user);
    }

    /** The lock file beside the Aeron directory: {@code <aeron-dir>.lock}. */
    public Path lockFile() {
        return aeronDir.resolveSibling(aeronDir.getFileName() + ".lock");
    }

    private static int intBytes(Config c, String key, String problem) {
        long bytes = c.getBytes(key);
        if (bytes > Integer.MAX_VALUE) {
            throw invalid(key, Long.toString(bytes), problem);
        }
        return (int) bytes;
    }

    private static void requireName(String key, String value) {
        if (!NAME.matcher(value).matches()) {
            throw invalid(
                    key,
                    "\"" + value + "\"",
                    "is not 1 to 63 characters of [A-Za-z0-9._-] starting with a letter or digit: set it to e.g. \"alpha\"");
        }
    }

    static void requirePositive(String key, Duration value, String example) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw invalid(key, format(value), "is not more than 0: set it to e.g. " + example);
        }
    }

    static void requireBetween(
            String key, Duration value, Duration min, Duration max, String example) {
        Objects.requireNonNull(value, key);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(
                    key,
                    format(value),
                    "is not between "
                            + format(min)
                            + " and "
                            + format(max)
                            + ": set it to e.g. "
                            + example);
        }
    }

    static InvalidSettingException invalid(String key, String value, String problem) {
        return new InvalidSettingException(
                key, PREFIX + "." + key + " = " + value + " " + problem, null);
    }

    /** A duration the way one would write it in HOCON: {@code 3s}, {@code 500ms}, {@code 250us}. */
    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos % 1_000L == 0 ? nanos / 1_000L + "us" : nanos + "ns";
    }

    /**
     * Media-driver lifecycle settings ({@code troupe.remote.driver}).
     *
     * <p>Thread safety: immutable; safe to share between threads.
     *
     * @param mode how this process finds its driver
     * @param clientLivenessTimeout how long a launched driver waits for a silent client, at least 1
     *     s
     * @param driverTimeout how long clients wait for a silent driver, at least 3 s
     * @param lockTimeout how long start-up waits for the directory lock, more than driverTimeout
     */
    public record DriverSettings(
            DriverMode mode,
            Duration clientLivenessTimeout,
            Duration driverTimeout,
            Duration lockTimeout) {
        /** Validates every component. */
        public DriverSettings {
            Objects.requireNonNull(mode, "mode");
            requireBetween(
                    "driver.client-liveness-timeout",
                    clientLivenessTimeout,
                    MIN_CLIENT_LIVENESS_TIMEOUT,
                    Duration.ofHours(1),
                    "5s (Aeron clients send keep-alives every 500ms)");
            requireBetween(
                    "driver.driver-timeout",
                    driverTimeout,
                    MIN_DRIVER_TIMEOUT,
                    Duration.ofHours(1),
                    "10s (Aeron drivers refresh their heartbeat once a second)");
            Objects.requireNonNull(lockTimeout, "lockTimeout");
            if (lockTimeout.compareTo(driverTimeout) <= 0) {
                throw invalid(
                        "driver.lock-timeout",
                        format(lockTimeout),
                        "is not more than driver.driver-timeout ("
                                + format(driverTimeout)
                                + "), which a lock holder may spend waiting for a crashed driver to go stale: set it to e.g. "
                                + format(driverTimeout.multipliedBy(3)));
            }
        }
    }

    /**
     * How this process finds its media driver ({@code troupe.remote.driver.mode}).
     *
     * <p>Thread safety: immutable.
     */
    public enum DriverMode {
        /** Use the live driver in the directory, or launch one in this process if none runs. */
        ATTACH_OR_LAUNCH("attach-or-launch"),
        /** Use the live driver in the directory; fail if none runs. */
        ATTACH("attach"),
        /** Launch a driver in this process; fail if one already runs in the directory. */
        EMBEDDED("embedded");

        private final String configValue;

        DriverMode(String configValue) {
            this.configValue = configValue;
        }

        /** The value as written in config. */
        public String configValue() {
            return configValue;
        }

        static DriverMode fromConfig(String value) {
            return choice("driver.mode", value, values(), DriverMode::configValue);
        }
    }

    /**
     * What {@code tell} to a remote ref does with a message that cannot be sent: not registered,
     * not immutable, over a codec limit, or not in the protocol of the ref's actor ({@code
     * troupe.remote.unsendable}).
     *
     * <p>Thread safety: immutable.
     */
    public enum Unsendable {
        /**
         * As Akka's own remoting: the message goes to dead letters with the reason, counted as
         * {@code refused-at-sender}, and the first of each kind is logged at ERROR with the fix.
         * {@code tell} returns normally, so a sending actor is not stopped by its supervisor.
         */
        DEAD_LETTER("dead-letter"),
        /**
         * Also counted and dead-lettered, and then {@code tell} throws the {@code CodecException}
         * or {@code RemoteException} on the caller's thread: for tests and for strict programs.
         */
        THROW("throw");

        private final String configValue;

        Unsendable(String configValue) {
            this.configValue = configValue;
        }

        /** The value as written in config. */
        public String configValue() {
            return configValue;
        }

        static Unsendable fromConfig(String value) {
            return choice("unsendable", value, values(), Unsendable::configValue);
        }
    }

    /**
     * What a node does when the other nodes declared it down while it was alive, e.g. after a GC or
     * CPU stall longer than {@code heartbeat-timeout} ({@code troupe.remote.on-evicted}).
     *
     * <p>Thread safety: immutable.
     */
    public enum OnEvicted {
        /**
         * Terminate the actor system, as Akka requires after a quarantine: the process's owner (or
         * a pool's restart policy, for a worker) starts it again as a new incarnation.
         */
        TERMINATE("terminate"),
        /**
         * Join again as a new incarnation in the same process and actor system, keeping the media
         * driver, the node name, the counters, the published names, the registered kinds and the
         * membership subscribers; refs from before the eviction stay dead.
         */
        REJOIN("rejoin");

        private final String configValue;

        OnEvicted(String configValue) {
            this.configValue = configValue;
        }

        /** The value as written in config. */
        public String configValue() {
            return configValue;
        }

        static OnEvicted fromConfig(String value) {
            return choice("on-evicted", value, values(), OnEvicted::configValue);
        }
    }

    /**
     * How transport agents and a launched driver wait when idle ({@code
     * troupe.remote.idle-strategy}).
     *
     * <p>Thread safety: immutable; {@link #newIdleStrategy()} returns a new, single-threaded
     * instance.
     */
    public enum IdleStrategyKind {
        /** Spin, yield, then park up to 1 ms. */
        BACKOFF("backoff"),
        /** Spin, then yield, never park: lowest latency, one core per agent. */
        LOW_LATENCY("low-latency"),
        /** Sleep 1 ms between polls. */
        SLEEPING("sleeping");

        private final String configValue;

        IdleStrategyKind(String configValue) {
            this.configValue = configValue;
        }

        /** The value as written in config. */
        public String configValue() {
            return configValue;
        }

        /*
         * Backoff: after the last piece of work, spin 20 times, then yield until 200 µs have passed,
         * then park from 1 µs doubling to 1 ms (see WindowedBackoffIdleStrategy). Agrona's defaults
         * (10 spins, 5 yields) park within ~2 µs, and a park here costs ~20-80 µs before the thread
         * runs again: an ask's p50 across two processes was 78 µs with them. 200 yields instead
         * gave 18-22 µs on a loaded machine but 36 µs on an idle one, where a yield returns at once.
         */
        /*
         * Low-latency: spin 2,000 times (some 50 µs), then yield, never park. A yield returns at
         * once when no other thread waits for the core, so an idle agent still polls within ~1 µs;
         * when one does (the thread that asked and waits for the reply, an actor's dispatcher
         * thread), it gets the core. A pure busy-spin kept those threads off both cores of a
         * 2-core machine: an ask's p99 was 0.57-0.96 ms with it, 0.31-0.33 ms with this (p50
         * 13-22 µs and 15-16 µs); yielding after 100 spins gave a p99 of 0.11-0.13 ms but a p50
         * of 28-30 µs.
         */
        private static final long LOW_LATENCY_SPINS = 2_000;

        private static final long BACKOFF_WINDOW_NS = 200_000;
        private static final long BACKOFF_MIN_PARK_NS = 1_000;
        private static final long BACKOFF_MAX_PARK_NS = 1_000_000;

        /**
         * A new idle strategy of this kind; each agent needs its own (they carry per-thread state).
         */
        public IdleStrategy newIdleStrategy() {
            return switch (this) {
                case BACKOFF ->
                        new WindowedBackoffIdleStrategy(
                                BACKOFF_WINDOW_NS, BACKOFF_MIN_PARK_NS, BACKOFF_MAX_PARK_NS);
                case LOW_LATENCY ->
                        new BackoffIdleStrategy(
                                LOW_LATENCY_SPINS, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
                case SLEEPING -> new SleepingMillisIdleStrategy(1);
            };
        }

        static IdleStrategyKind fromConfig(String value) {
            return choice("idle-strategy", value, values(), IdleStrategyKind::configValue);
        }
    }

    /** The constant of {@code values} whose config value is {@code value}, or a clear error. */
    private static <E extends Enum<E>> E choice(
            String key, String value, E[] values, Function<E, String> configValue) {
        for (E e : values) {
            if (configValue.apply(e).equals(value)) {
                return e;
            }
        }
        throw invalidChoice(key, value, Arrays.stream(values).map(configValue));
    }

    private static InvalidSettingException invalidChoice(
            String key, String value, Stream<String> choices) {
        String allowed = choices.map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
        return invalid(
                key, "\"" + value + "\"", "is not one of " + allowed + ": set it to one of them");
    }

    /**
     * A {@code troupe.remote} key has a value Troupe cannot use. The message names the key, the
     * value, what was expected and how to fix it, and where the value came from when known.
     *
     * <p>Thread safety: immutable once thrown.
     */
    public static final class InvalidSettingException extends TroupeException {
        private static final long serialVersionUID = 1L;
        private final String key;

        InvalidSettingException(String key, String message, Throwable cause) {
            super(message, cause);
            this.key = key;
        }

        /**
         * The key below {@code troupe.remote} that is wrong, e.g. {@code term-length}; null if
         * unknown.
         */
        public String key() {
            return key;
        }

        InvalidSettingException withOrigin(ConfigOrigin origin) {
            if (origin == null || origin.description() == null) {
                return this;
            }
            return new InvalidSettingException(
                    key, getMessage() + " (set in " + origin.description() + ")", getCause());
        }
    }
}
