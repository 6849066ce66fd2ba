package dev.securechannel.attestation.sevsnp;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;

/**
 * An SEV-SNP policy setting the policy cannot take ({@link ConfigurationProblem#SEV_SNP_POLICY_INVALID}):
 * which setting, as the user named it, the value given and what it must be instead, each
 * readable on its own so that a front-end can report them in its own words.
 */
public final class SnpPolicySettingException extends ConfigurationRejectedException {

    private static final long serialVersionUID = 1L;

    private final SnpPolicySettings.Rejection rejection;

    public SnpPolicySettingException(SnpPolicySettings.Rejection rejection) {
        super(ConfigurationProblem.SEV_SNP_POLICY_INVALID, rejection.message());
        this.rejection = rejection;
    }

    /** The setting refused, value and fix together. */
    public SnpPolicySettings.Rejection rejection() {
        return rejection;
    }

    /** The setting, as the user named it ({@code --host-data}, {@code secure-channel.attestation.sev-snp.host-data}). */
    public String setting() {
        return rejection.setting();
    }

    /** The value given, as text. */
    public String value() {
        return rejection.value();
    }

    /** What the value must be, or what to change. */
    public String fix() {
        return rejection.fix();
    }
}
