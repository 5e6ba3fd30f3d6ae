package io.troupe.remote;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node in a child JVM for the multi-process tests. Node name and Aeron directory come from {@code
 * -Dtroupe.remote.*}. Roles:
 *
 * <ul>
 *   <li>{@code echo [slowNanosPerSeq]}: publishes "echo" ({@link TestProtocol#echo}).
 *   <li>{@code forwarder <node>}: looks up "echo" on {@code node} and publishes "forward".
 * </ul>
 *
 * Prints {@code READY <node>} when published, and exits when stdin closes or says "exit" (so it
 * also dies with the test JVM), or when its actor system terminates (an evicted node's does).
 */
public final class TestNodeMain {
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "test-node");
        try {
            RemoteNode node;
            try {
                node = RemoteNode.get(system);
            } catch (RuntimeException e) {
                System.out.println("START FAILED " + rootMessage(e));
                System.out.flush();
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
                System.exit(3);
                return;
            }
            node.register(TestProtocol.Command.class);
            switch (args[0]) {
                case "echo" -> {
                    long slow = args.length > 1 ? Long.parseLong(args[1]) : 0;
                    ActorRef<TestProtocol.Command> echo =
                            system.systemActorOf(
                                    TestProtocol.echo(node.name(), slow), "echo", Props.empty());
                    node.publish("echo", echo, TestProtocol.Command.class);
                }
                case "forwarder" -> {
                    ActorRef<TestProtocol.Command> next =
                            node.lookup(args[1], "echo", TestProtocol.Command.class)
                                    .toCompletableFuture()
                                    .get(20, TimeUnit.SECONDS);
                    node.publish(
                            "forward",
                            system.systemActorOf(
                                    TestProtocol.forwarder(next), "forward", Props.empty()),
                            TestProtocol.Command.class);
                }
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            }
            System.out.println("READY " + node.name() + " pid " + ProcessHandle.current().pid());
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Thread stdin =
                    new Thread(
                            () -> {
                                try (BufferedReader in =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        System.in, StandardCharsets.UTF_8))) {
                                    String line;
                                    while ((line = in.readLine()) != null && !line.equals("exit")) {
                                        // commands could go here
                                    }
                                } catch (IOException e) {
                                    // end of input
                                }
                                stop.countDown();
                            },
                            "stdin");
            stdin.setDaemon(true);
            stdin.start();
            // An evicted node terminates its actor system: then this process ends too.
            system.getWhenTerminated()
                    .thenRun(
                            () -> {
                                System.out.println("SYSTEM TERMINATED");
                                System.out.flush();
                                stop.countDown();
                            });
            stop.await();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        System.out.println("EXITED");
        System.out.flush();
        System.exit(0);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
