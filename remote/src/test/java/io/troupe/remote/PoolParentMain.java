package io.troupe.remote;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.troupe.remote.testsupport.TestJvms;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * A parent process for the orphan test: launches a pool of {@code args[0]} workers, prints their
 * pids, waits for stdin to end.
 */
public final class PoolParentMain {
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pool-parent");
        ProcessPool pool =
                ProcessPool.launch(
                        system,
                        PoolOptions.workers(Integer.parseInt(args[0]))
                                .withWorkerSetup(TestKinds.Setup.class)
                                .withJvmOptions(TestJvms.quickStart("-Xmx128m")));
        System.out.println(
                "POOL READY "
                        + pool.workerNames().stream()
                                .map(w -> Long.toString(pool.pid(w)))
                                .collect(Collectors.joining(" ")));
        System.out.flush();
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // wait to be killed
        }
        pool.close();
        system.terminate();
    }
}
