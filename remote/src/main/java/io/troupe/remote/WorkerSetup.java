package io.troupe.remote;

/**
 * Prepares a worker process of a {@link ProcessPool} before it reports ready: register the
 * protocols and {@link ActorKind}s it hosts. The pool starts each worker JVM on the parent's class
 * path and instantiates the setup class named in {@link PoolOptions#workerSetup} with its public
 * no-argument constructor (the class name travels on the worker's command line, never over the
 * wire).
 *
 * <p>Thread safety: {@link #setUp} runs once, on the worker's main thread.
 */
@FunctionalInterface
public interface WorkerSetup {
    void setUp(RemoteNode node);
}
