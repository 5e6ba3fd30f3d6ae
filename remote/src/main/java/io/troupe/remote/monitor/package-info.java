/**
 * Reading a running cluster from outside: the counters its nodes publish and the health of its
 * media driver, read from the driver's {@code cnc.dat} as Aeron's {@code AeronStat} does, without
 * joining the cluster or writing anything. The examples' {@code stat} command is built on it.
 *
 * <p>Design note: every node counts into Aeron counters labelled {@code troupe <node> <counter>}
 * (type id {@link io.troupe.remote.internal.NodeCounters#TYPE_ID}) in its driver's counters file;
 * the driver heart-beats into the same file and keeps its distinct errors in an error log there. A
 * {@link io.troupe.remote.monitor.ClusterMonitor} maps the file read-only and takes {@link
 * io.troupe.remote.monitor.ClusterSnapshot}s; rates are differences of two snapshots.
 */
package io.troupe.remote.monitor;
