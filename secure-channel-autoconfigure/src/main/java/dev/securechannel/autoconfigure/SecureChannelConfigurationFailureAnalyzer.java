package dev.securechannel.autoconfigure;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Turns a secure-channel configuration the security profile refuses into a readable startup
 * report that says which property to set. The advice follows the exception's
 * {@link ConfigurationProblem}, never its message. Ordered ahead of Spring Boot's analyzers,
 * which would otherwise describe the bean whose creation failed rather than the cause.
 */
class SecureChannelConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationRejectedException> implements Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationRejectedException cause) {
        String description = "secure-channel refused its configuration: " + cause.getMessage();
        return new FailureAnalysis(description, action(cause.problem()), cause);
    }

    static String action(ConfigurationProblem problem) {
        String providers = String.join(", ", SecureChannelProperties.ATTESTATION_PROVIDERS);
        return switch (problem) {
            case NO_ATTESTATION -> "Set secure-channel.attestation.provider to one of " + providers + " (mock for development, "
                    + "sev-snp or sev-snp-azure on confidential VMs), or define AttestationProvider and AttestationVerifier beans.";
            case INSECURE_ATTESTATION -> "Mock attestation proves nothing. Use a hardware provider (secure-channel.attestation.provider="
                    + "sev-snp or sev-snp-azure), or set secure-channel.security-profile=development for local development.";
            case MEASUREMENTS_REQUIRED -> "Set secure-channel.attestation.expected-measurements (hex by index, for example "
                    + "secure-channel.attestation.expected-measurements[0]=<48-byte launch measurement>), or use the "
                    + "development profile without require-measurements.";
            case CRYPTO_BACKEND_UNAVAILABLE -> "Set secure-channel.crypto.backend=auto (Conscrypt where it loads, otherwise the JDK "
                    + "and BouncyCastle), jdk or bouncycastle. To use conscrypt, put org.conscrypt:conscrypt-openjdk-uber on the class "
                    + "path (the starter brings it) and run where its native library loads (Linux x86_64 or aarch64, macOS, Windows).";
            case ATTESTATION_DEVICE_MISSING -> "Run on an SEV-SNP confidential VM (sev-snp: Linux 6.7+ guest with configfs-tsm; "
                    + "sev-snp-azure: Azure DCasv5/ECasv5 or later with its vTPM readable by this process), point "
                    + "secure-channel.attestation.sev-snp.configfs-path or tpm-device at the device, or choose another "
                    + "secure-channel.attestation.provider (" + providers + ").";
            case SEV_SNP_POLICY_INVALID -> "Correct the secure-channel.attestation.sev-snp.* property named above (pins are hex of "
                    + "the field's exact length: measurement, id-key-digest and author-key-digest 48 bytes, host-data 32, family-id "
                    + "and image-id 16).";
        };
    }
}
