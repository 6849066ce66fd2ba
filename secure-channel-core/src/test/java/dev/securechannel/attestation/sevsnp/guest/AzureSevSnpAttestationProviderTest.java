package dev.securechannel.attestation.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.AzureSevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.collateral.ImdsThimClient;
import dev.securechannel.attestation.sevsnp.collateral.LoopbackImds;
import dev.securechannel.attestation.sevsnp.collateral.MutableClock;
import dev.securechannel.attestation.sevsnp.collateral.SnpFixtureFiles;
import dev.securechannel.internal.sevsnp.AzureSnpDocument;
import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.guest.SimulatedTpm;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Azure provider over a simulated vTPM holding a real Azure HCL report and a loopback IMDS
 * serving that report's real VCEK. When the public key and nonce equal the user data the real
 * report carries, the simulated paravisor republishes the genuine report unchanged, so the
 * document verifies end to end with the project's Azure verifier.
 */
class AzureSevSnpAttestationProviderTest {

    private static final MutableClock JANUARY_2026 = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static final Duration FAST_REFRESH = Duration.ofMillis(20);

    private final byte[] fixtureHcl = SnpFixtureFiles.bytes(SnpFixtureFiles.AZURE_USERDATA_HCL);
    private final byte[] fixtureUserData = HclReport.parse(fixtureHcl).userData().orElseThrow();
    private final X509Certificate vcek = SnpFixtureFiles.certificate(SnpFixtureFiles.AZURE_USERDATA_VCEK);
    private final String vcekPem = SnpFixtureFiles.pem(vcek);
    private final String chainPem = new String(SnpFixtureFiles.bytes("amd-kds/Milan/cert_chain.pem"), StandardCharsets.US_ASCII);
    private final SimulatedTpm tpm = new SimulatedTpm(fixtureHcl);
    private final LoopbackImds imds = LoopbackImds.start();

    @AfterEach
    void stopServer() {
        imds.close();
    }

    @Test
    void identifiesItself() {
        AzureSevSnpAttestationProvider provider = provider();

        assertThat(provider.type()).isEqualTo("sev-snp-azure");
        assertThat(provider.platform()).isEqualTo("SEV-SNP (Azure)");
    }

    @Test
    void theGenuineReportVerifiesEndToEnd() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(vcekPem, chainPem, "DB18000000000004"));
        byte[] publicKey = Arrays.copyOfRange(fixtureUserData, 0, 32);
        byte[] nonce = Arrays.copyOfRange(fixtureUserData, 32, 64);

        AttestationDocument document = provider().attest(null, nonce, publicKey);

        assertThat(tpm.userDataIndex()).isEqualTo(fixtureUserData);
        AzureSnpDocument decoded = AzureSnpDocument.decode(document.bytes());
        assertThat(decoded.hclReport()).isEqualTo(fixtureHcl);
        assertThat(decoded.pemChain()).isEqualTo(vcekPem + "\n" + chainPem);
        VerifiedAttestation verified = verifier().verify(document);
        assertThat(verified.publicKey()).hasValueSatisfying(key -> assertThat(key).isEqualTo(publicKey));
        assertThat(verified.nonce()).hasValueSatisfying(value -> assertThat(value).isEqualTo(nonce));
        assertThat(tpm.violations()).isEmpty();
    }

    @Test
    void theUserDataIsThePublicKeyThenTheNonce() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(vcekPem, chainPem, "DB18000000000004"));
        byte[] publicKey = filled(0x42);
        byte[] nonce = filled(0x24);

        AttestationDocument document = provider().attest(null, nonce, publicKey);

        byte[] expected = concat(publicKey, nonce);
        assertThat(tpm.userDataIndex()).isEqualTo(expected);
        AzureSnpDocument decoded = AzureSnpDocument.decode(document.bytes());
        assertThat(HclReport.parse(decoded.hclReport()).userData()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(expected));
        assertThat(decoded.certificates()).hasSize(3).first().isEqualTo(vcek);
        // The simulated paravisor cannot re-sign: its claims no longer match REPORT_DATA, and the verifier notices.
        assertThatThrownBy(() -> verifier().verify(document)).isInstanceOf(SnpVerificationException.class);
    }

    @Test
    void missingArgumentsLeaveZeros() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(vcekPem, chainPem, "DB18000000000004"));

        provider().attest(null, filled(0x05), null);

        assertThat(tpm.userDataIndex()).isEqualTo(concat(new byte[32], filled(0x05)));
    }

    @Test
    void theImdsAnswerIsReusedWhileItsTcbMatchesTheReport() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(vcekPem, chainPem, "DB18000000000004"));
        AzureSevSnpAttestationProvider provider = provider();

        provider.attest(null, filled(1), filled(2));
        provider.attest(null, filled(3), filled(4));

        assertThat(imds.requests()).isEqualTo(1);
    }

    @Test
    void anImdsAnswerForAnotherTcbIsNotReused() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(vcekPem, chainPem, "DB19000000000004"));
        AzureSevSnpAttestationProvider provider = provider();

        provider.attest(null, filled(1), filled(2));
        provider.attest(null, filled(3), filled(4));

        assertThat(imds.requests()).isEqualTo(2);
    }

    @Test
    void anUnreachableImdsIsAClearError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AzureSevSnpAttestationProvider provider = new AzureSevSnpAttestationProvider(tpm, FAST_REFRESH, 3,
                new ImdsThimClient(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(1)));

        assertThatThrownBy(() -> provider.attest(null, filled(1), filled(2)))
                .isInstanceOfSatisfying(SnpEvidenceException.class,
                        e -> assertThat(e.failure()).isEqualTo(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE))
                .hasMessageContaining("IMDS");
    }

    @Test
    void wrongLengthsAreRejectedBeforeTheTpm() {
        AzureSevSnpAttestationProvider provider = provider();

        assertThatThrownBy(() -> provider.attest(null, filled(1), new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThat(tpm.commands()).isEmpty();
    }

    @Test
    void concurrentAttestationsEachGetTheirOwnUserData() throws Exception {
        imds.respond(200, LoopbackImds.thimJson(vcekPem, chainPem, "DB18000000000004"));
        AzureSevSnpAttestationProvider provider = provider();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<AttestationDocument>> documents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] publicKey = filled(0x60 + i);
                documents.add(callers.submit(() -> provider.attest(null, filled(0x70), publicKey)));
            }
            for (int i = 0; i < 4; i++) {
                byte[] hcl = AzureSnpDocument.decode(documents.get(i).get().bytes()).hclReport();
                byte[] expected = concat(filled(0x60 + i), filled(0x70));
                assertThat(HclReport.parse(hcl).userData()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(expected));
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(tpm.violations()).isEmpty();
    }

    private AzureSevSnpAttestationProvider provider() {
        return new AzureSevSnpAttestationProvider(tpm, FAST_REFRESH, 3,
                new ImdsThimClient(imds.baseUri(), Duration.ofSeconds(2)));
    }

    private static AzureSevSnpAttestationVerifier verifier() {
        return new AzureSevSnpAttestationVerifier(SnpPolicy.production(),
                CrlSource.of(Map.of(SnpProduct.MILAN, SnpFixtureFiles.bytes("amd-kds/Milan/crl.der"))), JANUARY_2026);
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
