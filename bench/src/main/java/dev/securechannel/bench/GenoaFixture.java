package dev.securechannel.bench;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.collateral.OfflineCollateral;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real AMD Genoa SEV-SNP report (project-oak fixture) with its VCEK, AMD's Genoa chain and
 * CRL, and the real verifier over a cached collateral source at the fixtures' clock: what a
 * server verifying SEV-SNP peers spends per handshake, without the hardware. The files come
 * from the repository's {@code testdata/fixtures/sev-snp} and travel in the benchmark jar as
 * {@code /sev-snp/...}.
 */
public final class GenoaFixture {

    /** The fixtures' clock: every fixture CRL is fresh and every VCEK valid then. */
    private static final Clock FIXTURE_CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final AttestationDocument document;
    private final SevSnpAttestationVerifier verifier;

    private GenoaFixture(AttestationDocument document, SevSnpAttestationVerifier verifier) {
        this.document = document;
        this.verifier = verifier;
    }

    /** Loads the fixture and checks that it verifies, so that a wiring error fails fast instead of timing a rejection. */
    public static GenoaFixture load() {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (String file : List.of("project-oak/_derived/genoa-vcek.der", "amd-kds/Genoa/ask.pem", "amd-kds/Genoa/ark.pem")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(fixture(file))));
            }
            byte[] report = fixture("project-oak/_derived/genoa-report.bin");
            AttestationDocument document = new AttestationDocument(SevSnpDocument.of(report, chain).encode());
            OfflineCollateral offline = OfflineCollateral.of(List.of(), Map.of(SnpProduct.GENOA, fixture("amd-kds/Genoa/crl.der")));
            CollateralCache collateral = new CollateralCache(offline, offline, FIXTURE_CLOCK, 16, Duration.ofDays(365));
            SevSnpAttestationVerifier verifier = new SevSnpAttestationVerifier(
                    SnpPolicy.production().toBuilder().requireCrl(true).build(), collateral, FIXTURE_CLOCK);
            if (!verifier.verify(document).claims().containsKey("sev-snp.product")) {
                throw new IllegalStateException("the Genoa fixture does not verify");
            }
            return new GenoaFixture(document, verifier);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the Genoa fixture", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Genoa report as a wire document. */
    public AttestationDocument document() {
        return document;
    }

    /** The real SEV-SNP verifier with cached collateral, at the fixtures' clock. */
    public SevSnpAttestationVerifier verifier() {
        return verifier;
    }

    /**
     * A verifier that verifies the Genoa report in full for every peer, then binds the peer's
     * key from its mock document: a recorded report cannot bind a handshake's fresh key, so the
     * binding is the mock's, while the cryptographic and policy work is a real SEV-SNP peer's.
     */
    public AttestationVerifier verifyingForEveryPeer() {
        InsecureMockAttestationVerifier binding = new InsecureMockAttestationVerifier();
        return new AttestationVerifier() {
            @Override
            public String type() {
                return "sev-snp-fixture";
            }

            @Override
            public boolean isInsecure() {
                return true;
            }

            @Override
            public VerifiedAttestation verify(AttestationDocument peer) {
                verifier.verify(document);
                return binding.verify(peer);
            }
        };
    }

    private static byte[] fixture(String relative) throws IOException {
        try (InputStream in = GenoaFixture.class.getResourceAsStream("/sev-snp/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("fixture /sev-snp/" + relative + " missing from the benchmark classpath");
            }
            return in.readAllBytes();
        }
    }
}
