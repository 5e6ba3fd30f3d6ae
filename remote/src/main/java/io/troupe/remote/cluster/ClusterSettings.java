package io.troupe.remote.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.spi.AkkaSettingsProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

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
 * <p>With {@code "tls-tcp"}, {@code troupe.cluster.tls.*} becomes Akka's {@code
 * ConfigSSLEngineProvider} settings with mutual authentication on, and the key and trust stores are
 * opened here, at load, so that a missing file, a wrong password or a store without a key stops the
 * start with a {@link ConfigException.BadValue} naming the setting and the fix (Akka would only
 * open them at the first connection, and fail it). An application that sets {@code
 * akka.remote.artery.ssl.ssl-engine-provider} to a provider of its own configures that provider
 * itself: {@code troupe.cluster.tls} is then ignored.
 *
 * <p>Thread safety: stateless.
 */
public final class ClusterSettings implements AkkaSettingsProvider {
    static final String PATH = "troupe.cluster";

    /** The cluster role that carries a Troupe node's name. */
    public static final String ROLE_PREFIX = "troupe-node:";

    static final String TLS = PATH + ".tls";
    private static final String SSL = "akka.remote.artery.ssl";
    private static final String ENGINE = SSL + ".config-ssl-engine";
    private static final String CONFIG_SSL_ENGINE_PROVIDER =
            "akka.remote.artery.tcp.ConfigSSLEngineProvider";

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
        seedNodes(config); // checked here, joined by RemoteNode once it can serve other machines
        remotingShutdownTimeout(config); // checked here, applied by RemoteNode
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("akka.actor.provider", "cluster");
        m.put("akka.remote.artery.transport", transport);
        m.put("akka.remote.artery.canonical.hostname", host);
        m.put("akka.remote.artery.canonical.port", port);
        m.put("akka.cluster.roles", List.of(ROLE_PREFIX + node));
        m.put("akka.cluster.downing-provider-class", "akka.cluster.sbr.SplitBrainResolverProvider");
        m.put("akka.cluster.split-brain-resolver.active-strategy", "keep-majority");
        if (transport.equals("tls-tcp")
                && CONFIG_SSL_ENGINE_PROVIDER.equals(
                        config.getString(SSL + ".ssl-engine-provider"))) {
            tls(c.getConfig("tls"), m);
        }
        return ConfigFactory.parseMap(m, "troupe.cluster (ClusterSettings)");
    }

    /**
     * {@code troupe.cluster.tls} as Akka's {@code ConfigSSLEngineProvider} settings, after opening
     * both stores as Akka will (the JVM's default key store type, PKCS12 on Java 9 and later, which
     * reads JKS files too).
     */
    private static void tls(Config tls, Map<String, Object> m) {
        String keyStorePassword = tls.getString("key-store-password");
        String keyPassword =
                tls.getString("key-password").isEmpty()
                        ? keyStorePassword
                        : tls.getString("key-password");
        String trustStorePassword = tls.getString("trust-store-password");
        Path keyStore = storePath(tls, "key-store", KEY_STORE_HOWTO);
        KeyStore keys = openStore(keyStore, "key-store", keyStorePassword, KEY_STORE_HOWTO);
        checkKeys(keys, keyStore, keyPassword);
        Path trustStore = storePath(tls, "trust-store", TRUST_STORE_HOWTO);
        KeyStore trusted =
                openStore(trustStore, "trust-store", trustStorePassword, TRUST_STORE_HOWTO);
        checkTrusted(trusted, trustStore);
        String protocol = tls.getString("protocol");
        List<String> algorithms = tls.getStringList("enabled-algorithms");
        checkCipherSuites(protocol, algorithms);

        m.put(SSL + ".ssl-engine-provider", CONFIG_SSL_ENGINE_PROVIDER);
        m.put(ENGINE + ".key-store", keyStore.toString());
        m.put(ENGINE + ".key-store-password", keyStorePassword);
        m.put(ENGINE + ".key-password", keyPassword);
        m.put(ENGINE + ".trust-store", trustStore.toString());
        m.put(ENGINE + ".trust-store-password", trustStorePassword);
        m.put(ENGINE + ".protocol", protocol);
        m.put(ENGINE + ".enabled-algorithms", algorithms);
        m.put(ENGINE + ".require-mutual-authentication", true);
        m.put(ENGINE + ".hostname-verification", tls.getBoolean("hostname-verification"));
    }

    private static final String KEY_STORE_HOWTO =
            "Make this node's key pair with e.g. \"keytool -genkeypair -alias troupe-node"
                    + " -keyalg EC -groupname secp256r1 -validity 365 -dname CN=troupe-node"
                    + " -storetype PKCS12 -keystore node.p12\", then set "
                    + TLS
                    + ".key-store to its path and "
                    + TLS
                    + ".key-store-password to its password (see troupe-remote's reference.conf)";

    private static final String TRUST_STORE_HOWTO =
            "Put the certificates of the machines to trust (or of their CA) into a trust store with"
                    + " e.g. \"keytool -exportcert -alias troupe-node -keystore node.p12 -rfc -file"
                    + " node.pem\" and \"keytool -importcert -noprompt -alias troupe-node -file"
                    + " node.pem -storetype PKCS12 -keystore trust.p12\", then set "
                    + TLS
                    + ".trust-store to its path and "
                    + TLS
                    + ".trust-store-password to its password (see troupe-remote's reference.conf)";

    /** The store file {@code key} names, absolute, if it is there and readable. */
    private static Path storePath(Config tls, String key, String howTo) {
        String value = tls.getString(key);
        String setting = TLS + "." + key;
        if (value.isBlank()) {
            throw new ConfigException.BadValue(
                    setting,
                    "is \""
                            + value
                            + "\", and "
                            + PATH
                            + ".transport = \"tls-tcp\" needs it. "
                            + howTo);
        }
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException.BadValue(
                    setting, "is \"" + value + "\", not a file path (" + e.getReason() + ")");
        }
        String is =
                "is \""
                        + value
                        + (path.toString().equals(value) ? "\"" : "\" (" + path + ")")
                        + ", which ";
        if (!Files.exists(path)) {
            throw new ConfigException.BadValue(setting, is + "does not exist. " + howTo);
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException.BadValue(
                    setting, is + "is not a file: give the store file's path");
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException.BadValue(
                    setting,
                    is
                            + "this process (user "
                            + System.getProperty("user.name")
                            + ") cannot read: check its owner and permissions");
        }
        return path;
    }

    /** The store at {@code path}, opened with {@code password} as Akka will open it. */
    private static KeyStore openStore(Path path, String key, String password, String howTo) {
        String setting = TLS + "." + key;
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password.toCharArray());
            }
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException.BadValue(
                        setting + "-password",
                        "does not open "
                                + setting
                                + " \""
                                + path
                                + "\""
                                + (password.isEmpty() ? " (it is empty)" : "")
                                + ": give that store's password");
            }
            throw new ConfigException.BadValue(
                    setting,
                    "is \""
                            + path
                            + "\", which cannot be read as a key store ("
                            + (e.getMessage() == null ? e.toString() : e.getMessage())
                            + "): give a PKCS12 or JKS file. "
                            + howTo);
        } catch (GeneralSecurityException e) {
            throw new ConfigException.BadValue(
                    setting,
                    "is \""
                            + path
                            + "\", which cannot be read as a key store ("
                            + e
                            + "): give a PKCS12 or JKS file. "
                            + howTo);
        }
    }

    /** The key store holds a private key that {@code keyPassword} opens. */
    private static void checkKeys(KeyStore keys, Path path, String keyPassword) {
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(keys.aliases())) {
                hasKey |= keys.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new ConfigException.BadValue(
                        TLS + ".key-store",
                        "is \""
                                + path
                                + "\", which holds no private key, only certificates (a trust"
                                + " store?): this node needs its own key pair to prove who it is. "
                                + KEY_STORE_HOWTO);
            }
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
                    .init(keys, keyPassword.toCharArray());
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException.BadValue(
                    TLS + ".key-password",
                    "does not open the private key in "
                            + TLS
                            + ".key-store \""
                            + path
                            + "\": give the key's password, or \"\" when it is the store's"
                            + " password (keytool gives a PKCS12 store's key the store's"
                            + " password)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException.BadValue(
                    TLS + ".key-store",
                    "is \""
                            + path
                            + "\", whose keys cannot be used ("
                            + e
                            + "). "
                            + KEY_STORE_HOWTO);
        }
    }

    /** The trust store trusts at least one certificate. */
    private static void checkTrusted(KeyStore trusted, Path path) {
        try {
            for (String alias : Collections.list(trusted.aliases())) {
                if (trusted.getCertificate(alias) != null) {
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            // as an empty store: trusts no one
        }
        throw new ConfigException.BadValue(
                TLS + ".trust-store",
                "is \""
                        + path
                        + "\", which holds no certificate: this node would accept no peer. "
                        + TRUST_STORE_HOWTO);
    }

    /** The JVM knows {@code protocol} and every suite of {@code algorithms}. */
    private static void checkCipherSuites(String protocol, List<String> algorithms) {
        Set<String> supported;
        try {
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(null, null, null);
            supported =
                    new TreeSet<>(
                            Arrays.asList(context.getSupportedSSLParameters().getCipherSuites()));
        } catch (NoSuchAlgorithmException e) {
            throw new ConfigException.BadValue(
                    TLS + ".protocol",
                    "is \""
                            + protocol
                            + "\", which this JVM does not know; give \"TLSv1.3\" (the default) or"
                            + " \"TLSv1.2\"");
        } catch (GeneralSecurityException e) {
            throw new ConfigException.BadValue(
                    TLS + ".protocol", "is \"" + protocol + "\", which fails here: " + e);
        }
        List<String> unknown = new ArrayList<>();
        for (String a : algorithms) {
            if (!supported.contains(a)) {
                unknown.add(a);
            }
        }
        if (algorithms.isEmpty() || !unknown.isEmpty()) {
            throw new ConfigException.BadValue(
                    TLS + ".enabled-algorithms",
                    (algorithms.isEmpty() ? "is empty" : "has " + unknown + ", unknown to this JVM")
                            + "; give cipher suites of "
                            + protocol
                            + ", e.g. [\"TLS_AES_256_GCM_SHA384\", \"TLS_AES_128_GCM_SHA256\"] for"
                            + " TLSv1.3");
        }
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
                                + " trust stores, "
                                + TLS
                                + ".*), or \"tcp\" for a network you trust");
            default:
                throw new ConfigException.BadValue(
                        PATH + ".transport",
                        "is \""
                                + value
                                + "\"; choose \"auto\" (the default), \"tcp\" or \"tls-tcp\"");
        }
    }

    /**
     * How this node's Artery traffic travels, in words, for the log line a cluster node writes at
     * start: from the Akka settings in effect ({@code config}, an actor system's configuration), so
     * that an application's own {@code akka.remote.artery.*} settings show too.
     *
     * @param config the actor system's configuration (cluster mode)
     * @return e.g. {@code TLS-TCP with mutual authentication (TLSv1.3, key store ..., trust store
     *     ...)} or {@code plain TCP on the loopback (troupe.cluster.transport = "auto")}
     */
    public static String describeTransport(Config config) {
        String artery = config.getString("akka.remote.artery.transport");
        String chosen = config.getString(PATH + ".transport");
        switch (artery) {
            case "tls-tcp":
                String provider = config.getString(SSL + ".ssl-engine-provider");
                if (!CONFIG_SSL_ENGINE_PROVIDER.equals(provider)) {
                    return "TLS-TCP through the application's "
                            + SSL
                            + ".ssl-engine-provider "
                            + provider;
                }
                Config e = config.getConfig(ENGINE);
                String stores =
                        e.getString("protocol")
                                + ", key store "
                                + e.getString("key-store")
                                + ", trust store "
                                + e.getString("trust-store")
                                + ", hostname verification "
                                + (e.getBoolean("hostname-verification") ? "on" : "off")
                                + ")";
                return e.getBoolean("require-mutual-authentication")
                        ? "TLS-TCP with mutual authentication (" + stores
                        : "TLS-TCP WITHOUT mutual authentication ("
                                + ENGINE
                                + ".require-mutual-authentication = off: a peer is not asked who it"
                                + " is; "
                                + stores;
            case "tcp":
                switch (chosen) {
                    case "auto":
                        return "plain TCP on the loopback (" + PATH + ".transport = \"auto\")";
                    case "tcp":
                        return "plain TCP, unencrypted, by explicit choice ("
                                + PATH
                                + ".transport = \"tcp\")";
                    default:
                        return "plain TCP, unencrypted (akka.remote.artery.transport = \"tcp\","
                                + " set by the application over "
                                + PATH
                                + ".transport = \""
                                + chosen
                                + "\")";
                }
            default:
                return "Artery transport \""
                        + artery
                        + "\", unencrypted (akka.remote.artery.transport, set by the application)";
        }
    }

    /**
     * The Akka addresses of {@code troupe.cluster.seed-nodes} ({@code akka://<cluster>@host:port}).
     * They are not handed to Akka as {@code akka.cluster.seed-nodes}, which would join the cluster
     * as the actor system starts: {@code RemoteNode} joins them once the node can answer other
     * machines (its service and gateway run, its protocols are registered), so that a member is
     * always a Troupe node that is ready. An application that sets {@code akka.cluster.seed-nodes}
     * itself joins at start, as Akka does.
     */
    public static List<String> seedNodes(Config config) {
        String cluster = config.getString("troupe.remote.cluster-name");
        List<String> seeds = new ArrayList<>();
        for (String s : config.getStringList(PATH + ".seed-nodes")) {
            seeds.add(seedAddress(s, cluster));
        }
        return seeds;
    }

    /**
     * {@code troupe.cluster.remoting-shutdown-timeout}: how long a terminating node's last shutdown
     * phase may run before the TCP connections Akka's remoting still holds are aborted (see {@code
     * io.troupe.remote.internal.RemotingShutdownGuard}).
     *
     * @param config a configuration with {@code troupe.cluster}
     * @return between 1 s and 5 min
     * @throws ConfigException.BadValue outside that range, naming the value and the range
     */
    public static Duration remotingShutdownTimeout(Config config) {
        String key = PATH + ".remoting-shutdown-timeout";
        Duration timeout = config.getDuration(key);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0
                || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException.BadValue(
                    key,
                    "is "
                            + config.getString(key)
                            + "; give a duration between 1s and 5m (default 5s): shorter cuts"
                            + " Akka's own closing of its connections, longer lets a terminating"
                            + " node hang that long");
        }
        return timeout;
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
