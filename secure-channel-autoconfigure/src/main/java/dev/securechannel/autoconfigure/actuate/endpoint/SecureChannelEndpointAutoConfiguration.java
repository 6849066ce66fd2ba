package dev.securechannel.autoconfigure.actuate.endpoint;

import dev.securechannel.actuate.endpoint.SecureChannelEndpoint;
import dev.securechannel.attestation.LocalAttestationMonitor;
import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.health.SecureChannelHealthContributorAutoConfiguration;
import dev.securechannel.autoconfigure.metrics.SecureChannelMetricsAutoConfiguration;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.session.SecureSession;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code securechannel} actuator endpoint, when it is available (exposed and its access
 * not {@code none}). Reports metrics and the local attestation self-check when those are
 * configured, and works without them.
 */
@AutoConfiguration(after = {SecureChannelAutoConfiguration.class, SecureChannelMetricsAutoConfiguration.class,
    SecureChannelHealthContributorAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(SessionConfig.class)
public final class SecureChannelEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    SecureChannelEndpoint secureChannelEndpoint(SessionConfig config, ObjectProvider<SecureChannelMetrics> metrics,
                                                ObjectProvider<LocalAttestationMonitor> monitor,
                                                ObjectProvider<ConnectionRegistry> registries) {
        return new SecureChannelEndpoint(config.attestationProvider(), config.attestationVerifier(), metrics.getIfUnique(),
                monitor.getIfUnique(), () -> openConnections(registries.getIfUnique()), SessionConfigInternals.cryptoBackend(config));
    }

    private static Collection<SecureSession> openConnections(@Nullable ConnectionRegistry registry) {
        return registry == null ? List.of() : registry.connections().stream().filter(SecureSession::isOpen).map(SecureSession.class::cast).toList();
    }
}
