package io.troupe.examples.supervision;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in each worker JVM of {@code supervision}, and again in a worker the pool
 * restarts: lets the coordinator spawn {@link Squarer}s there.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class SupervisionSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.registerKind(Squarer.KIND);
    }
}
