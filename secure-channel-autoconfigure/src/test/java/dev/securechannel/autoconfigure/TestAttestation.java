package dev.securechannel.autoconfigure;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.VerifiedAttestation;
import org.jspecify.annotations.Nullable;

/**
 * Attestation beans that claim to be secure, so the production profile accepts them in
 * configuration tests; they are the mock underneath and never leave the tests.
 */
final class TestAttestation {

    private TestAttestation() {
    }

    static final class Provider implements AttestationProvider {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public String platform() {
            return "test";
        }

        @Override
        public AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) {
            return new AttestationDocument(InsecureMockAttestation.encode(userData, nonce, publicKey));
        }
    }

    static final class Verifier implements AttestationVerifier {
        @Override
        public String type() {
            return "test";
        }

        @Override
        public VerifiedAttestation verify(AttestationDocument document) {
            return InsecureMockAttestation.decode(document);
        }
    }
}
