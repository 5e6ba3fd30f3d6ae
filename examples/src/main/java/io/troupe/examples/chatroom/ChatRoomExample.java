package io.troupe.examples.chatroom;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.examples.Example;
import io.troupe.examples.ExampleCluster;
import io.troupe.examples.ExampleSystem;
import io.troupe.examples.ExamplesMain;
import io.troupe.examples.Range;
import io.troupe.remote.ProcessPool;
import io.troupe.remote.RemoteNode;
import io.troupe.remote.RemoteSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chat-room}: the chat room of Akka's documentation across processes. By default ({@code
 * --role demo}) the room runs here and scripted clients in worker processes; with {@code --role
 * room} and {@code --role client} a person runs the room and the clients in terminals of their own.
 *
 * <p>Thread safety: as {@link Example}.
 */
@Command(
        name = "chat-room",
        mixinStandardHelpOptions = true,
        description = {
            "Akka's chat room across processes: the room here, clients in others; also by hand in terminals.",
            "",
            "--role demo (the default) runs the room in this process and one scripted client (a"
                    + " 'gabbler') in each of N worker processes; every client posts a few messages, and the"
                    + " run checks that every client heard every post, in the room's order.",
            "--role room opens a room for people: it runs until you type /quit or press Ctrl-D.",
            "--role client --name NAME joins that room from another terminal: type lines to post them.",
            "Room and clients find each other by the cluster name given with --cluster.",
            "Across machines: give room and clients --seed-nodes (the room's --host:--port, the"
                    + " same list everywhere) and each its own --host, the address other machines"
                    + " reach it at. An address that is not loopback needs the transport chosen:"
                    + " java -Dtroupe.cluster.transport=tls-tcp (with key and trust stores) or, on a"
                    + " network you trust, =tcp, before -jar.",
            ""
        })
public final class ChatRoomExample implements Example {

    /** The node name of the room's process in {@code --role room}; clients look it up there. */
    static final String ROOM_NODE = "room";

    static final List<String> NAMES =
            List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,30}");
    private static final Pattern HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Spec CommandSpec spec;

    private String role;
    private String cluster;
    private String name;
    private String host;
    private List<String> seedNodes = List.of();

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            defaultValue = "demo",
            description = "demo, room or client (default: ${DEFAULT-VALUE}).")
    void setRole(String value) {
        if (!List.of("demo", "room", "client").contains(value)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--role': '"
                            + value
                            + "' is not one of demo, room, client");
        }
        role = value;
    }

    @Option(
            names = "--clients",
            paramLabel = "N",
            defaultValue = "3",
            description =
                    "demo: clients, each in a worker process of its own, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 8)
    int clients;

    @Option(
            names = "--posts",
            paramLabel = "N",
            defaultValue = "2",
            description = "demo: messages each client posts, ${RANGE} (default: ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 100)
    int posts;

    @Option(
            names = "--cluster",
            paramLabel = "NAME",
            description =
                    "room, client: the cluster room and clients share; letters, digits, '.', '_',"
                            + " '-', no '.' across machines (required for room and client; demo"
                            + " makes up its own).")
    void setCluster(String value) {
        cluster = checkName("--cluster", value);
    }

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description =
                    "client: your screen name; letters, digits, '.', '_', '-' (required for client).")
    void setName(String value) {
        name = checkName("--name", value);
    }

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description =
                    "room, client across machines (with --seed-nodes): the address other machines"
                            + " reach this one at, e.g. 10.0.0.1 (127.0.0.2 to try it on one machine).")
    void setHost(String value) {
        if (!HOST.matcher(value).matches()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--host': '"
                            + value
                            + "' is not a host name or IPv4 address; give the address other"
                            + " machines reach this one at, e.g. --host 10.0.0.1");
        }
        host = value;
    }

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "25520",
            description =
                    "room, client across machines (with --seed-nodes): this node's Artery TCP port,"
                            + " ${RANGE}, 0 for any free one; nodes on one host need a port each"
                            + " (default: ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 65535)
    int port;

    @Option(
            names = "--seed-nodes",
            paramLabel = "HOST:PORT[,HOST:PORT...]",
            description =
                    "room, client: run across machines, joining the cluster through these nodes"
                            + " (usually the room's --host and --port; the same list on every"
                            + " machine). Without it, room and clients run on this machine only.")
    void setSeedNodes(String value) {
        List<String> seeds = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            seeds.add(checkSeedNode(part.strip(), value));
        }
        seedNodes = List.copyOf(seeds);
    }

    @Override
    public List<String> tourArguments() {
        return List.of("--clients", "2", "--posts", "2");
    }

    @Override
    public boolean inTour() {
        return false;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!role.equals("demo") && cluster == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing option '--cluster': --role "
                            + role
                            + " needs the cluster's name, the same in the room's terminal and every client's");
        }
        if (role.equals("client") && name == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing option '--name': --role client needs" + " a screen name");
        }
        checkAcrossMachines();
        PrintWriter out = spec.commandLine().getOut();
        return switch (role) {
            case "room" -> runRoom(out);
            case "client" -> runClient(out);
            default -> runDemo(out);
        };
    }

    // ---- demo: the room here, gabblers in worker processes ----

    private int runDemo(PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "chat-room: a chat room in this process, %d client%s (gabblers) in worker"
                        + " processes; each posts %d message%s%n",
                clients,
                clients == 1 ? "" : "s",
                posts,
                posts == 1 ? "" : "s");
        out.flush();
        int expected = clients * posts;
        List<Gabbler.Heard> heard = new ArrayList<>();
        List<ChatRoom.MessagePosted> log;
        try (ExampleSystem actors = ExampleCluster.startMain("chat-room");
                ProcessPool pool =
                        ExampleCluster.launch(
                                actors,
                                ExampleCluster.workers(clients, ChatRoomSetup.class),
                                out)) {
            actors.register(
                    ChatRoom.Command.class, ChatRoom.SessionCommand.class, Gabbler.Command.class);
            ActorRef<ChatRoom.Command> room = actors.spawn(ChatRoom.create(line -> {}), "room");

            List<ActorRef<Gabbler.Command>> gabblers = pool.spawnOnEach(Gabbler.KIND);
            List<CompletableFuture<Gabbler.Joined>> joining = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String screenName = NAMES.get(i);
                joining.add(
                        actors.<Gabbler.Command, Gabbler.Joined>askAsync(
                                        gabblers.get(i),
                                        replyTo -> new Gabbler.Join(screenName, room, replyTo),
                                        DEADLINE)
                                .toCompletableFuture());
            }
            List<Gabbler.Joined> joined = awaitAll(joining, "the clients' sessions");
            out.println(
                    "  "
                            + joined.stream()
                                    .map(
                                            j ->
                                                    j.screenName()
                                                            + " joined from "
                                                            + j.node()
                                                            + " (pid "
                                                            + j.pid()
                                                            + ")"
                                                            + (j.denied().isEmpty()
                                                                    ? ""
                                                                    : " DENIED: " + j.denied()))
                                    .collect(Collectors.joining(", ")));
            out.flush();
            if (joined.stream().anyMatch(j -> !j.denied().isEmpty())) {
                out.println("Result: FAILED: the room denied a session");
                out.flush();
                return 1;
            }

            // Everyone is in the room before anyone speaks, so everyone can hear everything.
            List<CompletableFuture<Gabbler.Heard>> hearing = new ArrayList<>();
            for (ActorRef<Gabbler.Command> gabbler : gabblers) {
                hearing.add(
                        actors.<Gabbler.Command, Gabbler.Heard>askAsync(
                                        gabbler,
                                        replyTo -> new Gabbler.Gab(posts, expected, replyTo),
                                        DEADLINE)
                                .toCompletableFuture());
            }
            heard.addAll(awaitAll(hearing, "every client hearing all " + expected + " posts"));
            log =
                    actors.<ChatRoom.Command, ChatRoom.Log>ask(room, ChatRoom.GetLog::new, DEADLINE)
                            .posts();
        }

        out.println("  the conversation, as the room saw it:");
        int shown = Math.min(log.size(), 24);
        log.subList(0, shown).forEach(post -> out.println("    " + post));
        if (shown < log.size()) {
            out.printf(Locale.ROOT, "    ... and %d more%n", log.size() - shown);
        }
        int inRoomOrder = 0;
        List<String> tally = new ArrayList<>();
        for (Gabbler.Heard h : heard) {
            boolean same = h.posts().equals(log);
            inRoomOrder += same ? 1 : 0;
            tally.add(
                    h.screenName()
                            + " "
                            + h.posts().size()
                            + "/"
                            + expected
                            + (same ? "" : " (NOT the room's order)"));
        }
        out.println("  heard: " + String.join(", ", tally));
        boolean ok = log.size() == expected && inRoomOrder == clients;
        if (ok) {
            out.printf(
                    Locale.ROOT,
                    "Result: every client got every post: %d client%s heard all %d post%s,"
                            + " each in the room's order%n",
                    clients,
                    clients == 1 ? "" : "s",
                    expected,
                    expected == 1 ? "" : "s");
        } else {
            out.printf(
                    Locale.ROOT,
                    "Result: FAILED: the room saw %d of %d posts; %d of %d clients heard them"
                            + " all in the room's order%n",
                    log.size(),
                    expected,
                    inRoomOrder,
                    clients);
        }
        out.flush();
        return ok ? 0 : 1;
    }

    // ---- by hand: the room in one terminal ----

    private int runRoom(PrintWriter out) throws IOException {
        int posts;
        ExampleSystem started =
                acrossMachines()
                        ? startAcrossMachines(ROOM_NODE, out)
                        : ExampleSystem.start(
                                "chat-room",
                                ExampleCluster.nodeConfig(cluster, ROOM_NODE, "attach-or-launch"));
        if (started == null) {
            return 1;
        }
        try (ExampleSystem actors = started) {
            RemoteNode node = RemoteNode.get(actors.system());
            node.register(ChatRoom.Command.class);
            node.register(ChatRoom.SessionCommand.class);
            ActorRef<ChatRoom.Command> room =
                    actors.spawn(
                            ChatRoom.create(
                                    line -> {
                                        out.println("  " + line);
                                        out.flush();
                                    }),
                            "room");
            node.publish(ChatRoom.PUBLISHED_NAME, room, ChatRoom.Command.class);
            out.printf(
                    Locale.ROOT,
                    "chat-room: the room is open in cluster '%s' (node '%s', pid %d, Aeron"
                            + " directory %s)%n",
                    cluster,
                    node.name(),
                    ProcessHandle.current().pid(),
                    node.aeronDirectory());
            if (acrossMachines()) {
                out.printf(
                        Locale.ROOT,
                        "  listening at %s (Artery TCP) for the other machines; seed nodes %s%n",
                        artery(actors),
                        String.join(",", seedNodes));
                out.printf(
                        Locale.ROOT,
                        "  join it from any machine: %s chat-room --role client --cluster %s"
                                + " --name alice --host <that machine's address> --seed-nodes %s%n",
                        launcher(),
                        cluster,
                        String.join(",", seedNodes));
            } else {
                out.printf(
                        Locale.ROOT,
                        "  join it from other terminals: %s chat-room --role client --cluster %s"
                                + " --name alice%n",
                        launcher(),
                        cluster);
            }
            out.println("  type /quit or press Ctrl-D here to close the room");
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("/quit")) {
                // The room's terminal only listens for /quit; posts come from clients.
            }
            posts =
                    actors.<ChatRoom.Command, ChatRoom.Log>ask(room, ChatRoom.GetLog::new, DEADLINE)
                            .posts()
                            .size();
        }
        out.printf(
                Locale.ROOT,
                "Result: the room closed after %d post%s%n",
                posts,
                posts == 1 ? "" : "s");
        out.flush();
        return 0;
    }

    // ---- by hand: a client in each further terminal ----

    private int runClient(PrintWriter out) throws InterruptedException {
        CompletableFuture<String> ended = new CompletableFuture<>();
        ExampleSystem started;
        if (acrossMachines()) {
            // The first node of this machine may be a client: it launches the machine's driver.
            started = startAcrossMachines("client-" + name, out);
            if (started == null) {
                return 1;
            }
        } else {
            Config config = ExampleCluster.nodeConfig(cluster, "client-" + name, "attach");
            Path aeronDir = RemoteSettings.fromConfig(config).aeronDir();
            if (!Files.isDirectory(aeronDir)) {
                // Checked before attaching: a failed attach leaves <aeron-dir>.lock behind.
                out.printf(
                        Locale.ROOT,
                        "Result: FAILED: no room is open in cluster '%s' (there is no %s): start"
                                + " it first with %s chat-room --role room --cluster %s%n",
                        cluster,
                        aeronDir,
                        launcher(),
                        cluster);
                out.flush();
                return 1;
            }
            started = ExampleSystem.start("chat-room", config);
        }
        try (ExampleSystem actors = started) {
            ActorRef<ChatRoom.Command> room;
            RemoteNode node;
            try {
                node = RemoteNode.get(actors.system());
                node.register(ChatRoom.SessionCommand.class);
                room =
                        ExampleSystem.await(
                                acrossMachines()
                                        // Joining the cluster takes seconds: wait for the room
                                        // longer than lookup-timeout.
                                        ? node.lookup(
                                                ROOM_NODE,
                                                ChatRoom.PUBLISHED_NAME,
                                                ChatRoom.Command.class,
                                                DEADLINE)
                                        : node.lookup(
                                                ROOM_NODE,
                                                ChatRoom.PUBLISHED_NAME,
                                                ChatRoom.Command.class),
                                DEADLINE,
                                "the room");
            } catch (RuntimeException e) {
                out.printf(
                        Locale.ROOT,
                        "Result: FAILED: could not reach the room of cluster '%s': %s%n",
                        cluster,
                        rootMessage(e));
                if (acrossMachines()) {
                    out.printf(
                            Locale.ROOT,
                            "  is the room running, with --cluster %s --seed-nodes %s, and can"
                                    + " this machine reach %s over TCP (firewall)?%n",
                            cluster,
                            String.join(",", seedNodes),
                            String.join(", ", seedNodes));
                }
                out.flush();
                return 1;
            }
            out.printf(
                    Locale.ROOT,
                    "chat-room: %s found the room in cluster '%s' (this is node '%s', pid %d)%n",
                    name,
                    cluster,
                    node.name(),
                    ProcessHandle.current().pid());
            if (acrossMachines()) {
                out.printf(
                        Locale.ROOT,
                        "  this node listens at %s (Artery TCP); Aeron directory %s%n",
                        artery(actors),
                        node.aeronDirectory());
            }
            out.flush();
            ActorRef<Client.Command> client =
                    actors.spawn(
                            Client.create(
                                    name,
                                    room,
                                    new Client.Terminal() {
                                        @Override
                                        public void show(String line) {
                                            out.println("  " + line);
                                            out.flush();
                                        }

                                        @Override
                                        public void ended(String why) {
                                            ended.complete(why);
                                        }
                                    }),
                            "client");
            Thread reader = new Thread(() -> readLines(client), "chat-room-stdin");
            reader.setDaemon(
                    true); // blocked in a read when the room closes first; must not hold the JVM
            reader.start();
            String why;
            try {
                why = ended.get(); // a person is typing: no deadline
            } catch (ExecutionException e) {
                why = "failed: " + e.getCause();
            }
            out.println("Result: " + why);
            out.flush();
            return 0;
        }
    }

    /** Posts every line typed; {@code /quit} or the end of input leaves. */
    private static void readLines(ActorRef<Client.Command> client) {
        try {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("/quit")) {
                if (!line.isBlank()) {
                    client.tell(new Client.Post(line));
                }
            }
        } catch (IOException e) {
            // the terminal went away: leave
        }
        client.tell(Client.Leave.INSTANCE);
    }

    // ---- across machines: --host, --port, --seed-nodes ----

    private boolean acrossMachines() {
        return !seedNodes.isEmpty();
    }

    /**
     * The options of a run across machines go together: --host and --port only with --seed-nodes,
     * --seed-nodes only with --host, and with an address that is not loopback only when the
     * transport was chosen ({@code troupe.cluster.transport}).
     */
    private void checkAcrossMachines() {
        boolean portGiven = spec.commandLine().getParseResult().hasMatchedOption("--port");
        if (role.equals("demo") && (acrossMachines() || host != null || portGiven)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Option '"
                            + (acrossMachines()
                                    ? "--seed-nodes"
                                    : host != null ? "--host" : "--port")
                            + "' is for --role room and --role client: the demo runs all its"
                            + " processes on this machine");
        }
        if (!acrossMachines()) {
            if (host != null || portGiven) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Option '"
                                + (host != null ? "--host" : "--port")
                                + "' needs '--seed-nodes': without seed nodes the room and its"
                                + " clients run on this machine only. To run across machines add"
                                + " --seed-nodes with the room's address and port, e.g."
                                + " --seed-nodes 10.0.0.1:25520, on every machine");
            }
            return;
        }
        if (host == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Missing option '--host': with --seed-nodes this node runs across machines and"
                            + " needs the address other machines reach it at, e.g. --host 10.0.0.1"
                            + " (or --host 127.0.0.2 to try it on one machine)");
        }
        if (cluster.contains(".")) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--cluster': '"
                            + cluster
                            + "' has a '.', which an actor system's name cannot have, and across"
                            + " machines the system is named after the cluster; use letters,"
                            + " digits, '_' or '-'");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--host': '"
                            + host
                            + "' is not a name this machine can resolve; give an address of this"
                            + " machine that the others can reach, e.g. --host 10.0.0.1");
        }
        String transport = ConfigFactory.load().getString("troupe.cluster.transport");
        if (transport.equals("auto") && !address.isLoopbackAddress()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Option '--host "
                            + host
                            + "' is not a loopback address, and traffic that leaves a machine must"
                            + " be encrypted unless you say otherwise: start java with"
                            + " -Dtroupe.cluster.transport=tls-tcp (and Akka's key and trust"
                            + " stores, akka.remote.artery.ssl.config-ssl-engine.*), or with"
                            + " -Dtroupe.cluster.transport=tcp on a network you trust; the -D"
                            + " options go before -jar");
        }
    }

    /**
     * Starts this process's node as a member of the cluster across machines, its actor system named
     * after the cluster; {@code null}, after saying why, when it cannot (an address that is not
     * this machine's, a port in use).
     */
    private ExampleSystem startAcrossMachines(String node, PrintWriter out) {
        Config config;
        try {
            config =
                    ExampleCluster.clusterNodeConfig(
                            cluster, node, "attach-or-launch", host, port, seedNodes);
        } catch (ConfigException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid setting for a run across machines: "
                            + e.getMessage()
                            + " (settings go to java as -Dkey=value, before -jar)");
        }
        try {
            canListen(config);
        } catch (IOException | RuntimeException e) {
            out.printf(
                    Locale.ROOT,
                    "Result: FAILED: node '%s' of cluster '%s' cannot listen at %s:%d: %s%n"
                            + "  is %s an address of this machine, and is TCP port %d free? (nodes"
                            + " on one host need a --port each)%n",
                    node,
                    cluster,
                    host,
                    port,
                    rootMessage(e),
                    host,
                    port);
            out.flush();
            return null;
        }
        try {
            return ExampleSystem.start(cluster, config);
        } catch (RuntimeException e) {
            out.printf(
                    Locale.ROOT,
                    "Result: FAILED: node '%s' of cluster '%s' could not start at %s:%d: %s%n",
                    node,
                    cluster,
                    host,
                    port,
                    rootMessage(e));
            out.flush();
            return null;
        }
    }

    /**
     * Binds, and closes at once, the TCP address Artery is about to listen at: a wrong address or a
     * port in use is reported in one line, not in Akka's stack trace. Artery binds to its canonical
     * address unless {@code akka.remote.artery.bind.*} says otherwise (behind NAT).
     */
    private static void canListen(Config config) throws IOException {
        String artery = "akka.remote.artery.";
        if (!config.hasPath(artery + "bind.hostname")) {
            return; // no Artery on the class path: Akka says so as it starts
        }
        String bindHost = config.getString(artery + "bind.hostname");
        String bindPort = config.getString(artery + "bind.port");
        int p =
                Integer.parseInt(
                        bindPort.isEmpty()
                                ? config.getString(artery + "canonical.port")
                                : bindPort);
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(
                    new InetSocketAddress(
                            bindHost.isEmpty()
                                    ? config.getString(artery + "canonical.hostname")
                                    : bindHost,
                            p));
        }
    }

    /** {@code host:port} where this node's Artery listens. */
    private static String artery(ExampleSystem actors) {
        Address a = actors.system().address();
        return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
    }

    /**
     * @return {@code seed}, a valid {@code host:port}
     * @throws ParameterException naming the seed, the whole value and the fix
     */
    private String checkSeedNode(String seed, String value) {
        int colon = seed.lastIndexOf(':');
        String where = seed.equals(value) ? "" : " (in '" + value + "')";
        if (colon <= 0 || !HOST.matcher(seed.substring(0, colon)).matches()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--seed-nodes': '"
                            + seed
                            + "'"
                            + where
                            + " is not HOST:PORT; give the address and Artery port of a node"
                            + " that starts first, usually the room's --host and --port, e.g."
                            + " --seed-nodes 10.0.0.1:25520 (several separated by commas)");
        }
        String portText = seed.substring(colon + 1);
        int seedPort;
        try {
            seedPort = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            seedPort = -1;
        }
        if (seedPort < 1 || seedPort > 65535) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--seed-nodes': '"
                            + seed
                            + "'"
                            + where
                            + " has port '"
                            + portText
                            + "', not a number in 1..65535; give the seed node's Artery port"
                            + " (its --port, default 25520), e.g. --seed-nodes 10.0.0.1:25520");
        }
        return seed;
    }

    private String checkName(String option, String value) {
        if (!NAME.matcher(value).matches()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '"
                            + option
                            + "': '"
                            + value
                            + "' is not 1-31 letters, digits, '.', '_' or '-' starting with a letter or digit");
        }
        return value;
    }

    /** How the user started this program, for the commands it suggests. */
    private String launcher() {
        try {
            Path jar =
                    Path.of(
                            ExamplesMain.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (jar.toString().endsWith(".jar")) {
                Path cwd = Path.of("").toAbsolutePath();
                return "java -jar " + (jar.startsWith(cwd) ? cwd.relativize(jar) : jar);
            }
        } catch (Exception e) {
            // not from a jar: fall through
        }
        return spec.root().name();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static <T> List<T> awaitAll(List<CompletableFuture<T>> futures, String what) {
        List<T> results = new ArrayList<>();
        for (CompletableFuture<T> f : futures) {
            results.add(ExampleSystem.await(f, DEADLINE, what));
        }
        return results;
    }
}
