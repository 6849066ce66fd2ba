package dev.securechannel;

import java.util.Locale;

/**
 * Why a configuration was refused before any connection: the typed detail of a
 * {@link ConfigurationRejectedException}, from which a startup report chooses its advice.
 */
public enum ConfigurationProblem {
    /** No attestation provider or verifier was configured. */
    NO_ATTESTATION,
    /** The production profile was given mock (insecure) attestation. */
    INSECURE_ATTESTATION,
    /** Expected measurements are required (production profile, or require-measurements) but none are set. */
    MEASUREMENTS_REQUIRED,
    /** An explicitly chosen crypto backend cannot load or failed its self-test. */
    CRYPTO_BACKEND_UNAVAILABLE,
    /** The hardware attestation device (configfs-tsm, vTPM) is not there. */
    ATTESTATION_DEVICE_MISSING,
    /** The SEV-SNP verification policy's settings are inconsistent or out of range. */
    SEV_SNP_POLICY_INVALID;

    /** The low-cardinality code, for example {@code no-attestation}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
