package io.troupe.remote.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.spi.AkkaSettingsProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code troupe.cluster.*} into the Akka settings of a node that is also an Akka Cluster
 * member (see troupe-remote's {@code reference.conf}): the cluster actor-ref provider, Artery's
 * canonical address and transport, the seed nodes, the node's name as the cluster role {@code
 * troupe-node:<node-name>}, and the Split Brain Resolver as the downing provider. Applied by {@code
 * TroupeConfig.load()} under {@code application.conf}; nothing when {@code troupe.cluster.enabled =
 * off}.
 *
 * <p>Traffic that leaves a machine must be encrypted: with {@code transport = "auto"} plain TCP is
 * allowed only for a loopback hostname; any other address needs {@code "tls-tcp"} (or an explicit
 * {@code "tcp"}, for a network the operator trusts).
 *
 * <p>Thread safety: stateless.
 */
public final class ClusterSettings implements AkkaSettingsProvider {
    static final String PATH = "troupe.cluster";

    /** The cluster role that carries a Troupe node's name. */
    public static final String ROLE_PREFIX = "troupe-node:";

    @Override
    public Config akkaSettings(Config config) {
        Config c = config.getConfig(PATH);
        if (!c.getBoolean("enabled")) {
            return ConfigFactory.empty();
        }
        String host = c.getString("hostname").isEmpty() ? "127.0.0.1" : c.getString("hostname");
        int port = c.getInt("port");
        if (port < 0 || port > 65535) {
            throw new ConfigException.BadValue(
                    PATH + ".port", "is " + port + "; give a TCP port, 1-65535 (0: any free one)");
        }
        String transport = transport(c.getString("transport"), host);
        String cluster = config.getString("troupe.remote.cluster-name");
        String node = config.getString("troupe.remote.node-name");
        List<String> seeds = new ArrayList<>();
        for (String s : c.getStringList("seed-nodes")) {
            seeds.add(seedAddress(s, cluster));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("akka.actor.provider", "cluster");
        m.put("akka.remote.artery.transport", transport);
        m.put("akka.remote.artery.canonical.hostname", host);
        m.put("akka.remote.artery.canonical.port", port);
        m.put("akka.cluster.seed-nodes", seeds);
        m.put("akka.cluster.roles", List.of(ROLE_PREFIX + node));
        m.put("akka.cluster.downing-provider-class", "akka.cluster.sbr.SplitBrainResolverProvider");
        m.put("akka.cluster.split-brain-resolver.active-strategy", "keep-majority");
        return ConfigFactory.parseMap(m, "troupe.cluster (ClusterSettings)");
    }

    private static String transport(String value, String host) {
        switch (value) {
            case "tcp":
            case "tls-tcp":
                return value;
            case "auto":
                if (isLoopback(host)) {
                    return "tcp";
                }
                throw new ConfigException.BadValue(
                        PATH + ".transport",
                        "is \"auto\" and "
                                + PATH
                                + ".hostname is \""
                                + host
                                + "\", not a loopback address: traffic that leaves the machine"
                                + " must be encrypted. Set transport = \"tls-tcp\" (with its key and"
                                + " trust stores), or \"tcp\" for a network you trust");
            default:
                throw new ConfigException.BadValue(
                        PATH + ".transport",
                        "is \""
                                + value
                                + "\"; choose \"auto\" (the default), \"tcp\" or \"tls-tcp\"");
        }
    }

    /**
     * {@code host:port} as the address of the actor system named {@code cluster}; akka:// as is.
     */
    private static String seedAddress(String seed, String cluster) {
        if (seed.startsWith("akka://")) {
            return seed;
        }
        int colon = seed.lastIndexOf(':');
        if (colon <= 0 || colon == seed.length() - 1) {
            throw new ConfigException.BadValue(
                    PATH + ".seed-nodes",
                    "has \""
                            + seed
                            + "\"; give \"host:port\" (the actor system is named after"
                            + " troupe.remote.cluster-name, here \""
                            + cluster
                            + "\") or a full \"akka://<system>@host:port\"");
        }
        try {
            Integer.parseInt(seed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException.BadValue(
                    PATH + ".seed-nodes",
                    "has \"" + seed + "\", whose port is not a number; give \"host:port\"");
        }
        return "akka://" + cluster + "@" + seed;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
