package dev.securechannel.attestation.sevsnp;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;

/**
 * A rejected SEV-SNP report, certificate chain, CRL, HCL report or wire document. The
 * {@link #reason()} is always {@link FailureReason#ATTESTATION_VERIFICATION_FAILED}, so the
 * handshake treats every SEV-SNP rejection alike; {@link #failure()} says which check failed.
 * The message names the failure and local detail for logs, never secrets.
 */
public final class SnpVerificationException extends SecureChannelException {

    private static final long serialVersionUID = 1L;

    private final SnpFailure failure;

    public SnpVerificationException(SnpFailure failure, String detail) {
        super(FailureReason.ATTESTATION_VERIFICATION_FAILED, failure.name() + ": " + detail);
        this.failure = failure;
    }

    public SnpVerificationException(SnpFailure failure, String detail, Throwable cause) {
        super(FailureReason.ATTESTATION_VERIFICATION_FAILED, failure.name() + ": " + detail, cause);
        this.failure = failure;
    }

    /** Which check rejected the evidence. */
    public SnpFailure failure() {
        return failure;
    }

    /** The failed check's tag, for example {@code debug-guest-rejected}: what metrics and the actuator endpoint show. */
    @Override
    public String detailCode() {
        return failure.tagValue();
    }
}
