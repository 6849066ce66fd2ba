package dev.securechannel.attestation;

/**
 * Verifies a peer's attestation document and reports what it proves.
 *
 * <p>Implementations check the document's own integrity (signatures, chain, policy); the
 * handshake itself then checks that the verified public key and nonce equal the hello's and
 * that expected measurements match. Must be thread-safe.
 */
public interface AttestationVerifier {

    /** A short identifier for configuration, health and metrics: {@code mock}, {@code sev-snp}, ... */
    String type();

    /** Whether this verifier accepts evidence that proves nothing (the mock); the production profile refuses it. */
    default boolean isInsecure() {
        return false;
    }

    /**
     * Verifies {@code document}.
     *
     * @throws dev.securechannel.SecureChannelException ATTESTATION_VERIFICATION_FAILED (or a more
     *                                                  specific reason) when the document is rejected
     */
    VerifiedAttestation verify(AttestationDocument document);
}
