package io.troupe.remote.driver;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.RemoteNode;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM main for start-up tests: starts an actor system and its node ({@code troupe.remote}
 * from system properties) as a user's program would, prints {@code STARTED} or {@code START FAILED}
 * with the exception and its stack trace, then terminates the actor system and exits (1 after a
 * failure).
 *
 * <p>Thread safety: a program entry point.
 */
final class NodeStartChild {
    private NodeStartChild() {}

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "child");
        int status = 0;
        try {
            RemoteNode.get(system);
            System.out.println("STARTED");
        } catch (Throwable t) {
            System.out.println("START FAILED " + t);
            t.printStackTrace(System.out);
            status = 1;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.out.flush();
        System.exit(status);
    }
}
