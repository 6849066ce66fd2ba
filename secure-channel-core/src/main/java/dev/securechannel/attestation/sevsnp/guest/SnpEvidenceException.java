package dev.securechannel.attestation.sevsnp.guest;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;

/**
 * This guest could not produce SEV-SNP evidence. The {@link #reason()} is always
 * {@link FailureReason#ATTESTATION_GENERATION_FAILED}, which is what the handshake reports to
 * the peer; {@link #failure()} says what went wrong locally and the message carries the
 * detail an operator needs (paths, TPM response codes), never secrets.
 */
public class SnpEvidenceException extends SecureChannelException {

    private static final long serialVersionUID = 1L;

    private final SnpEvidenceFailure failure;

    public SnpEvidenceException(SnpEvidenceFailure failure, String detail) {
        super(FailureReason.ATTESTATION_GENERATION_FAILED, failure.name() + ": " + detail);
        this.failure = failure;
    }

    public SnpEvidenceException(SnpEvidenceFailure failure, String detail, Throwable cause) {
        super(FailureReason.ATTESTATION_GENERATION_FAILED, failure.name() + ": " + detail, cause);
        this.failure = failure;
    }

    /** What went wrong. */
    public SnpEvidenceFailure failure() {
        return failure;
    }
}
