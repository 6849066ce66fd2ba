package dev.securechannel.internal.handshake;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Test-only attestation: providers that bind the wrong values (or fail), and verifiers that
 * decode the mock format but report measurements or drop fields. Those declared secure
 * ({@code isInsecure() == false}) let the production profile be exercised without hardware.
 */
public final class TestAttestation {

    private TestAttestation() {
    }

    /** What a provider writes into its document, given the handshake's own nonce and key. */
    @FunctionalInterface
    public interface Binder {
        /** The document bytes. */
        byte[] document(byte[] nonce, byte[] publicKey) throws Exception;
    }

    /** A provider whose document is whatever {@code binder} returns. */
    public static AttestationProvider provider(boolean insecure, Binder binder) {
        return new AttestationProvider() {
            @Override
            public String type() {
                return "test";
            }

            @Override
            public String platform() {
                return "test platform";
            }

            @Override
            public boolean isInsecure() {
                return insecure;
            }

            @Override
            public AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey)
                    throws Exception {
                return new AttestationDocument(binder.document(nonce, publicKey));
            }
        };
    }

    /** A provider that binds what {@code binder} says, insecure like the mock. */
    public static AttestationProvider lyingProvider(Binder binder) {
        return provider(true, binder);
    }

    /** A mock-format provider that reports itself secure (for the production profile). */
    public static AttestationProvider secureMockProvider() {
        return provider(false, (nonce, publicKey) -> InsecureMockAttestation.encode(null, nonce, publicKey));
    }

    /** A verifier computing its answer with {@code verify}. */
    public static AttestationVerifier verifier(boolean insecure, Function<AttestationDocument, VerifiedAttestation> verify) {
        return new AttestationVerifier() {
            @Override
            public String type() {
                return "test";
            }

            @Override
            public boolean isInsecure() {
                return insecure;
            }

            @Override
            public VerifiedAttestation verify(AttestationDocument document) {
                return verify.apply(document);
            }
        };
    }

    /**
     * A mock-format verifier that reports {@code measurements}; it declares itself, and the
     * attestations it returns, secure or not as {@code insecure} says.
     */
    public static AttestationVerifier measuringVerifier(boolean insecure, Map<Integer, byte[]> measurements) {
        return verifier(insecure, document -> {
            VerifiedAttestation base = InsecureMockAttestation.decode(document);
            return new VerifiedAttestation(base.documentHash(), base.publicKey().orElse(null), base.nonce().orElse(null),
                    base.userData().orElse(null), measurements, insecure ? base.platform() : "test TEE", insecure, base.claims());
        });
    }

    /** The same attestation without its public key. */
    public static VerifiedAttestation withoutPublicKey(VerifiedAttestation base) {
        return new VerifiedAttestation(base.documentHash(), null, base.nonce().orElse(null),
                base.userData().orElse(null), Map.of(), base.platform(), base.isInsecure(), base.claims());
    }

    /** A development configuration with the given provider and the mock verifier. */
    public static SessionConfig developmentWith(AttestationProvider provider) {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(provider)
                .attestationVerifier(new dev.securechannel.attestation.InsecureMockAttestationVerifier())
                .build();
    }

    /** A development configuration with the mock provider and the given verifier and expectations. */
    public static SessionConfig developmentWith(AttestationVerifier verifier, ExpectedMeasurements expected) {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new dev.securechannel.attestation.InsecureMockAttestationProvider())
                .attestationVerifier(verifier)
                .expectedMeasurements(expected)
                .build();
    }
}
