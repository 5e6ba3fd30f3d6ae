/**
 * {@code supervision}: a {@link io.troupe.examples.supervision.Coordinator} in this process sums
 * squares over {@link io.troupe.examples.supervision.Squarer}s in the worker processes of a pool
 * with an on-failure restart policy; a worker is killed mid-job, the coordinator re-sends what it
 * had not answered when {@code Terminated} arrives, and uses the worker again once the pool has
 * restarted it.
 */
package io.troupe.examples.supervision;
