package io.troupe.benchmarks.scenarios;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import java.util.concurrent.TimeUnit;

/**
 * The floor under a worker's start: a JVM on the harness's class path that starts a bare Akka
 * {@code ActorSystem} (no Troupe node, no Aeron), prints {@value #READY}, and exits.
 *
 * <p>Thread safety: a main class.
 */
public final class BareAkkaMain {
    static final String READY = "BARE-AKKA-READY";

    private BareAkkaMain() {}

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "floor");
        System.out.println(READY);
        System.out.flush();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }
}
