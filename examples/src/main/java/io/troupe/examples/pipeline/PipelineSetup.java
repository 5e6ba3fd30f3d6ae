package io.troupe.examples.pipeline;

import io.troupe.remote.RemoteNode;
import io.troupe.remote.WorkerSetup;

/**
 * Run by the pool in each worker JVM of {@code pipeline}: lets the main process spawn {@link
 * Stage}s there, and lets them talk to the producer and consumer.
 *
 * <p>Thread safety: as {@link WorkerSetup}.
 */
public final class PipelineSetup implements WorkerSetup {
    @Override
    public void setUp(RemoteNode node) {
        node.register(Producer.Command.class);
        node.register(Consumer.Command.class);
        node.registerKind(Stage.KIND);
    }
}
