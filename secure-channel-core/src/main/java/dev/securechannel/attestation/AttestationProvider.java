package dev.securechannel.attestation;

import org.jspecify.annotations.Nullable;

/**
 * Produces this side's attestation evidence for one handshake.
 *
 * <p>The handshake calls {@code attest(null, ownNonce, ownPublicKey)}; the document must bind
 * both so that the peer can check them against the hello (PROTOCOL.md section 2). Called on
 * the thread that runs the handshake; implementations must be thread-safe, since several
 * handshakes may run at once.
 */
public interface AttestationProvider {

    /** A short identifier for configuration, health and metrics: {@code mock}, {@code sev-snp}, ... */
    String type();

    /** The platform name shown to operators, for example {@code SEV-SNP} or {@code none (mock)}. */
    String platform();

    /** Whether this provider gives no security at all (the mock); the production profile refuses it. */
    default boolean isInsecure() {
        return false;
    }

    /**
     * Produces a document binding the given values.
     *
     * @param userData  optional application data (the handshake passes {@code null})
     * @param nonce     the 32-byte handshake nonce, or {@code null}
     * @param publicKey the 32-byte X25519 public key, or {@code null}
     * @throws Exception any failure; the handshake reports it as ATTESTATION_GENERATION_FAILED
     */
    AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) throws Exception;
}
