package dev.securechannel.attestation;

import org.jspecify.annotations.Nullable;

/**
 * An attestation provider that proves nothing: it writes the values it is given into a
 * {@code MOCK_ATT_V1} document. For tests and development; the production profile refuses it.
 * Stateless and thread-safe.
 */
public final class InsecureMockAttestationProvider implements AttestationProvider {

    @Override
    public String type() {
        return InsecureMockAttestation.TYPE;
    }

    @Override
    public String platform() {
        return InsecureMockAttestation.PLATFORM;
    }

    @Override
    public boolean isInsecure() {
        return true;
    }

    @Override
    public AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) {
        return new AttestationDocument(InsecureMockAttestation.encode(userData, nonce, publicKey));
    }
}
