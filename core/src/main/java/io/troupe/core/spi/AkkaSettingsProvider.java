package io.troupe.core.spi;

import com.typesafe.config.Config;

/**
 * Akka settings that follow from Troupe's own, for {@link io.troupe.core.TroupeConfig#load()}: e.g.
 * troupe-remote turns {@code troupe.cluster.*} into Akka Cluster's and Artery's settings. Found
 * with {@link java.util.ServiceLoader} (a {@code META-INF/services} entry in the providing jar).
 * What a provider returns goes under {@code application.conf} and over the {@code reference.conf}
 * files, so an application can still set any of those keys itself.
 *
 * <p>Thread safety: implementations must be stateless.
 */
public interface AkkaSettingsProvider {
    /**
     * The settings to add for {@code config}.
     *
     * @param config the resolved configuration without this provider's settings
     * @return settings to add (unresolved is fine), or an empty config for none
     * @throws com.typesafe.config.ConfigException if Troupe's settings are wrong, saying which key,
     *     its value and the fix
     */
    Config akkaSettings(Config config);
}
