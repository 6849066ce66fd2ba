package dev.securechannel.autoconfigure;

import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Insecure mock attestation when {@code secure-channel.attestation.provider=mock}: for
 * development only; the production profile refuses to start with it.
 */
@AutoConfiguration(before = SecureChannelAutoConfiguration.class)
@ConditionalOnProperty(prefix = "secure-channel.attestation", name = "provider", havingValue = "mock")
public final class SecureChannelMockAttestationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AttestationProvider secureChannelAttestationProvider() {
        return new InsecureMockAttestationProvider();
    }

    @Bean
    @ConditionalOnMissingBean
    AttestationVerifier secureChannelAttestationVerifier() {
        return new InsecureMockAttestationVerifier();
    }
}
