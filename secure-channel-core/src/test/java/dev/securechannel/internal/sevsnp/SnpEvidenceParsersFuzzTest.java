package dev.securechannel.internal.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The parsers of SEV-SNP evidence a peer sends: the attestation report, the Azure HCL report
 * with its runtime-claims JSON, and the certificates of a chain. Contract for any bytes: a
 * {@link SnpVerificationException} is the only failure, at parse time or from any accessor of
 * what parsed; what parsed keeps exactly the bytes it was given.
 */
class SnpEvidenceParsersFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void reportParsesToTheSameBytesWithReadableFieldsOrFailsTyped(byte[] input) {
        SnpReport report;
        try {
            report = SnpReport.parse(input);
        } catch (SnpVerificationException refused) {
            return;
        }
        assertThat(report.bytes()).isEqualTo(input);
        assertThat(report.signedBytes()).isEqualTo(Arrays.copyOf(input, report.signedBytes().length));
        readEveryField(report);
    }

    @FuzzTest(maxDuration = "10m")
    void hclReportParsesToTheSameBytesWithReadableClaimsOrFailsTyped(byte[] input) {
        HclReport hcl;
        try {
            hcl = HclReport.parse(input);
        } catch (SnpVerificationException refused) {
            return;
        }
        assertThat(hcl.bytes()).isEqualTo(input);
        assertThat(hcl.snpReport()).isEqualTo(
                Arrays.copyOfRange(input, HclReport.SNP_REPORT_OFFSET, HclReport.SNP_REPORT_OFFSET + SnpReport.LENGTH));
        try {
            hcl.headerVersion();
            hcl.headerReportSize();
            hcl.requestType();
            hcl.status();
            hcl.hashType();
            hcl.runtimeClaims();
            hcl.expectedReportData();
            hcl.claims();
            hcl.userDataHex();
            hcl.userData();
            hcl.toString();
            readEveryField(SnpReport.parse(hcl.snpReport()));
        } catch (SnpVerificationException refused) {
            // Typed: the embedded report or the user data may still be invalid.
        }
    }

    @FuzzTest(maxDuration = "10m")
    void runtimeClaimsParseOrFailTyped(byte[] input) {
        RuntimeClaims claims;
        try {
            claims = RuntimeClaims.parse(input);
        } catch (SnpVerificationException refused) {
            return;
        }
        assertThat(claims.flattened()).doesNotContainKey(null);
        // The user data a verifier binds is the one the flattened claims show, duplicates or not.
        claims.userData().ifPresent(userData -> assertThat(claims.flattened()).containsEntry("user-data", userData));
    }

    @FuzzTest(maxDuration = "10m")
    void certificatesParseFromDerOrPemOrFailTyped(byte[] input) {
        try {
            List<X509Certificate> certificates = Certificates.splitDer(input);
            assertThat(certificates).hasSizeBetween(input.length == 0 ? 0 : 1, Certificates.MAX_CERTIFICATES);
            certificates.forEach(Certificates::subjectCommonName);
        } catch (SnpVerificationException refused) {
            // Typed, as required.
        }
        try {
            List<X509Certificate> certificates = Certificates.parsePem(new String(input, StandardCharsets.UTF_8));
            assertThat(certificates).hasSizeLessThanOrEqualTo(Certificates.MAX_CERTIFICATES);
            certificates.forEach(Certificates::subjectCommonName);
        } catch (SnpVerificationException refused) {
            // Typed, as required.
        }
    }

    private static void readEveryField(SnpReport report) {
        report.signature();
        report.version();
        report.guestSvn();
        report.policy();
        report.familyId();
        report.imageId();
        report.vmpl();
        report.signatureAlgorithm();
        report.currentTcb();
        report.reportedTcb();
        report.committedTcb();
        report.launchTcb();
        for (SnpProduct product : SnpProduct.values()) {
            report.currentTcb(product);
            report.reportedTcb(product);
            report.committedTcb(product);
            report.launchTcb(product);
        }
        report.platformInfo();
        report.keyInfo();
        report.authorKeyEnabled();
        report.maskChipKey();
        report.signingKeySelector();
        report.signingKey();
        report.reportData();
        report.measurement();
        report.hostData();
        report.idKeyDigest();
        report.authorKeyDigest();
        report.reportId();
        report.reportIdMa();
        report.chipId();
        report.isChipIdMasked();
        report.cpuidFamily();
        report.cpuidModel();
        report.cpuidStepping();
        report.product();
        report.currentFirmware();
        report.committedFirmware();
        report.toString();
    }
}
