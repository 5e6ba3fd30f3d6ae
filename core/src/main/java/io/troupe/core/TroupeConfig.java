package io.troupe.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.core.dispatch.CountedMailbox;
import io.troupe.core.spi.AkkaSettingsProvider;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The configuration to create an actor system with, so that Troupe's settings for Akka hold
 * whatever order the class path lists the jars in.
 *
 * <pre>{@code
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "shop", TroupeConfig.load());
 * }</pre>
 *
 * <p>Why it exists. Troupe needs a few of Akka's own settings to differ from Akka's defaults: every
 * actor's default mailbox is {@link CountedMailbox} (an unbounded single-consumer queue like Akka
 * Typed's, plus an O(1) size), so that a node can watch the mailbox of any actor that receives
 * remote messages cheaply ({@code troupe.remote.inbound-mailbox-limit}). troupe-remote's {@code
 * reference.conf} sets them, but Akka's jars set the same keys in theirs, and Typesafe Config
 * merges the {@code reference.conf} files in class-path order with the first one winning. Maven
 * lists a dependency's own dependencies right after it, so a project that declares {@code
 * troupe-core} or any Akka artifact ahead of {@code troupe-remote} gets Akka's mailbox, and every
 * node warns that it has to walk mailboxes instead. No {@code reference.conf} can win that race for
 * sure, and an actor system's configuration is fixed when it is created; so the one place that is
 * always right is the configuration the system is created with. {@link #load()} layers the
 * configuration exactly as Akka's {@code ConfigFactory.load()} does, with Troupe's settings
 * inserted between {@code application.conf} and the {@code reference.conf} files:
 *
 * <ol>
 *   <li>system properties ({@code -Dkey=value}),
 *   <li>{@code application.conf} (or {@code -Dconfig.resource}/{@code config.file}/{@code
 *       config.url}, as Typesafe Config reads them),
 *   <li>the settings that follow from Troupe's own ({@link AkkaSettingsProvider}: e.g. Akka
 *       Cluster's from {@code troupe.cluster.*}),
 *   <li>{@link #akkaSettings()},
 *   <li>every {@code reference.conf} on the class path.
 * </ol>
 *
 * <p>So {@code application.conf} can still set any of these keys. An actor system created without
 * it (e.g. {@code ActorSystem.create(behavior, name)}) works too; it only depends on the class path
 * order for these settings, and a node that finds Akka's mailbox says so once with the fix.
 * troupe-testkit's {@code ActorTestKitExtension} creates its systems with {@link #load(String)}.
 *
 * <p>Thread safety: stateless; every method may be called from any thread. Each call reads the
 * configuration files again (Typesafe Config caches the parsed files).
 */
public final class TroupeConfig {

    private static final String COUNTED_MAILBOX = CountedMailbox.class.getName();

    private TroupeConfig() {}

    /**
     * The Akka settings Troupe needs, and nothing else: {@code
     * akka.actor.typed.default-mailbox.mailbox-type} (typed actors) and {@code
     * akka.actor.default-mailbox.mailbox-type} (classic ones) set to {@link CountedMailbox}. For
     * applications that build their configuration themselves: put it under their own settings and
     * over the {@code reference.conf} files, e.g. {@code
     * ConfigFactory.load(mine.withFallback(TroupeConfig.akkaSettings()))}.
     *
     * @return the settings, unresolved (they need no resolution)
     */
    public static Config akkaSettings() {
        return ConfigFactory.parseString(
                "akka.actor.typed.default-mailbox.mailbox-type = \""
                        + COUNTED_MAILBOX
                        + "\"\n"
                        + "akka.actor.default-mailbox.mailbox-type = \""
                        + COUNTED_MAILBOX
                        + "\"\n");
    }

    /**
     * Like Typesafe Config's {@code ConfigFactory.load()}, with {@link #akkaSettings()} between
     * {@code application.conf} and the {@code reference.conf} files.
     *
     * @return the resolved configuration to pass to {@code ActorSystem.create}
     */
    public static Config load() {
        return load(ConfigFactory.empty());
    }

    /**
     * Like {@link #load()}, with {@code overrides} over {@code application.conf} (system properties
     * still win, as in {@code ConfigFactory.load(Config)}).
     *
     * @param overrides settings for this system only, e.g. {@code
     *     ConfigFactory.parseString("troupe.remote.node-name = alpha")}
     * @return the resolved configuration to pass to {@code ActorSystem.create}
     */
    public static Config load(Config overrides) {
        Objects.requireNonNull(overrides, "overrides");
        return withProviders(overrides.withFallback(ConfigFactory.defaultApplication()));
    }

    /**
     * {@code application} over the providers' settings (see {@link AkkaSettingsProvider}) over
     * {@link #akkaSettings()} over the {@code reference.conf} files, resolved with system
     * properties on top.
     */
    private static Config withProviders(Config application) {
        Config base = application.withFallback(akkaSettings());
        Config resolved = ConfigFactory.load(base);
        Config derived = ConfigFactory.empty();
        for (AkkaSettingsProvider p :
                ServiceLoader.load(
                        AkkaSettingsProvider.class, TroupeConfig.class.getClassLoader())) {
            derived = derived.withFallback(p.akkaSettings(resolved));
        }
        return derived.isEmpty()
                ? resolved
                : ConfigFactory.load(
                        application.withFallback(derived).withFallback(akkaSettings()));
    }

    /**
     * Like Typesafe Config's {@code ConfigFactory.load(resourceBasename)} (the named resource
     * instead of {@code application.conf}, e.g. {@code "application-test"} as Akka's {@code
     * ActorTestKit} reads it), with {@link #akkaSettings()} between it and the {@code
     * reference.conf} files.
     *
     * @param resourceBasename a class-path resource name without extension; {@code .conf}, {@code
     *     .json} and {@code .properties} are tried
     * @return the resolved configuration to pass to {@code ActorSystem.create}
     */
    public static Config load(String resourceBasename) {
        Objects.requireNonNull(resourceBasename, "resourceBasename");
        return withProviders(ConfigFactory.parseResourcesAnySyntax(resourceBasename));
    }
}
