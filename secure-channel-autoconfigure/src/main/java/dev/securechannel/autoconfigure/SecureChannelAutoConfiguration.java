package dev.securechannel.autoconfigure;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.CryptoBackends;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import java.security.SecureRandom;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link SessionConfig} every endpoint and client of the application shares, built from
 * {@code secure-channel.*} and the attestation beans, and validated against the security
 * profile at startup.
 */
@AutoConfiguration
@EnableConfigurationProperties({SecureChannelProperties.class, SecureChannelCryptoProperties.class})
public final class SecureChannelAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "secure-channel.key-pool.enabled")
    EphemeralKeyPool secureChannelEphemeralKeyPool(SecureChannelProperties properties, SecureChannelCryptoProperties crypto) {
        return EphemeralKeyPool.start(properties.getKeyPool().getSize(), new SecureRandom(), CryptoBackends.select(crypto.getBackend()));
    }

    @Bean
    @ConditionalOnMissingBean
    SessionConfig secureChannelSessionConfig(SecureChannelProperties properties, SecureChannelCryptoProperties crypto,
                                             ObjectProvider<AttestationProvider> providers,
                                             ObjectProvider<AttestationVerifier> verifiers,
                                             ObjectProvider<EphemeralKeyPool> keyPool) {
        AttestationProvider provider = providers.getIfUnique();
        AttestationVerifier verifier = verifiers.getIfUnique();
        if (provider == null || verifier == null) {
            throw new ConfigurationRejectedException(ConfigurationProblem.NO_ATTESTATION,
                    "no attestation provider and verifier (secure-channel.attestation.provider is "
                            + properties.getAttestation().getProvider() + ")");
        }
        long maxFrame = properties.getMaxFrameSize().toBytes();
        SessionConfig.Builder builder = SessionConfig.builder();
        keyPool.ifAvailable(pool -> SessionConfigInternals.ephemeralKeys(builder, pool));
        return builder
                .securityProfile(properties.getSecurityProfile())
                .requireMeasurements(properties.isRequireMeasurements())
                .attestationProvider(provider)
                .attestationVerifier(verifier)
                .expectedMeasurements(ExpectedMeasurements.fromHex(properties.getAttestation().getExpectedMeasurements()))
                .handshakeTimeout(properties.getHandshakeTimeout())
                .maxPayloadLength((int) Math.min(Integer.MAX_VALUE, maxFrame))
                .aes256Gcm(properties.getExtensions().getAes256Gcm())
                .keyUpdate(properties.getExtensions().getKeyUpdate())
                .keyUpdatePolicy(properties.getExtensions().keyUpdatePolicy())
                .cryptoBackend(crypto.getBackend())
                .build();
    }
}
