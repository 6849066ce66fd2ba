package dev.securechannel.bench;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.collateral.OfflineCollateral;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What SEV-SNP verification adds to a handshake: the real verifier on a real AMD Genoa report
 * (project-oak fixture: ECDSA P-384 report signature, RSA-PSS chain to the pinned ARK, the
 * AMD CRL from a cached collateral source, TCB and chip binding, production policy) at the
 * fixtures' clock.
 *
 * <ul>
 *   <li>{@link #verifyGenoaReport}: one verification of the wire document alone.</li>
 *   <li>{@link #handshakeVerifyingGenoaReport}: the sans-IO mock handshake of
 *       {@link HandshakeBenchmark#sansIo} in which each side also verifies the Genoa document,
 *       as a peer on SEV-SNP hardware would be verified. A recorded report cannot bind this
 *       handshake's fresh key, so the key binding comes from the mock document; the
 *       cryptographic and policy work per handshake is that of a real SEV-SNP peer.</li>
 * </ul>
 * Producing evidence on hardware (configfs-tsm, the Azure vTPM) is not measured here: it needs
 * the hardware, and on Azure the paravisor refreshes a report at most every two seconds.
 *
 * <p>The Genoa report, its VCEK, AMD's Genoa chain and CRL come from the repository's
 * {@code testdata/fixtures/sev-snp} and travel in the benchmark jar as {@code /sev-snp/...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SevSnpHandshakeBenchmark {

    /** The fixtures' clock: every fixture CRL is fresh and every VCEK valid then. */
    private static final Clock FIXTURE_CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private AttestationDocument genoa;
    private SevSnpAttestationVerifier verifier;
    private SessionConfig config;
    private EphemeralKeyPool pool;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (String file : List.of("project-oak/_derived/genoa-vcek.der", "amd-kds/Genoa/ask.pem", "amd-kds/Genoa/ark.pem")) {
            chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(fixture(file))));
        }
        byte[] report = fixture("project-oak/_derived/genoa-report.bin");
        genoa = new AttestationDocument(SevSnpDocument.of(report, chain).encode());
        OfflineCollateral offline = OfflineCollateral.of(List.of(), Map.of(SnpProduct.GENOA, fixture("amd-kds/Genoa/crl.der")));
        CollateralCache collateral = new CollateralCache(offline, offline, FIXTURE_CLOCK, 16, Duration.ofDays(365));
        verifier = new SevSnpAttestationVerifier(SnpPolicy.production().toBuilder().requireCrl(true).build(), collateral, FIXTURE_CLOCK);
        // Fail fast on a wiring error rather than timing a rejection.
        RecordBenchmark.require(verifier.verify(genoa).claims().containsKey("sev-snp.product"), "the Genoa fixture verifies");

        SecureRandom random = new SecureRandom();
        pool = EphemeralKeyPool.start(64, random);
        config = SessionConfigInternals.ephemeralKeys(SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new VerifyingRealReport(verifier, genoa))
                .secureRandom(random), pool)
                .build();
        HandshakeBenchmark.handshake(config);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** A file of {@code testdata/fixtures/sev-snp}, from the copy the build puts in the jar. */
    private static byte[] fixture(String relative) throws IOException {
        try (InputStream in = SevSnpHandshakeBenchmark.class.getResourceAsStream("/sev-snp/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("fixture /sev-snp/" + relative + " missing from the benchmark jar");
            }
            return in.readAllBytes();
        }
    }

    /** One SEV-SNP verification of the Genoa wire document. */
    @Benchmark
    public VerifiedAttestation verifyGenoaReport() {
        return verifier.verify(genoa);
    }

    /** A whole handshake in which both sides verify the Genoa document (pooled ephemeral keys). */
    @Benchmark
    public HandshakeResult[] handshakeVerifyingGenoaReport() {
        return HandshakeBenchmark.handshake(config);
    }

    /** Verifies the real report with the real SEV-SNP verifier, then binds the peer's key from its mock document. */
    private static final class VerifyingRealReport implements AttestationVerifier {

        private final SevSnpAttestationVerifier snp;
        private final AttestationDocument report;
        private final InsecureMockAttestationVerifier binding = new InsecureMockAttestationVerifier();

        VerifyingRealReport(SevSnpAttestationVerifier snp, AttestationDocument report) {
            this.snp = snp;
            this.report = report;
        }

        @Override
        public String type() {
            return "sev-snp-fixture";
        }

        @Override
        public boolean isInsecure() {
            return true;
        }

        @Override
        public VerifiedAttestation verify(AttestationDocument document) {
            snp.verify(report);
            return binding.verify(document);
        }
    }
}
