package io.troupe.remote;

import akka.actor.Dropped;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM that tells {@link TestProtocol.Seq} messages as fast as one thread can to the actor
 * "slow" on node {@code args[0]} until stdin says {@code stop} (or {@code args[1]} seconds pass),
 * for {@link InboundMailboxLimitMultiProcessTest}. It counts what its node dead-letters ({@link
 * Dropped} events of Seq messages, by reason) so that the test can account for every message.
 *
 * <p>Prints {@code READY flood pid <pid>}, then {@code PROGRESS ...} about once a second, then
 * {@code SENT <n>}. Afterwards each stdin line {@code count <k>} is answered with {@code COUNTS <k>
 * dropped=<seq messages dead-lettered> deadLetters=<node counter> backPressure=<node counter>
 * reasons=<reason prefix=count...>}; {@code exit} or the end of stdin stops it.
 */
public final class FloodSenderMain {
    public static void main(String[] args) throws Exception {
        String targetNode = args[0];
        long seconds = Long.parseLong(args[1]);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flood-sender");
        BlockingQueue<String> commands = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    System.in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    if (line.equals("stop")) {
                                        stop.set(true);
                                    }
                                    commands.add(line);
                                }
                            } catch (IOException e) {
                                // the test JVM is gone: stop below
                            }
                            stop.set(true);
                            commands.add("exit");
                        },
                        "stdin");
        stdin.setDaemon(true);
        stdin.start();
        try {
            RemoteNode node = RemoteNode.get(system);
            node.register(TestProtocol.Command.class);
            AtomicLong dropped = new AtomicLong();
            Map<String, Long> reasons = new TreeMap<>(); // guarded by itself
            ActorRef<Dropped> listener =
                    system.systemActorOf(
                            Behaviors.receive(Dropped.class)
                                    .onMessage(
                                            Dropped.class,
                                            d -> {
                                                if (d.message() instanceof TestProtocol.Seq) {
                                                    dropped.incrementAndGet();
                                                    String reason =
                                                            d.reason().replaceAll("[0-9]+", "N");
                                                    synchronized (reasons) {
                                                        reasons.merge(
                                                                reason.substring(
                                                                        0,
                                                                        Math.min(
                                                                                80,
                                                                                reason.length())),
                                                                1L,
                                                                Long::sum);
                                                    }
                                                }
                                                return Behaviors.same();
                                            })
                                    .build(),
                            "dropped-counter",
                            Props.empty());
            system.eventStream().tell(new EventStream.Subscribe<>(Dropped.class, listener));
            ActorRef<TestProtocol.Command> slow =
                    node.lookup(targetNode, "slow", TestProtocol.Command.class)
                            .toCompletableFuture()
                            .get(20, TimeUnit.SECONDS);
            System.out.println("READY " + node.name() + " pid " + ProcessHandle.current().pid());
            System.out.flush();

            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
            long sent = 0;
            long now;
            while ((now = System.nanoTime()) - end < 0 && !stop.get()) {
                for (int k = 0; k < 1000; k++) {
                    slow.tell(new TestProtocol.Seq(sent++));
                }
                if (now - nextProgress >= 0) {
                    nextProgress += TimeUnit.SECONDS.toNanos(1);
                    System.out.println(
                            "PROGRESS t="
                                    + TimeUnit.NANOSECONDS.toSeconds(now - start)
                                    + "s sent="
                                    + sent
                                    + " dropped="
                                    + dropped.get()
                                    + " backPressure="
                                    + node.counter("back-pressure-events"));
                    System.out.flush();
                }
            }
            System.out.println("SENT " + sent);
            System.out.flush();
            String line;
            while ((line = commands.take()) != null && !line.equals("exit")) {
                if (line.startsWith("count ")) {
                    String summary;
                    synchronized (reasons) {
                        summary = reasons.toString();
                    }
                    System.out.println(
                            "COUNTS "
                                    + line.substring(6)
                                    + " dropped="
                                    + dropped.get()
                                    + " deadLetters="
                                    + node.counter("dead-letters")
                                    + " backPressure="
                                    + node.counter("back-pressure-events")
                                    + " reasons="
                                    + summary);
                    System.out.flush();
                }
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        System.out.println("EXITED");
        System.out.flush();
        System.exit(0);
    }
}
