package io.troupe.examples.pi;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in each worker JVM of {@code pi}: lets the main process spawn {@link PiWorker}s
 * there.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class PiSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.registerKind(PiWorker.KIND);
    }
}
