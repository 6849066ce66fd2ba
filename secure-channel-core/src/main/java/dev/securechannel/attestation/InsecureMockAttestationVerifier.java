package dev.securechannel.attestation;

/**
 * A verifier that accepts any well-formed {@code MOCK_ATT_V1} document: it checks the marker
 * and lengths and reports the fields, with no measurements. For tests and development; the
 * production profile refuses it. Stateless and thread-safe.
 */
public final class InsecureMockAttestationVerifier implements AttestationVerifier {

    @Override
    public String type() {
        return InsecureMockAttestation.TYPE;
    }

    @Override
    public boolean isInsecure() {
        return true;
    }

    @Override
    public VerifiedAttestation verify(AttestationDocument document) {
        return InsecureMockAttestation.decode(document);
    }
}
