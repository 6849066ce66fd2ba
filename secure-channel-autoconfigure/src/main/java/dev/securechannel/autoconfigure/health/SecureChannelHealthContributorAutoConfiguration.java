package dev.securechannel.autoconfigure.health;

import dev.securechannel.attestation.LocalAttestationMonitor;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.health.SecureChannelHealthIndicator;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code securechannel} health contributor and the periodic local attestation self-check
 * behind it ({@code management.health.securechannel.*}).
 */
@AutoConfiguration(after = SecureChannelAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(SessionConfig.class)
@ConditionalOnEnabledHealthIndicator("securechannel")
@EnableConfigurationProperties(SecureChannelHealthIndicatorProperties.class)
public final class SecureChannelHealthContributorAutoConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    LocalAttestationMonitor secureChannelLocalAttestationMonitor(SessionConfig config,
                                                                 SecureChannelHealthIndicatorProperties properties) {
        return new LocalAttestationMonitor(config.attestationProvider(), config.attestationVerifier(), properties.getInterval(),
                Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean(name = "securechannelHealthIndicator")
    SecureChannelHealthIndicator securechannelHealthIndicator(LocalAttestationMonitor monitor, SessionConfig config,
                                                              ObjectProvider<CollateralCache> collateral) {
        return new SecureChannelHealthIndicator(monitor, collateral.getIfUnique(), SessionConfigInternals.cryptoBackend(config));
    }
}
