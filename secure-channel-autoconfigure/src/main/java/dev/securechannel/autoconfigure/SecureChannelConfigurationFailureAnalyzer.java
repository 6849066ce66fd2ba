package dev.securechannel.autoconfigure;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a secure-channel configuration the security profile refuses into a readable startup
 * report that says which property to set.
 */
class SecureChannelConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SecureChannelException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecureChannelException cause) {
        if (cause.reason() != FailureReason.CONFIGURATION_REJECTED) {
            return null;
        }
        String description = "secure-channel refused its configuration: " + cause.getMessage();
        String message = cause.getMessage();
        String action;
        if (message.contains("no attestation provider")) {
            action = "Set secure-channel.attestation.provider (mock for development, sev-snp or sev-snp-azure on "
                    + "confidential VMs), or define AttestationProvider and AttestationVerifier beans.";
        } else if (message.contains("insecure mock")) {
            action = "Mock attestation proves nothing. Use a hardware provider (secure-channel.attestation.provider="
                    + "sev-snp or sev-snp-azure), or set secure-channel.security-profile=development for local development.";
        } else if (message.contains("measurements")) {
            action = "Set secure-channel.attestation.expected-measurements (hex by index, for example "
                    + "secure-channel.attestation.expected-measurements[0]=<48-byte launch measurement>), or use the "
                    + "development profile without require-measurements.";
        } else if (message.contains("crypto backend")) {
            action = "Set secure-channel.crypto.backend=auto (Conscrypt where it loads, otherwise the JDK and BouncyCastle), "
                    + "jdk or bouncycastle. To use conscrypt, put org.conscrypt:conscrypt-openjdk-uber on the class path (the "
                    + "starter brings it) and run where its native library loads (Linux x86_64 or aarch64, macOS, Windows).";
        } else if (message.contains("configfs-tsm") || message.contains("vTPM")) {
            action = "Run on an SEV-SNP confidential VM (sev-snp: Linux 6.7+ guest with configfs-tsm; sev-snp-azure: Azure "
                    + "DCasv5/ECasv5 or later with its vTPM readable by this process), point secure-channel.attestation.sev-snp."
                    + "configfs-path or tpm-device at the device, or choose another secure-channel.attestation.provider.";
        } else if (message.contains("secure-channel.attestation.sev-snp")) {
            action = "Correct the secure-channel.attestation.sev-snp.* property named above (pins are hex of the field's exact "
                    + "length: measurement, id-key-digest and author-key-digest 48 bytes, host-data 32, family-id and image-id 16).";
        } else {
            action = "Review the secure-channel.* properties.";
        }
        return new FailureAnalysis(description, action, cause);
    }
}
