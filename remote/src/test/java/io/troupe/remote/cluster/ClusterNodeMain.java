package io.troupe.remote.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.TestProtocol;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * A Troupe node in cluster mode, in a child JVM, for the tests across machines. Its settings come
 * from {@code -D} ({@code troupe.remote.*}, {@code troupe.cluster.*}, Akka's). It publishes "echo"
 * ({@link TestProtocol#echo}) and prints {@code READY <node> pid <pid> driver <hosts it>}; with
 * {@code forward <node>} as arguments it also publishes "forward", which forwards pings to the echo
 * of {@code node}. Membership events are printed as {@code NODE_UP <name> <host>} and {@code
 * NODE_DOWN <name> <reason> <epoch ms>}. Commands on stdin, one per line:
 *
 * <ul>
 *   <li>{@code ping <node> <seq>}: asks node's echo, prints {@code PONG <seq> <node> <class of the
 *       ref>};
 *   <li>{@code relay <node> <seq>}: sends a ping with a reply ref of this node to node's "forward";
 *       prints {@code RELAYED <seq> <answering node> ipc <msgs-received delta> across
 *       <msgs-received-across delta>} when the pong arrives;
 *   <li>{@code watch <node>}: watches node's echo, prints {@code WATCHING <node>}, then {@code
 *       TERMINATED <node> <epoch ms>};
 *   <li>{@code members}: prints {@code MEMBERS <Akka members up> TROUPE <Troupe members>};
 *   <li>{@code exit}.
 * </ul>
 *
 * Prints {@code SYSTEM TERMINATED} and exits when its actor system terminates (a downed member's
 * does).
 */
public final class ClusterNodeMain {
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static void main(String[] args) throws Exception {
        com.typesafe.config.Config config = TroupeConfig.load();
        ActorSystem<Void> system =
                ActorSystem.create(
                        Behaviors.empty(), config.getString("troupe.remote.cluster-name"), config);
        CountDownLatch stop = new CountDownLatch(1);
        system.getWhenTerminated()
                .thenRun(
                        () -> {
                            say("SYSTEM TERMINATED");
                            stop.countDown();
                        });
        RemoteNode node = RemoteNode.get(system);
        node.register(TestProtocol.Command.class);
        node.publish(
                "echo",
                system.systemActorOf(TestProtocol.echo(node.name(), 0), "echo", Props.empty()),
                TestProtocol.Command.class);
        if (args.length == 2 && args[0].equals("forward")) {
            ActorRef<TestProtocol.Command> next =
                    node.lookup(args[1], "echo", TestProtocol.Command.class)
                            .toCompletableFuture()
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            node.publish(
                    "forward",
                    system.systemActorOf(TestProtocol.forwarder(next), "forward", Props.empty()),
                    TestProtocol.Command.class);
        }
        node.subscribe(
                system.systemActorOf(
                        Behaviors.receive(MembershipEvent.class)
                                .onMessage(
                                        MembershipEvent.NodeUp.class,
                                        e -> {
                                            say(
                                                    "NODE_UP "
                                                            + e.member().name()
                                                            + " "
                                                            + e.member().host());
                                            return Behaviors.same();
                                        })
                                .onMessage(
                                        MembershipEvent.NodeDown.class,
                                        e -> {
                                            say(
                                                    "NODE_DOWN "
                                                            + e.member().name()
                                                            + " "
                                                            + e.reason()
                                                            + " "
                                                            + System.currentTimeMillis());
                                            return Behaviors.same();
                                        })
                                .build(),
                        "membership-printer",
                        Props.empty()));
        ActorRef<TestProtocol.Pong> relayed =
                system.systemActorOf(relayReceiver(node), "relayed", Props.empty());
        say(
                "READY "
                        + node.name()
                        + " pid "
                        + ProcessHandle.current().pid()
                        + " driver "
                        + node.hostsDriver());
        Thread stdin =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    System.in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null && !line.equals("exit")) {
                                    try {
                                        command(system, node, relayed, line.trim().split(" "));
                                    } catch (Exception e) {
                                        say("FAILED " + line + ": " + e);
                                    }
                                }
                            } catch (Exception e) {
                                // end of input
                            }
                            stop.countDown();
                        },
                        "stdin");
        stdin.setDaemon(true);
        stdin.start();
        stop.await();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        say("EXITED");
        System.exit(0);
    }

    private static void command(
            ActorSystem<Void> system,
            RemoteNode node,
            ActorRef<TestProtocol.Pong> relayed,
            String[] c)
            throws Exception {
        switch (c[0]) {
            case "ping" -> {
                ActorRef<TestProtocol.Command> echo = echoOf(node, c[1]);
                int seq = Integer.parseInt(c[2]);
                TestProtocol.Pong pong =
                        AskPattern.<TestProtocol.Command, TestProtocol.Pong>ask(
                                        echo,
                                        r -> new TestProtocol.Ping(seq, r),
                                        WAIT,
                                        system.scheduler())
                                .toCompletableFuture()
                                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                say(
                        "PONG "
                                + pong.seq()
                                + " "
                                + pong.node()
                                + " "
                                + akka.actor.typed.javadsl.Adapter.toClassic(echo)
                                        .getClass()
                                        .getSimpleName());
            }
            case "relay" -> {
                ActorRef<TestProtocol.Command> forward =
                        node.lookup(c[1], "forward", TestProtocol.Command.class)
                                .toCompletableFuture()
                                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                relayed.tell(new TestProtocol.Pong(-1, "mark")); // counters before
                forward.tell(
                        new TestProtocol.Forward(
                                new TestProtocol.Ping(Integer.parseInt(c[2]), relayed)));
            }
            case "watch" -> {
                ActorRef<TestProtocol.Command> echo = echoOf(node, c[1]);
                String name = c[1];
                system.systemActorOf(
                        Behaviors.<Void>setup(
                                ctx -> {
                                    ctx.watch(echo);
                                    say("WATCHING " + name);
                                    return Behaviors.<Void>receiveSignal(
                                            (ctx2, sig) -> {
                                                if (sig instanceof Terminated) {
                                                    say(
                                                            "TERMINATED "
                                                                    + name
                                                                    + " "
                                                                    + System.currentTimeMillis());
                                                    return Behaviors.stopped();
                                                }
                                                return Behaviors.same();
                                            });
                                }),
                        "watcher-" + name,
                        Props.empty());
            }
            case "members" -> {
                long up =
                        StreamSupport.stream(
                                        Cluster.get(system).state().getMembers().spliterator(),
                                        false)
                                .filter(m -> m.status() == MemberStatus.up())
                                .count();
                say("MEMBERS " + up + " TROUPE " + node.members().size());
            }
            default -> say("FAILED unknown command " + String.join(" ", c));
        }
    }

    private static ActorRef<TestProtocol.Command> echoOf(RemoteNode node, String name)
            throws Exception {
        return node.lookup(name, "echo", TestProtocol.Command.class)
                .toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Prints the pong of a relay with the counters' deltas since the relay was sent. */
    private static Behavior<TestProtocol.Pong> relayReceiver(RemoteNode node) {
        return Behaviors.setup(
                ctx -> {
                    long[] before = new long[2];
                    return Behaviors.receive(TestProtocol.Pong.class)
                            .onMessage(
                                    TestProtocol.Pong.class,
                                    p -> {
                                        long ipc = node.counter("msgs-received");
                                        long across = node.counter("msgs-received-across");
                                        if (p.seq() == -1) {
                                            before[0] = ipc;
                                            before[1] = across;
                                        } else {
                                            say(
                                                    "RELAYED "
                                                            + p.seq()
                                                            + " "
                                                            + p.node()
                                                            + " ipc "
                                                            + (ipc - before[0])
                                                            + " across "
                                                            + (across - before[1]));
                                        }
                                        return Behaviors.same();
                                    })
                            .build();
                });
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
