package io.troupe.remote.monitor;

import io.aeron.CncFileDescriptor;
import io.troupe.remote.RemoteException;
import io.troupe.remote.RemoteSettings;
import io.troupe.remote.internal.NodeCounters;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Reads a running cluster's node counters and driver health from its Aeron directory's {@code
 * cnc.dat}, mapped read-only: nothing is written, no client is registered with the driver, and the
 * cluster does not see the reader.
 *
 * <pre>{@code
 * try (ClusterMonitor monitor = ClusterMonitor.open("demo")) {
 *     ClusterSnapshot s = monitor.snapshot();
 *     s.nodes().forEach(n -> System.out.println(n.node() + " " + n.get("msgs-sent")));
 * }
 * }</pre>
 *
 * <p>When the driver is replaced (its directory recreated), the next {@link #snapshot} maps the new
 * file.
 *
 * <p>Thread safety: not thread-safe; use from one thread. {@link #close} is idempotent.
 */
public final class ClusterMonitor implements AutoCloseable {
    private final Path aeronDir;
    private final Path cncFile;
    private MappedByteBuffer mapped;
    private Object fileKey;
    private CountersReader counters;
    private ManyToOneRingBuffer toDriver;
    private UnsafeBuffer errorLog;
    private long pid;
    private long livenessTimeoutMs;

    private ClusterMonitor(Path aeronDir) {
        this.aeronDir = aeronDir;
        this.cncFile = aeronDir.resolve(CncFileDescriptor.CNC_FILE);
        map();
    }

    /**
     * Opens the cluster of that name in its default Aeron directory for this user ({@link
     * RemoteSettings#defaultAeronDir}), as its nodes find it.
     *
     * @throws RemoteException no such cluster: the message names the directory looked at and the
     *     clusters this user has on this machine
     */
    public static ClusterMonitor open(String clusterName) {
        Objects.requireNonNull(clusterName, "clusterName");
        Path dir = RemoteSettings.defaultAeronDir(clusterName);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            List<String> clusters = RemoteSettings.localClusters();
            throw new RemoteException(
                    "No cluster '"
                            + clusterName
                            + "' runs on this machine: its Aeron directory "
                            + dir
                            + " does not exist. "
                            + (clusters.isEmpty()
                                    ? "This user has no cluster here; start one (e.g. an example"
                                            + " with several processes) and ask again"
                                    : "This user's clusters here: " + String.join(", ", clusters)));
        }
        return open(dir);
    }

    /**
     * Opens the cluster whose Aeron directory is {@code aeronDir} (for a directory set with {@code
     * troupe.remote.aeron-dir}).
     *
     * @throws RemoteException the directory has no initialised {@code cnc.dat} (no driver ever ran
     *     there, or one is starting), or one of another Aeron version
     */
    public static ClusterMonitor open(Path aeronDir) {
        return new ClusterMonitor(aeronDir.toAbsolutePath().normalize());
    }

    public Path aeronDirectory() {
        return aeronDir;
    }

    /** The nodes' counters and the driver's health now. */
    public ClusterSnapshot snapshot() {
        if (!Objects.equals(fileKey, currentFileKey())) {
            unmap();
            map();
        }
        Map<String, Map<String, Long>> byNode = new TreeMap<>();
        counters.forEach(
                (long value, int counterId, String label) -> {
                    if (counters.getCounterTypeId(counterId) != NodeCounters.TYPE_ID
                            || !label.startsWith(NodeCounters.LABEL_PREFIX)) {
                        return;
                    }
                    String rest = label.substring(NodeCounters.LABEL_PREFIX.length());
                    int space = rest.lastIndexOf(' ');
                    if (space <= 0) {
                        return;
                    }
                    byNode.computeIfAbsent(rest.substring(0, space), n -> new LinkedHashMap<>())
                            .merge(rest.substring(space + 1), value, Long::sum);
                });
        List<NodeSample> nodes = new ArrayList<>();
        byNode.forEach((node, values) -> nodes.add(new NodeSample(node, values)));
        return new ClusterSnapshot(aeronDir, System.nanoTime(), driverHealth(), nodes);
    }

    private DriverHealth driverHealth() {
        long heartbeat = toDriver.consumerHeartbeatTime();
        long age = Math.max(0, System.currentTimeMillis() - heartbeat);
        long[] observations = {0};
        long[] lastAt = {Long.MIN_VALUE};
        String[] last = {null};
        int distinct =
                ErrorLogReader.read(
                        errorLog,
                        (count, firstMs, lastMs, encoded) -> {
                            observations[0] += count;
                            if (lastMs > lastAt[0]) {
                                lastAt[0] = lastMs;
                                int nl = encoded.indexOf('\n');
                                last[0] = nl < 0 ? encoded : encoded.substring(0, nl);
                            }
                        });
        return new DriverHealth(pid, age, livenessTimeoutMs, distinct, observations[0], last[0]);
    }

    private void map() {
        Object key = currentFileKey();
        if (key == null) {
            throw notInitialised("has no cnc.dat");
        }
        MappedByteBuffer buffer =
                IoUtil.mapExistingFile(cncFile.toFile(), FileChannel.MapMode.READ_ONLY, "cnc");
        try {
            if (buffer.capacity() < CncFileDescriptor.END_OF_METADATA_OFFSET) {
                throw notInitialised("has a cnc.dat too short to hold its header");
            }
            UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(buffer);
            int version = meta.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            if (version == 0) {
                throw notInitialised("has a cnc.dat its driver has not finished writing");
            }
            try {
                CncFileDescriptor.checkVersion(version);
            } catch (RuntimeException e) {
                throw new RemoteException(
                        "The Aeron directory "
                                + aeronDir
                                + " was written by another Aeron version ("
                                + e.getMessage()
                                + "): read it with the Troupe version its nodes run",
                        e);
            }
            counters =
                    new CountersReader(
                            CncFileDescriptor.createCountersMetaDataBuffer(buffer, meta),
                            CncFileDescriptor.createCountersValuesBuffer(buffer, meta),
                            StandardCharsets.US_ASCII);
            toDriver =
                    new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(buffer, meta));
            errorLog = CncFileDescriptor.createErrorLogBuffer(buffer, meta);
            pid = CncFileDescriptor.pid(meta);
            livenessTimeoutMs =
                    TimeUnit.NANOSECONDS.toMillis(CncFileDescriptor.clientLivenessTimeoutNs(meta));
            mapped = buffer;
            fileKey = key;
        } catch (RuntimeException e) {
            IoUtil.unmap(buffer);
            throw e;
        }
    }

    private RemoteException notInitialised(String what) {
        return new RemoteException(
                "The Aeron directory "
                        + aeronDir
                        + " "
                        + what
                        + ": no media driver runs there (or one is starting); start a node of the"
                        + " cluster and ask again");
    }

    private Object currentFileKey() {
        try {
            return Files.readAttributes(
                            cncFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private void unmap() {
        if (mapped != null) {
            IoUtil.unmap(mapped);
            mapped = null;
            fileKey = null;
        }
    }

    @Override
    public void close() {
        unmap();
    }

    @Override
    public String toString() {
        return "ClusterMonitor(" + aeronDir + ")";
    }
}
