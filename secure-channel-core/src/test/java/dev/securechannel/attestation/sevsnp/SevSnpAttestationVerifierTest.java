package dev.securechannel.attestation.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.internal.sevsnp.AzureSnpDocument;
import dev.securechannel.internal.sevsnp.AzureSnpVerificationResult;
import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import dev.securechannel.internal.sevsnp.SevSnpVerifier;
import dev.securechannel.internal.sevsnp.SnpFixtures;
import dev.securechannel.internal.sevsnp.SyntheticAmdPki;
import dev.securechannel.internal.sevsnp.SyntheticReport;
import dev.securechannel.testing.SharedFiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The two SPI adapters on real evidence: what a handshake gets (public key, nonce, measurement
 * index 0, platform, claims) and how rejections surface.
 */
class SevSnpAttestationVerifierTest {

    private static final HexFormat HEX = HexFormat.of();

    private static SevSnpAttestationVerifier direct() {
        return new SevSnpAttestationVerifier(SnpPolicy.production(), SnpFixtures.realCrls(), SnpFixtures.fixtureClock());
    }

    private static AzureSevSnpAttestationVerifier azure() {
        return new AzureSevSnpAttestationVerifier(SnpPolicy.production(), SnpFixtures.realCrls(), SnpFixtures.fixtureClock());
    }

    private static AttestationDocument directDocument(JsonNode fixtureCase) {
        return new AttestationDocument(SevSnpDocument.of(SnpFixtures.report(fixtureCase), SnpFixtures.chain(fixtureCase)).encode());
    }

    private static AttestationDocument azureDocument(JsonNode fixtureCase, String pem) {
        return new AttestationDocument(new AzureSnpDocument(SnpFixtures.hclReport(fixtureCase), pem).encode());
    }

    private static String pem(String relative) {
        return new String(SnpFixtures.bytes(relative), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("the adapters name themselves sev-snp and sev-snp-azure and are not insecure")
    void types() {
        AttestationVerifier direct = direct();
        AttestationVerifier azure = azure();
        assertThat(direct.type()).isEqualTo("sev-snp");
        assertThat(azure.type()).isEqualTo("sev-snp-azure");
        assertThat(direct.isInsecure()).isFalse();
        assertThat(azure.isInsecure()).isFalse();
    }

    @Test
    @DisplayName("direct: public key = REPORT_DATA[0..32), nonce = [32..64), measurement 0 = MEASUREMENT, document hash, claims")
    void directBinding() {
        JsonNode virtee = SnpFixtures.caseById("virtee-milan-v2");
        AttestationDocument document = directDocument(virtee);
        VerifiedAttestation verified = direct().verify(document);
        byte[] reportData = SharedFiles.hex(virtee.get("report").get("report_data").asString());

        assertThat(verified.publicKey()).hasValueSatisfying(pk -> assertThat(pk).isEqualTo(Arrays.copyOfRange(reportData, 0, 32)));
        assertThat(verified.nonce()).hasValueSatisfying(nonce -> assertThat(nonce).isEqualTo(Arrays.copyOfRange(reportData, 32, 64)));
        assertThat(verified.userData()).isEmpty();
        assertThat(verified.measurementIndices()).containsExactly(0);
        assertThat(verified.measurement(0)).hasValueSatisfying(m -> assertThat(HEX.formatHex(m))
                .isEqualTo(virtee.get("report").get("measurement").asString()));
        assertThat(verified.documentHash()).isEqualTo(document.sha256());
        assertThat(verified.platform()).isEqualTo("SEV-SNP");
        assertThat(verified.isInsecure()).isFalse();
        assertThat(verified.claims())
                .containsEntry("sev-snp.product", "Milan")
                .containsEntry("sev-snp.report-version", "2")
                .containsEntry("sev-snp.vek", "VCEK")
                .containsEntry("sev-snp.reported-tcb", "0300000000000873")
                .containsEntry("sev-snp.reported-tcb.bootloader", "3")
                .containsEntry("sev-snp.reported-tcb.tee", "0")
                .containsEntry("sev-snp.reported-tcb.snp", "8")
                .containsEntry("sev-snp.reported-tcb.microcode", "115")
                .containsEntry("sev-snp.chip-id", virtee.get("report").get("chip_id").asString())
                .containsEntry("sev-snp.policy", "0x30000")
                .containsEntry("sev-snp.policy.debug", "false")
                .containsEntry("sev-snp.policy.smt", "true")
                .containsEntry("sev-snp.vmpl", "0")
                .containsEntry("sev-snp.firmware", "1.52.4")
                .doesNotContainKey("sev-snp.reported-tcb.fmc");
    }

    @Test
    @DisplayName("direct: an all-zero half of REPORT_DATA is reported absent, so the handshake refuses it")
    void zeroHalvesAreAbsent() {
        VerifiedAttestation genoa = direct().verify(directDocument(SnpFixtures.caseById("oak-genoa-v5")));
        assertThat(genoa.publicKey()).isPresent();
        assertThat(genoa.nonce()).isEmpty();
        assertThat(genoa.claims()).containsEntry("sev-snp.product", "Genoa").containsEntry("sev-snp.report-version", "5");
    }

    @Test
    @DisplayName("direct: a VLEK document passes with a VMPL 1 policy at 2025-06-01 and says so in its claims")
    void directVlek() {
        JsonNode vlek = SnpFixtures.caseById("trustee-vlek-milan-v3");
        VerifiedAttestation verified = new SevSnpAttestationVerifier(SnpPolicy.builder().requiredVmpl(1).build(), CrlSource.none(),
                SnpFixtures.clockAt(SnpFixtures.VLEK_TIME)).verify(directDocument(vlek));
        assertThat(verified.claims()).containsEntry("sev-snp.vek", "VLEK").containsEntry("sev-snp.vmpl", "1");
    }

    @Test
    @DisplayName("direct: rejections are SecureChannelException ATTESTATION_VERIFICATION_FAILED with the SNP failure named")
    void directRejection() {
        SecureChannelException debug = org.assertj.core.api.Assertions.catchThrowableOfType(SecureChannelException.class,
                () -> direct().verify(directDocument(SnpFixtures.caseById("gsg-milan-v2"))));
        assertThat(debug.reason()).isEqualTo(FailureReason.ATTESTATION_VERIFICATION_FAILED);
        assertThat(debug).isInstanceOf(SnpVerificationException.class);
        assertThat(debug.getMessage()).startsWith("attestation verification failed: DEBUG_GUEST_REJECTED: ");
        assertThat(failureOf(() -> direct().verify(new AttestationDocument("INVALID".getBytes(StandardCharsets.US_ASCII)))))
                .isEqualTo(SnpFailure.WIRE_MARKER_MISMATCH);
        AttestationDocument noCertificates = new AttestationDocument(
                new SevSnpDocument(SnpFixtures.report(SnpFixtures.caseById("oak-milan-v3")), new byte[0]).encode());
        assertThat(failureOf(() -> direct().verify(noCertificates))).isEqualTo(SnpFailure.CERT_CHAIN_MISSING);
    }

    @Test
    @DisplayName("direct: the measurement pin in the policy rejects another launch digest")
    void measurementPin() {
        byte[] other = new byte[48];
        SevSnpAttestationVerifier pinned = new SevSnpAttestationVerifier(SnpPolicy.builder().expectedMeasurement(other).build(),
                CrlSource.none(), SnpFixtures.fixtureClock());
        assertThat(failureOf(() -> pinned.verify(directDocument(SnpFixtures.caseById("oak-milan-v3"))))).isEqualTo(SnpFailure.MEASUREMENT_MISMATCH);
    }

    @Test
    @DisplayName("Azure: public key and nonce come from the UPPER-case user-data; REPORT_DATA binds the claims; Azure claims are exposed")
    void azureUserDataBinding() {
        JsonNode userDataCase = SnpFixtures.caseById("trustee-azure-milan-v3-userdata-hcl");
        // This case's VCEK is its own DER file: build the THIM-style bundle VCEK + "\n" + ASK and ARK.
        String bundle = toPem(SnpFixtures.vek(userDataCase)) + "\n" + pem("amd-kds/Milan/cert_chain.pem");
        VerifiedAttestation verified = azure().verify(azureDocument(userDataCase, bundle));
        byte[] userData = SharedFiles.hex(userDataCase.get("hcl").get("userData").asString());

        assertThat(verified.publicKey()).hasValueSatisfying(pk -> assertThat(pk).isEqualTo(Arrays.copyOfRange(userData, 0, 32)));
        assertThat(verified.nonce()).hasValueSatisfying(nonce -> assertThat(nonce).isEqualTo(Arrays.copyOfRange(userData, 32, 64)));
        assertThat(verified.platform()).isEqualTo("SEV-SNP (Azure)");
        assertThat(verified.measurement(0)).isPresent();
        assertThat(verified.claims())
                .containsEntry("azure.vm-id", "7DF7B373-B947-4AAA-96E5-C358F2A03D20")
                .containsEntry("azure.secure-boot", "true")
                .containsEntry("azure.tpm-enabled", "true")
                .containsEntry("azure.console-enabled", "true")
                .containsEntry("azure.key-ids", "HCLAkPub,HCLEkPub")
                .containsEntry("azure.hcl-version", "1")
                .containsEntry("azure.runtime-claims-hash", userDataCase.get("hcl").get("claimsSha256").asString())
                .containsEntry("sev-snp.product", "Milan")
                .containsEntry("sev-snp.policy.abi", "0.31");
    }

    @Test
    @DisplayName("Azure: the THIM-shaped PEM bundle of the v2 case verifies; its all-zero user-data leaves key and nonce absent")
    void azureZeroUserData() {
        JsonNode hcl = SnpFixtures.caseById("trustee-azure-milan-v2-hcl");
        VerifiedAttestation verified = azure().verify(azureDocument(hcl, pem("trustee/deps/verifier/test_data/az-snp-vtpm/vcek.pem")));
        assertThat(verified.publicKey()).isEmpty();
        assertThat(verified.nonce()).isEmpty();
        assertThat(verified.claims()).containsEntry("azure.vm-id", "911B0EF8-9DBA-48B0-B275-4E4DF2D39252");
    }

    @Test
    @DisplayName("Azure: the 2023 report with another chip's VCEK is REPORT_SIG_INVALID; an HCL report without user-data is USER_DATA_MISSING")
    void azureRejections() {
        JsonNode kinvolk = SnpFixtures.caseById("kinvolk-azure-milan-v2-hcl-2048");
        assertThat(failureOf(() -> azure().verify(azureDocument(kinvolk, pem("kinvolk-azure-cvm-tooling/az-cvm-vtpm/test/certs.pem")))))
                .isEqualTo(SnpFailure.REPORT_SIG_INVALID);

        // A genuine, correctly bound Azure-shaped report whose claims lack user-data (synthetic PKI).
        SyntheticAmdPki pki = SyntheticAmdPki.of(SnpProduct.MILAN);
        byte[] claims = "{\"keys\":[],\"vm-configuration\":{\"vmUniqueId\":\"X\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] reportData = java.util.Arrays.copyOf(HclReport.HashType.SHA_256.digest(claims), 64);
        byte[] report = new SyntheticReport().reportData(reportData).signedWith(pki.vekKeys.getPrivate());
        byte[] hcl = SyntheticReport.hcl(claims);
        System.arraycopy(report, 0, hcl, HclReport.SNP_REPORT_OFFSET, report.length);
        java.security.cert.X509Certificate vcek = pki.vcek(SyntheticReport.MILAN_TCB, SyntheticReport.CHIP_ID).build();
        SevSnpVerifier engine = new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(), SnpFixtures.fixtureClock(),
                SyntheticAmdPki.pinnedArks());
        assertThat(engine.verifyAzure(hcl, pki.chain(vcek)).userData()).isEmpty();
        AttestationDocument document = new AttestationDocument(new AzureSnpDocument(hcl,
                toPem(vcek) + toPem(pki.ask) + toPem(pki.ark)).encode());
        assertThat(failureOf(() -> new AzureSevSnpAttestationVerifier(engine).verify(document))).isEqualTo(SnpFailure.USER_DATA_MISSING);
    }

    @Test
    @DisplayName("Azure engine: evaluateAzure keeps the HCL report, the SNP verdict and the claims when the binding fails")
    void azureEvaluateKeepsEverything() {
        JsonNode hclCase = SnpFixtures.caseById("trustee-azure-milan-v2-hcl");
        byte[] tampered = SnpFixtures.hclReport(hclCase);
        tampered[HclReport.CLAIMS_OFFSET + 3] ^= 0x01;
        List<java.security.cert.X509Certificate> chain = SnpFixtures.chain(hclCase);
        AzureSnpVerificationResult result = new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(), SnpFixtures.fixtureClock())
                .evaluateAzure(HclReport.parse(tampered), chain);

        assertThat(result.isAccepted()).isFalse();
        assertThat(result.snp().isAccepted()).isTrue();
        assertThat(result.failure()).map(SnpVerificationException::failure).contains(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
        assertThat(result.runtimeClaims()).hasSize(1110);
        assertThat(result.userData()).isEmpty();
        assertThat(result.hclReport().headerVersion()).isEqualTo(1);
    }

    private static String toPem(java.security.cert.X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
