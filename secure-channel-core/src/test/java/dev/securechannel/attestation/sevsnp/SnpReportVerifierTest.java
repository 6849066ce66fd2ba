package dev.securechannel.attestation.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SnpFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The offline verifier on the real fixtures of {@code testdata/fixtures/sev-snp}: the verdict
 * cases.json lists, the report's fields as recorded there, and rejections that keep what was
 * read.
 */
class SnpReportVerifierTest {

    private static SnpReportVerifier verifierFor(JsonNode fixtureCase) {
        return new SnpReportVerifier(SnpPolicy.production(), SnpFixtures.realCrls(),
                SnpFixtures.clockAt(SnpFixtures.validTime(fixtureCase)));
    }

    private static SnpReportVerdict verify(JsonNode fixtureCase) {
        SnpReportVerifier verifier = verifierFor(fixtureCase);
        return SnpFixtures.isAzure(fixtureCase)
                ? verifier.verifyHclReport(SnpFixtures.hclReport(fixtureCase), SnpFixtures.chain(fixtureCase))
                : verifier.verifyReport(SnpFixtures.report(fixtureCase), SnpFixtures.chain(fixtureCase));
    }

    static Stream<Arguments> cases() {
        return SnpFixtures.caseStream().map(c -> Arguments.of(c.get("id").asString(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("every fixture gets the production verdict cases.json lists, with its product and the instant it was verified at")
    void verdictIsTheListedOne(String id, JsonNode fixtureCase) {
        SnpReportVerdict verdict = verify(fixtureCase);

        boolean accepted = fixtureCase.get("expect").get("productionPolicy").asString().startsWith("accept");
        assertThat(verdict.accepted()).as(String.valueOf(verdict.failure())).isEqualTo(accepted);
        assertThat(verdict.evidence()).isEqualTo(SnpFixtures.isAzure(fixtureCase)
                ? SnpReportVerdict.Evidence.AZURE_HCL_REPORT : SnpReportVerdict.Evidence.SNP_REPORT);
        assertThat(verdict.verifiedAt()).isEqualTo(SnpFixtures.validTime(fixtureCase));
        assertThat(verdict.product()).isEqualTo(SnpFixtures.product(fixtureCase));
        assertThat(verdict.report()).isNotNull();
        assertThat(verdict.vekCertificate()).isEqualTo(SnpFixtures.vek(fixtureCase));
        assertThat(verdict.azure() != null).isEqualTo(SnpFixtures.isAzure(fixtureCase));
    }

    @Test
    @DisplayName("an accepted Genoa v5 report shows the fields cases.json records")
    void acceptedReportShowsItsFields() {
        JsonNode genoa = SnpFixtures.caseById("oak-genoa-v5");
        JsonNode expected = genoa.get("report");

        SnpReportVerdict verdict = verify(genoa);

        assertThat(verdict.failure()).isNull();
        assertThat(verdict.product()).isEqualTo(SnpProduct.GENOA);
        SnpReportVerdict.Report report = verdict.report();
        assertThat(report).isNotNull();
        assertThat(report.version()).isEqualTo(5);
        assertThat(report.guestSvn()).isEqualTo(expected.get("guest_svn").asLong());
        assertThat("0x" + Long.toHexString(report.policy().value())).isEqualTo(expected.get("policy").asString());
        assertThat(report.policy().smtAllowed()).isTrue();
        assertThat(report.policy().debugAllowed()).isFalse();
        assertThat(report.policy().reservedBitsValid()).isTrue();
        assertThat("0x" + Long.toHexString(report.platformInfo().value())).isEqualTo(expected.get("platform_info").asString());
        assertThat(report.platformInfo().smtEnabled()).isTrue();
        assertThat(report.keyInfo().signingKey()).isEqualTo(SnpReportVerdict.SigningKey.VCEK);
        assertThat(report.keyInfo().maskChipKey()).isFalse();
        assertThat(report.vmpl()).isZero();
        assertThat(report.signatureAlgorithm()).isEqualTo(1);
        assertThat(report.reportedTcb().hex()).isEqualTo(expected.get("reported_tcb").get("rawLeHex").asString());
        assertThat(report.reportedTcb().snp()).isEqualTo(expected.get("reported_tcb").get("snp").asInt());
        assertThat(report.currentTcb().hex()).isEqualTo(expected.get("current_tcb").get("rawLeHex").asString());
        assertThat(report.currentFirmware()).hasToString(expected.get("current_version").asString());
        assertThat(report.cpuid()).isEqualTo(new SnpReportVerdict.Cpuid(25, 17, 1));
        assertThat(report.measurement()).isEqualTo(expected.get("measurement").asString());
        assertThat(report.reportData()).isEqualTo(expected.get("report_data").asString());
        assertThat(report.chipId()).isEqualTo(expected.get("chip_id").asString());
        assertThat(report.reportIdMa()).isEqualTo(expected.get("report_id_ma").asString());
        assertThat(report.launchMitigationVector()).hasValue(1);
        assertThat(report.currentMitigationVector()).hasValue(1);
    }

    @Test
    @DisplayName("a version 2 report has no CPUID and no mitigation vectors")
    void versionTwoReportHasNoCpuid() {
        SnpReportVerdict.Report report = verify(SnpFixtures.caseById("virtee-milan-v2")).report();

        assertThat(report).isNotNull();
        assertThat(report.version()).isEqualTo(2);
        assertThat(report.cpuid()).isNull();
        assertThat(report.launchMitigationVector()).isEmpty();
    }

    @Test
    @DisplayName("a report the policy rejects keeps its fields, its chain and the failure")
    void rejectedReportKeepsItsFields() {
        SnpReportVerdict verdict = verify(SnpFixtures.caseById("gsg-milan-v2"));

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.failure()).isNotNull();
        assertThat(verdict.failure().failure()).isEqualTo(SnpFailure.DEBUG_GUEST_REJECTED);
        assertThat(verdict.report()).isNotNull();
        assertThat(verdict.report().policy().debugAllowed()).isTrue();
        assertThat(verdict.vekCertificate()).isNotNull();
    }

    @Test
    @DisplayName("a report of the wrong length is a rejected verdict without fields, not an exception")
    void unreadableReportIsRejected() {
        JsonNode virtee = SnpFixtures.caseById("virtee-milan-v2");
        byte[] truncated = Arrays.copyOf(SnpFixtures.report(virtee), 1000);

        SnpReportVerdict verdict = verifierFor(virtee).verifyReport(truncated, SnpFixtures.chain(virtee));

        assertThat(verdict.failure()).isNotNull();
        assertThat(verdict.failure().failure()).isEqualTo(SnpFailure.REPORT_PARSE_FAILED);
        assertThat(verdict.report()).isNull();
        assertThat(verdict.product()).isNull();
        assertThat(verdict.vekCertificate()).isNull();
        assertThat(SnpReportVerifier.REPORT_LENGTH).isEqualTo(1184);
    }

    @Test
    @DisplayName("an accepted HCL report shows its runtime claims, user-data, hash type and header version")
    void azureReportShowsItsHclFields() {
        JsonNode azureCase = SnpFixtures.caseById("trustee-azure-milan-v3-userdata-hcl");
        JsonNode expected = azureCase.get("hcl");

        SnpReportVerdict verdict = verify(azureCase);

        assertThat(verdict.failure()).isNull();
        SnpReportVerdict.Azure azure = verdict.azure();
        assertThat(azure).isNotNull();
        assertThat(azure.userData()).isEqualTo(expected.get("userData").asString().toLowerCase(Locale.ROOT));
        assertThat(azure.hashType()).isEqualTo("SHA-256");
        assertThat(azure.headerVersion()).isEqualTo(expected.get("header").get("version").asInt());
        assertThat(new String(azure.runtimeClaims(), StandardCharsets.UTF_8)).startsWith("{").contains("\"vm-configuration\"");
    }

    @Test
    @DisplayName("altered runtime claims fail the REPORT_DATA binding and are still shown")
    void alteredClaimsFailTheBinding() {
        JsonNode azureCase = SnpFixtures.caseById("trustee-azure-milan-v3-userdata-hcl");
        byte[] hcl = SnpFixtures.hclReport(azureCase);
        int firstLetter = HclReport.CLAIMS_OFFSET + 2;
        assertThat(new String(hcl, HclReport.CLAIMS_OFFSET, 7, StandardCharsets.UTF_8)).isEqualTo("{\"keys\"");
        hcl[firstLetter] = 'K'; // still JSON, but no longer the claims REPORT_DATA commits to

        SnpReportVerdict verdict = verifierFor(azureCase).verifyHclReport(hcl, SnpFixtures.chain(azureCase));

        assertThat(verdict.failure()).isNotNull();
        assertThat(verdict.failure().failure()).isEqualTo(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
        assertThat(verdict.azure()).isNotNull();
        assertThat(new String(verdict.azure().runtimeClaims(), StandardCharsets.UTF_8)).startsWith("{\"Keys\"");
        assertThat(verdict.report()).isNotNull();
    }

    @Test
    @DisplayName("an HCL report that does not parse is a rejected verdict without fields")
    void unreadableHclReportIsRejected() {
        JsonNode azureCase = SnpFixtures.caseById("trustee-azure-milan-v2-hcl");
        byte[] hcl = SnpFixtures.hclReport(azureCase);
        hcl[0] = 'X';

        SnpReportVerdict verdict = verifierFor(azureCase).verifyHclReport(hcl, SnpFixtures.chain(azureCase));

        assertThat(verdict.failure()).isNotNull();
        assertThat(verdict.failure().failure()).isEqualTo(SnpFailure.HCL_REPORT_INVALID);
        assertThat(verdict.evidence()).isEqualTo(SnpReportVerdict.Evidence.AZURE_HCL_REPORT);
        assertThat(verdict.azure()).isNull();
        assertThat(verdict.report()).isNull();
    }

    @Test
    @DisplayName("the HCL fields are copied in and out")
    void azureFieldsAreCopied() {
        byte[] claims = "{}".getBytes(StandardCharsets.UTF_8);
        SnpReportVerdict.Azure azure = new SnpReportVerdict.Azure(claims, null, "SHA-256", 1);
        claims[0] = 'x';
        azure.runtimeClaims()[0] = 'y';

        assertThat(azure.runtimeClaims()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(azure).isEqualTo(new SnpReportVerdict.Azure("{}".getBytes(StandardCharsets.UTF_8), null, "SHA-256", 1));
    }
}
