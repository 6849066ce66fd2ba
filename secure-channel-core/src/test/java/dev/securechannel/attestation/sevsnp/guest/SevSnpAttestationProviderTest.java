package dev.securechannel.attestation.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.collateral.AmdKdsClient;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.collateral.LoopbackKds;
import dev.securechannel.attestation.sevsnp.collateral.MutableClock;
import dev.securechannel.attestation.sevsnp.collateral.OfflineCollateral;
import dev.securechannel.attestation.sevsnp.collateral.SnpFixtureFiles;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import dev.securechannel.internal.sevsnp.SnpReport;
import dev.securechannel.internal.sevsnp.guest.CertificateTableBuilder;
import dev.securechannel.internal.sevsnp.guest.ConfigfsTsmReportDevice;
import dev.securechannel.internal.sevsnp.guest.SimulatedTsmConfigfs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct SEV-SNP provider over the simulated configfs-tsm kernel, with real Milan reports
 * (virtee's v2 report, whose REPORT_DATA is 64 non-zero bytes, and project-oak's v3 report, whose
 * CPUID names the product) and the real AMD certificates; KDS is a loopback server. Where the
 * public key and nonce equal the fixture's REPORT_DATA the simulated firmware returns the genuine
 * signed report, so the document verifies end to end with the project's verifier.
 */
class SevSnpAttestationProviderTest {

    /** Every fixture CRL is current and every VCEK valid at this time. */
    private static final MutableClock JANUARY_2026 = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** Version 2: no CPUID, so the product must be configured for collateral look-ups. */
    private final byte[] fixtureReport = HexFormat.of().parseHex(
            new String(SnpFixtureFiles.bytes("virtee-sev/tests/certs_data/report_milan.hex"), StandardCharsets.US_ASCII).trim());
    private final byte[] fixturePublicKey = Arrays.copyOfRange(fixtureReport, 0x50, 0x70);
    private final byte[] fixtureNonce = Arrays.copyOfRange(fixtureReport, 0x70, 0x90);
    private final X509Certificate ark = SnpFixtureFiles.certificate("amd-kds/Milan/ark.pem");
    private final X509Certificate ask = SnpFixtureFiles.certificate("amd-kds/Milan/ask.pem");
    private final X509Certificate vcek = SnpFixtureFiles.certificate("virtee-sev/tests/certs_data/vcek_milan.der");

    @TempDir
    Path root;

    @Test
    void identifiesItself() {
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(SnpReportDevice.configfsTsm(), null);

        assertThat(provider.type()).isEqualTo("sev-snp");
        assertThat(provider.platform()).isEqualTo("SEV-SNP");
        assertThat(provider.isInsecure()).isFalse();
    }

    @Test
    void documentCarriesTheDevicesReportAndTheHostsCertificatesAndVerifiesEndToEnd() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(hostTable());
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), null);

        AttestationDocument document = provider.attest(null, fixtureNonce, fixturePublicKey);

        assertThat(configfs.inblobs()).singleElement().isEqualTo(concat(fixturePublicKey, fixtureNonce));
        SevSnpDocument decoded = SevSnpDocument.decode(document.bytes());
        assertThat(decoded.report()).isEqualTo(fixtureReport);
        assertThat(decoded.certificates()).containsExactly(ark, ask, vcek);
        VerifiedAttestation verified = verifier(milanCrl()).verify(document);
        assertThat(verified.publicKey()).hasValueSatisfying(key -> assertThat(key).isEqualTo(fixturePublicKey));
        assertThat(verified.nonce()).hasValueSatisfying(nonce -> assertThat(nonce).isEqualTo(fixtureNonce));
        assertThat(verified.measurement(0)).hasValueSatisfying(
                measurement -> assertThat(measurement).isEqualTo(SnpReport.parse(fixtureReport).measurement()));
    }

    @Test
    void reportDataIsThePublicKeyThenTheNonceRaw() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(hostTable());
        byte[] publicKey = filled(32, 0x11);
        byte[] nonce = filled(32, 0x22);

        AttestationDocument document = new SevSnpAttestationProvider(device(configfs), null).attest(null, nonce, publicKey);

        assertThat(configfs.inblobs()).singleElement().isEqualTo(concat(publicKey, nonce));
        byte[] report = SevSnpDocument.decode(document.bytes()).report();
        assertThat(SnpReport.parse(report).reportData()).isEqualTo(concat(publicKey, nonce));
        // The simulated firmware cannot sign, so the patched report's signature must fail: the
        // verifier really checks what the provider produced.
        assertThatThrownBy(() -> verifier(milanCrl()).verify(document)).isInstanceOf(SnpVerificationException.class);
    }

    @Test
    void missingArgumentsLeaveZeros() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(hostTable());

        new SevSnpAttestationProvider(device(configfs), null).attest(null, null, filled(32, 0x33));

        assertThat(configfs.inblobs()).singleElement().isEqualTo(concat(filled(32, 0x33), new byte[32]));
    }

    @Test
    void wrongLengthsAndUserDataAreRejectedBeforeTheDevice() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(hostTable());
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), null);

        assertThatThrownBy(() -> provider.attest(null, new byte[32], new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public key must be 32 bytes");
        assertThatThrownBy(() -> provider.attest(null, new byte[33], new byte[32])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nonce must be 32 bytes");
        assertThatThrownBy(() -> provider.attest(new byte[] {1}, new byte[32], new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThat(configfs.createdEntries()).isEmpty();
    }

    @Test
    void withoutHostCertificatesTheChainComesFromKdsThroughTheCache() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport); // empty auxblob
        try (LoopbackKds kds = LoopbackKds.start()) {
            AmdKdsClient client = new AmdKdsClient(kds.baseUri(), Duration.ZERO, Duration.ofSeconds(5));
            SnpReport report = SnpReport.parse(fixtureReport);
            URI vcekUri = client.vcekUri(SnpProduct.MILAN, report.chipId(), report.reportedTcb());
            kds.serveVcek(vcekUri.getRawPath() + "?" + vcekUri.getRawQuery(), vcek.getEncoded());
            CollateralCache cache = CollateralCache.of(client, JANUARY_2026);
            SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), cache, SnpProduct.MILAN);

            AttestationDocument first = provider.attest(null, fixtureNonce, fixturePublicKey);
            AttestationDocument second = provider.attest(null, fixtureNonce, fixturePublicKey);

            assertThat(SevSnpDocument.decode(first.bytes()).certificates()).containsExactly(vcek, ask, ark);
            assertThat(SevSnpDocument.decode(second.bytes()).certificates()).containsExactly(vcek, ask, ark);
            assertThat(kds.paths()).hasSize(2); // one VCEK and one cert_chain request for both handshakes
            assertThat(cache.snapshot().chainHits()).isEqualTo(1);
            // The CRL comes from the same cache, so a verifier can use it as its CrlSource.
            assertThat(verifier(cache).verify(first).publicKey()).isPresent();
        }
    }

    @Test
    void withoutHostCertificatesOfflineCollateralServesTheChain() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).withoutAuxblob();
        OfflineCollateral offline = OfflineCollateral.load(
                List.of(SnpFixtureFiles.path("amd-kds/Milan/cert_chain.pem"), SnpFixtureFiles.path("virtee-sev/tests/certs_data/vcek_milan.der")),
                Map.of(SnpProduct.MILAN, SnpFixtureFiles.path("amd-kds/Milan/crl.der")));

        AttestationDocument document = new SevSnpAttestationProvider(device(configfs), offline, SnpProduct.MILAN)
                .attest(null, fixtureNonce, fixturePublicKey);

        assertThat(SevSnpDocument.decode(document.bytes()).certificates()).containsExactly(vcek, ask, ark);
        assertThat(verifier(offline).verify(document).nonce()).isPresent();
    }

    @Test
    void aPartialHostTableIsCompletedFromTheCollateralSourceForTheProductTheReportNames() throws Exception {
        byte[] versionThreeReport = SnpFixtureFiles.bytes(SnpFixtureFiles.MILAN_V3_REPORT);
        X509Certificate versionThreeVcek = SnpFixtureFiles.certificate(SnpFixtureFiles.MILAN_V3_VCEK);
        byte[] vcekOnly = new CertificateTableBuilder().add(CertificateTableBuilder.VCEK, versionThreeVcek).build();
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(versionThreeReport).certificateTable(vcekOnly);
        List<Object> asked = new ArrayList<>();

        AttestationDocument document = new SevSnpAttestationProvider(device(configfs), (product, chipId, tcb) -> {
            asked.add(product);
            asked.add(tcb.hex());
            return List.of(versionThreeVcek, ask, ark);
        }).attest(null, null, Arrays.copyOfRange(versionThreeReport, 0x50, 0x70));

        assertThat(asked).containsExactly(SnpProduct.MILAN, "04000000000018db"); // CPUID and REPORTED_TCB of the v3 report
        assertThat(SevSnpDocument.decode(document.bytes()).certificates()).containsExactly(versionThreeVcek, ask, ark);
        assertThat(verifier(milanCrl()).verify(document).publicKey()).isPresent();
    }

    @Test
    void aVersionTwoReportWithoutConfiguredProductCannotLookUpItsVcek() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport);
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), (product, chipId, tcb) -> List.of(vcek, ask, ark));

        assertThatThrownBy(() -> provider.attest(null, fixtureNonce, fixturePublicKey))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE))
                .hasMessageContaining("no CPUID");
    }

    @Test
    void aMalformedHostTableFailsWithoutCollateralAndIsBypassedWithIt() throws Exception {
        byte[] noTerminator = Arrays.copyOf(hostTable(), 30);
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(noTerminator);

        assertThatThrownBy(() -> new SevSnpAttestationProvider(device(configfs), null).attest(null, fixtureNonce, fixturePublicKey))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.MALFORMED_CERTIFICATE_TABLE));

        AttestationDocument document = new SevSnpAttestationProvider(device(configfs), (product, chipId, tcb) -> List.of(vcek, ask, ark),
                SnpProduct.MILAN).attest(null, fixtureNonce, fixturePublicKey);
        assertThat(verifier(milanCrl()).verify(document).publicKey()).isPresent();
    }

    @Test
    void withoutHostCertificatesOrCollateralSourceItFailsClearly() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport);
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), null);

        assertThatThrownBy(() -> provider.attest(null, fixtureNonce, fixturePublicKey))
                .isInstanceOfSatisfying(SnpEvidenceException.class, e -> {
                    assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE);
                    assertThat(e.reason()).isEqualTo(FailureReason.ATTESTATION_GENERATION_FAILED);
                })
                .hasMessageContaining("no collateral source");
    }

    @Test
    void aFailingCollateralSourceIsReportedWithItsCause() {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport);
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), (product, chipId, tcb) -> {
            throw new java.io.IOException("AMD KDS answered HTTP 503");
        }, SnpProduct.MILAN);

        assertThatThrownBy(() -> provider.attest(null, fixtureNonce, fixturePublicKey))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE))
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void nonCertificateTableEntriesStayOutOfTheDocument() throws Exception {
        byte[] table = new CertificateTableBuilder()
                .add(CertificateTableBuilder.VCEK, vcek)
                .add(CertificateTableBuilder.EXTRA_PLATFORM_INFO, new byte[] {9, 9, 9})
                .add(CertificateTableBuilder.ASK, ask)
                .add(CertificateTableBuilder.ARK, ark)
                .build();
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(table);

        AttestationDocument document = new SevSnpAttestationProvider(device(configfs), null).attest(null, fixtureNonce, fixturePublicKey);

        SevSnpDocument decoded = SevSnpDocument.decode(document.bytes());
        assertThat(decoded.certificates()).containsExactly(vcek, ask, ark);
        assertThat(decoded.certChainDer()).hasSize(vcek.getEncoded().length + ask.getEncoded().length + ark.getEncoded().length);
    }

    @Test
    void concurrentAttestationsUseSeparateEntriesAndGetTheirOwnReports() throws Exception {
        SimulatedTsmConfigfs configfs = new SimulatedTsmConfigfs(fixtureReport).certificateTable(hostTable());
        SevSnpAttestationProvider provider = new SevSnpAttestationProvider(device(configfs), null);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<AttestationDocument>> documents = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] publicKey = filled(32, i + 1);
                documents.add(callers.submit(() -> provider.attest(null, filled(32, 0x7F), publicKey)));
            }
            for (int i = 0; i < 16; i++) {
                byte[] report = SevSnpDocument.decode(documents.get(i).get().bytes()).report();
                assertThat(SnpReport.parse(report).reportData()).isEqualTo(concat(filled(32, i + 1), filled(32, 0x7F)));
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(configfs.createdEntries()).hasSize(16).doesNotHaveDuplicates();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    private ConfigfsTsmReportDevice device(SimulatedTsmConfigfs configfs) {
        return new ConfigfsTsmReportDevice(root, null, ConfigfsTsmReportDevice.DEFAULT_MAX_ATTEMPTS, configfs);
    }

    private byte[] hostTable() {
        return new CertificateTableBuilder()
                .add(CertificateTableBuilder.ARK, ark)
                .add(CertificateTableBuilder.ASK, ask)
                .add(CertificateTableBuilder.VCEK, vcek)
                .build();
    }

    private static SevSnpAttestationVerifier verifier(CrlSource crls) {
        return new SevSnpAttestationVerifier(SnpPolicy.production(), crls, JANUARY_2026);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** The Milan CRL from the fixtures, as a verifier in production would get it from KDS. */
    private static CrlSource milanCrl() {
        return CrlSource.of(Map.of(SnpProduct.MILAN, SnpFixtureFiles.bytes("amd-kds/Milan/crl.der")));
    }
}
