package io.troupe.remote.internal;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import akka.cluster.typed.Subscribe;
import io.troupe.remote.Member;
import io.troupe.remote.MembershipEvent;
import io.troupe.remote.cluster.ClusterSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Troupe nodes on other machines (cluster mode), as Akka Cluster sees them: a member on another
 * host with the role {@code troupe-node:<name>} becomes a {@link Member} once its {@link
 * ClusterService} said who it is (incarnation, pid, start), and subscribers get {@code NodeUp};
 * when Akka removes it (it left, or the Split Brain Resolver downed it after the phi-accrual
 * detector found it unreachable) they get {@code NodeDown}, at the time Akka gives its watchers
 * {@code Terminated}. Members on this node's own host are this machine's nodes: they are known over
 * IPC (heartbeats and pids), never from here.
 *
 * <p>Node names are unique across the whole cluster: a node that finds an older member with its own
 * name logs why and leaves the cluster (its actor system then shuts down); other nodes ignore the
 * younger one meanwhile.
 *
 * <p>Thread safety: the actor handles the events; the map of members is changed on the transport
 * thread only (through {@code publish}), so that a subscriber's initial {@code NodeUp}s and later
 * events never overlap; it is read from any thread.
 */
final class ClusterMembers {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembers.class);
    private static final Duration IDENTIFY_TIMEOUT = Duration.ofSeconds(3);

    /** A node on another machine. */
    record Across(Member member, Address address) {}

    private final Self self;
    private final Transport.AcrossEvents events;
    private final Map<String, Across> byName = new ConcurrentHashMap<>();

    ClusterMembers(Self self, Transport.AcrossEvents events) {
        this.self = self;
        this.events = events;
    }

    /** The nodes on other machines that are up. Any thread. */
    List<Member> members() {
        List<Member> m = new ArrayList<>();
        for (Across a : byName.values()) {
            m.add(a.member());
        }
        return m;
    }

    /** The node called {@code name} on another machine, or null. Any thread. */
    Across get(String name) {
        return byName.get(name);
    }

    /** Records an up node and tells {@code publish}. Transport thread. */
    void up(Across a, Consumer<MembershipEvent> publish) {
        Across before = byName.putIfAbsent(a.member().name(), a);
        if (before == null) {
            publish.accept(new MembershipEvent.NodeUp(a.member()));
            LOG.info("Node {} sees node {} up on another machine", self.name(), a.member());
        }
    }

    /** Forgets a node that Akka removed, and tells {@code publish}. Transport thread. */
    void down(
            Address address,
            MembershipEvent.Reason reason,
            String detail,
            Consumer<MembershipEvent> publish) {
        for (Across a : byName.values()) {
            if (a.address().equals(address) && byName.remove(a.member().name(), a)) {
                publish.accept(new MembershipEvent.NodeDown(a.member(), reason, detail));
                LOG.info("Node {} sees node {} down: {}", self.name(), a.member(), detail);
            }
        }
    }

    // ---- the actor ----

    private record Identified(
            akka.cluster.Member member, ClusterService.Answer answer, Throwable failure) {}

    private record Retry(akka.cluster.Member member) {}

    /** The actor that follows Akka Cluster's member events. */
    Behavior<Object> behavior(
            java.util.function.Function<Address, ActorRef<ClusterService.Protocol>> service) {
        return Behaviors.setup(
                ctx -> {
                    Cluster cluster = Cluster.get(ctx.getSystem());
                    cluster.subscriptions()
                            .tell(
                                    Subscribe.create(
                                            ctx.getSelf().narrow(),
                                            ClusterEvent.MemberEvent.class));
                    String ownHost = hostOf(cluster.selfMember().address());
                    return Behaviors.withTimers(
                            timers ->
                                    Behaviors.receive(Object.class)
                                            .onMessage(
                                                    ClusterEvent.MemberUp.class,
                                                    e -> {
                                                        onUp(
                                                                ctx,
                                                                cluster,
                                                                ownHost,
                                                                e.member(),
                                                                service);
                                                        return Behaviors.same();
                                                    })
                                            .onMessage(
                                                    Retry.class,
                                                    r -> {
                                                        if (isUp(cluster, r.member())) {
                                                            onUp(
                                                                    ctx,
                                                                    cluster,
                                                                    ownHost,
                                                                    r.member(),
                                                                    service);
                                                        }
                                                        return Behaviors.same();
                                                    })
                                            .onMessage(
                                                    Identified.class,
                                                    i -> {
                                                        onIdentified(cluster, i, timers);
                                                        return Behaviors.same();
                                                    })
                                            .onMessage(
                                                    ClusterEvent.MemberRemoved.class,
                                                    e -> {
                                                        onRemoved(e.member(), e.previousStatus());
                                                        return Behaviors.same();
                                                    })
                                            .onAnyMessage(m -> Behaviors.same())
                                            .build());
                });
    }

    private static boolean isUp(Cluster cluster, akka.cluster.Member m) {
        for (akka.cluster.Member now : cluster.state().getMembers()) {
            if (now.uniqueAddress().equals(m.uniqueAddress())) {
                return now.status() == MemberStatus.up();
            }
        }
        return false;
    }

    private void onUp(
            ActorContext<Object> ctx,
            Cluster cluster,
            String ownHost,
            akka.cluster.Member m,
            java.util.function.Function<Address, ActorRef<ClusterService.Protocol>> service) {
        String name = nodeName(m);
        if (name == null || m.uniqueAddress().equals(cluster.selfMember().uniqueAddress())) {
            return;
        }
        if (name.equals(self.name())) {
            onSameName(cluster, m);
            return;
        }
        if (hostOf(m.address()).equals(ownHost)) {
            return; // this machine's node: known over IPC
        }
        Across known = byName.get(name);
        if (known != null && !known.address().equals(m.address())) {
            LOG.warn(
                    "Node {} ignores a second node called '{}' at {}: '{}' is already up at {}; node names"
                            + " must be unique across the cluster, and the younger node leaves",
                    self.name(),
                    name,
                    m.address(),
                    name,
                    known.address());
            return;
        }
        ctx.ask(
                ClusterService.Answer.class,
                service.apply(m.address()),
                IDENTIFY_TIMEOUT,
                ClusterService.Identify::new,
                (answer, failure) -> new Identified(m, answer, failure));
    }

    private void onIdentified(
            Cluster cluster, Identified i, akka.actor.typed.javadsl.TimerScheduler<Object> timers) {
        akka.cluster.Member m = i.member();
        if (!(i.answer() instanceof ClusterService.Identity id) || !id.name().equals(nodeName(m))) {
            if (isUp(cluster, m)) {
                LOG.debug(
                        "Node {} got no identity from {} ({}); asking again",
                        self.name(),
                        m.address(),
                        i.failure() != null ? i.failure().toString() : i.answer());
                timers.startSingleTimer(new Retry(m), Duration.ofMillis(500));
            }
            return;
        }
        Member member =
                new Member(
                        id.name(),
                        id.incarnation(),
                        id.pid(),
                        Instant.ofEpochMilli(id.startedAtMillis()),
                        m.address().toString());
        events.up(new Across(member, m.address()));
    }

    private void onRemoved(akka.cluster.Member m, MemberStatus previous) {
        if (nodeName(m) == null) {
            return;
        }
        boolean left = previous == MemberStatus.exiting() || previous == MemberStatus.leaving();
        events.down(
                m.address(),
                left ? MembershipEvent.Reason.LEFT : MembershipEvent.Reason.UNRESPONSIVE,
                left
                        ? "it left the Akka Cluster"
                        : "Akka Cluster removed it (previous status "
                                + previous
                                + "): it was downed, by the Split Brain Resolver after the failure"
                                + " detector found it unreachable, or by an operator");
    }

    /** Another member calls itself this node's name: the younger of the two leaves. */
    private void onSameName(Cluster cluster, akka.cluster.Member other) {
        akka.cluster.Member me = cluster.selfMember();
        boolean otherIsOlder = me.status() != MemberStatus.up() || other.isOlderThan(me);
        if (!otherIsOlder) {
            LOG.warn(
                    "Node {} at {} sees a younger node with its name at {}; that node leaves the"
                            + " cluster",
                    self.name(),
                    me.address(),
                    other.address());
            return;
        }
        LOG.error(
                "Node name '{}' is taken: the node at {} has had it longer, and node names must be"
                        + " unique across the whole cluster. This node ({}) leaves the Akka Cluster and"
                        + " its actor system shuts down. Give it another troupe.remote.node-name.",
                self.name(),
                other.address(),
                me.address());
        events.nameTaken(
                "node name '"
                        + self.name()
                        + "' is taken by the node at "
                        + other.address()
                        + " (node names are unique across the cluster); this node left");
        cluster.manager().tell(Leave.create(me.address()));
    }

    /** The Troupe node name of a member (its role), or null if it is no Troupe node. */
    static String nodeName(akka.cluster.Member m) {
        for (String role : m.getRoles()) {
            if (role.startsWith(ClusterSettings.ROLE_PREFIX)) {
                return role.substring(ClusterSettings.ROLE_PREFIX.length());
            }
        }
        return null;
    }

    static String hostOf(Address a) {
        return a.host().isDefined() ? a.host().get() : "";
    }
}
