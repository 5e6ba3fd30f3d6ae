package io.troupe.benchmarks.scenarios;

import io.troupe.benchmarks.report.RemoteTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Context switches of a whole process, summed over its threads from Linux's {@code
 * /proc/<pid>/task/<tid>/status} ({@code voluntary_ctxt_switches}: the thread parked or slept;
 * {@code nonvoluntary_ctxt_switches}: the scheduler took its core away). Divided by the messages of
 * a measurement they show how many thread wake-ups each message cost, which on a small machine is
 * where latency goes.
 *
 * <p>Thread safety: stateless; threads that exit between two readings drop out of the sum, so read
 * around a phase in which the process's threads stay the same.
 */
final class ContextSwitches {
    private ContextSwitches() {}

    /**
     * {voluntary, nonvoluntary} of process {@code pid} now, or {-1, -1} where /proc cannot tell.
     */
    static long[] of(long pid) {
        long[] sum = new long[2];
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(
                    task -> {
                        try {
                            for (String line : Files.readAllLines(task.resolve("status"))) {
                                if (line.startsWith("voluntary_ctxt_switches:")) {
                                    sum[0] +=
                                            Long.parseLong(
                                                    line.substring(line.indexOf(':') + 1).trim());
                                } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                                    sum[1] +=
                                            Long.parseLong(
                                                    line.substring(line.indexOf(':') + 1).trim());
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            // the thread exited while we read: it drops out of the sum
                        }
                    });
            return sum;
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** The harness's and a peer's counts at one moment. */
    record Reading(long[] harness, long[] peer, long peerPid) {
        static Reading now(long peerPid) {
            return new Reading(of(ProcessHandle.current().pid()), of(peerPid), peerPid);
        }

        /** Switches per operation from this reading until now. */
        RemoteTable.Switches perOpUntilNow(long ops) {
            Reading after = now(peerPid);
            if (harness[0] < 0
                    || peer[0] < 0
                    || after.harness[0] < 0
                    || after.peer[0] < 0
                    || ops <= 0) {
                return new RemoteTable.Switches(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new RemoteTable.Switches(
                    (double) (after.harness[0] - harness[0]) / ops,
                    (double) (after.harness[1] - harness[1]) / ops,
                    (double) (after.peer[0] - peer[0]) / ops,
                    (double) (after.peer[1] - peer[1]) / ops);
        }
    }
}
