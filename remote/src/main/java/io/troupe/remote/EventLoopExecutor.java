package io.troupe.remote;

import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import io.troupe.remote.internal.EventLoop;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executor of {@code troupe.remote.event-loop-dispatcher}: an Akka dispatcher whose actors run
 * on the node's transport thread, between its polls, where their messages from other processes are
 * decoded (see {@link RemoteNode#eventLoopDispatcher()}). Named in config as {@code executor =
 * "io.troupe.remote.EventLoopExecutor"}; not used directly.
 *
 * <p>Thread safety: thread-safe.
 */
public final class EventLoopExecutor extends ExecutorServiceConfigurator {
    private final EventLoop loop;

    /** Called by Akka with the dispatcher's config. */
    public EventLoopExecutor(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        this.loop = EventLoop.of(prerequisites.eventStream(), prerequisites.settings().name());
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory unused) {
        return () -> new Service(loop);
    }

    /**
     * What Akka's dispatcher hands its mailboxes to. Akka shuts it down when the dispatcher has
     * been idle for its {@code shutdown-timeout} and makes a new one when needed; the loop stays.
     */
    private static final class Service extends AbstractExecutorService {
        private final EventLoop loop;
        private volatile boolean shutdown;

        Service(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
