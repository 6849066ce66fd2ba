package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every case of {@code testdata/fixtures/sev-snp/cases.json} through the command line, at the
 * fixtures' clock and under the default (production) policy: the verdict and exit code the case
 * lists, and every parsed field equal to the values recorded in cases.json.
 */
class FixtureCasesTest {

    /** Why production rejects the cases cases.json marks "reject", in the verifier's order of checks. */
    private static final Map<String, String> EXPECTED_REJECTIONS = Map.of(
            "gsg-milan-v2", "debug-guest-rejected",
            // Chain and signature hold at 2025-06-01; VMPL 1 fails the production policy's VMPL 0.
            "trustee-vlek-milan-v3", "vmpl-mismatch",
            // The chain is AMD's, but the VCEK is another chip's: the signature check fails first.
            "kinvolk-azure-milan-v2-hcl-2048", "report-sig-invalid");

    static Stream<Arguments> cases() {
        return Fixtures.cases().stream().map(c -> Arguments.of(c.get("id").asString(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictAndExitCodeAreThoseTheCaseLists(String id, JsonNode fixtureCase) {
        CliRun run = CliRun.run(Fixtures.verifyArguments(fixtureCase));

        boolean accepted = fixtureCase.get("expect").get("productionPolicy").asString().startsWith("accept");
        assertThat(run.stderr()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(accepted ? 0 : 1);
        JsonNode json = run.json();
        assertThat(json.get("verdict").asString()).isEqualTo(accepted ? "accepted" : "rejected");
        assertThat(run.reasonCode()).isEqualTo(accepted ? null : EXPECTED_REJECTIONS.get(id));
        assertThat(json.get("kind").asString()).isEqualTo(fixtureCase.has("hclFile") ? "sev-snp-azure" : "sev-snp");
        assertThat(json.get("verifiedAt").asString()).isEqualTo(Fixtures.clockFor(fixtureCase));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportFieldsEqualTheRecordedValues(String id, JsonNode fixtureCase) {
        JsonNode expected = fixtureCase.get("report");
        JsonNode report = CliRun.run(Fixtures.verifyArguments(fixtureCase)).json().get("report");

        assertThat(report.get("version").asInt()).isEqualTo(expected.get("version").asInt());
        assertThat(report.get("guestSvn").asLong()).isEqualTo(expected.get("guest_svn").asLong());
        assertThat(report.get("product").asString()).isEqualTo(fixtureCase.get("product").asString());
        assertThat(report.get("policy").get("hex").asString()).isEqualTo(expected.get("policy").asString());
        JsonNode policyBits = expected.get("policy_bits");
        assertThat(report.get("policy").get("abiMinor").asInt()).isEqualTo(policyBits.get("abi_minor").asInt());
        assertThat(report.get("policy").get("abiMajor").asInt()).isEqualTo(policyBits.get("abi_major").asInt());
        assertThat(report.get("policy").get("smtAllowed").asBoolean()).isEqualTo(policyBits.get("smt").asBoolean());
        assertThat(report.get("policy").get("migrationAgentAllowed").asBoolean()).isEqualTo(policyBits.get("migrate_ma").asBoolean());
        assertThat(report.get("policy").get("debugAllowed").asBoolean()).isEqualTo(policyBits.get("debug").asBoolean());
        assertThat(report.get("policy").get("singleSocketRequired").asBoolean()).isEqualTo(policyBits.get("single_socket").asBoolean());
        assertThat(report.get("policy").get("reservedBitsValid").asBoolean()).isEqualTo(policyBits.get("reserved17").asBoolean());
        assertThat(report.get("familyId").asString()).isEqualTo(expected.get("family_id").asString());
        assertThat(report.get("imageId").asString()).isEqualTo(expected.get("image_id").asString());
        assertThat(report.get("vmpl").asLong()).isEqualTo(expected.get("vmpl").asLong());
        assertThat(report.get("signatureAlgorithm").asLong()).isEqualTo(expected.get("sig_algo").asLong());
        assertThat(report.get("platformInfo").get("hex").asString()).isEqualTo(expected.get("platform_info").asString());
        JsonNode keyInfo = report.get("keyInfo");
        assertThat(keyInfo.get("hex").asString()).isEqualTo(expected.get("key_info").asString());
        assertThat(keyInfo.get("authorKeyEnabled").asBoolean()).isEqualTo(expected.get("author_key_en").asInt() == 1);
        assertThat(keyInfo.get("maskChipKey").asBoolean()).isEqualTo(expected.get("mask_chip_key").asInt() == 1);
        assertThat(keyInfo.get("signingKeySelector").asInt()).isEqualTo(expected.get("signing_key").asInt());
        assertThat(keyInfo.get("signingKey").asString()).isEqualTo(expected.get("signing_key").asInt() == 0 ? "VCEK" : "VLEK");
        for (String tcb : List.of("current", "reported", "committed", "launch")) {
            assertTcb(report.get(tcb + "Tcb"), expected.get(tcb + "_tcb"));
        }
        assertThat(report.get("currentFirmware").asString()).isEqualTo(expected.get("current_version").asString());
        assertThat(report.get("committedFirmware").asString()).isEqualTo(expected.get("committed_version").asString());
        if (expected.has("cpuid_fam_mod_step")) {
            JsonNode cpuid = expected.get("cpuid_fam_mod_step");
            assertThat(report.get("cpuid").get("family").asInt()).isEqualTo(cpuid.get(0).asInt());
            assertThat(report.get("cpuid").get("model").asInt()).isEqualTo(cpuid.get(1).asInt());
            assertThat(report.get("cpuid").get("stepping").asInt()).isEqualTo(cpuid.get(2).asInt());
        } else {
            assertThat(report.get("cpuid").isNull()).as("a version 2 report has no CPUID").isTrue();
        }
        assertThat(report.get("reportData").asString()).isEqualTo(expected.get("report_data").asString());
        assertThat(report.get("measurement").asString()).isEqualTo(expected.get("measurement").asString());
        assertThat(report.get("hostData").asString()).isEqualTo(expected.get("host_data").asString());
        assertThat(report.get("idKeyDigest").asString()).isEqualTo(expected.get("id_key_digest").asString());
        assertThat(report.get("authorKeyDigest").asString()).isEqualTo(expected.get("author_key_digest").asString());
        assertThat(report.get("reportId").asString()).isEqualTo(expected.get("report_id").asString());
        assertThat(report.get("reportIdMa").asString()).isEqualTo(expected.get("report_id_ma").asString());
        assertThat(report.get("chipId").asString()).isEqualTo(expected.get("chip_id").asString());
        assertMitigationVector(report.get("launchMitigationVector"), expected.get("launch_mit_vector"));
        assertMitigationVector(report.get("currentMitigationVector"), expected.get("current_mit_vector"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vekCertificateIsDescribed(String id, JsonNode fixtureCase) {
        JsonNode expected = fixtureCase.get("vek");
        JsonNode vek = CliRun.run(Fixtures.verifyArguments(fixtureCase)).json().get("vek");

        assertThat(vek.get("kind").asString()).isEqualTo(expected.get("subjectCN").asString().substring("SEV-".length()));
        assertThat(vek.get("subject").asString()).startsWith("CN=" + expected.get("subjectCN").asString() + ",");
        assertThat(vek.get("issuer").asString()).startsWith("CN=" + expected.get("issuerCN").asString() + ",");
        assertThat(vek.get("serial").asString()).isEqualTo("0x" + Long.toHexString(expected.get("serial").asLong()));
        assertThat(OffsetDateTime.parse(vek.get("notBefore").asString()).toInstant())
                .isEqualTo(OffsetDateTime.parse(expected.get("notBefore").asString()).toInstant());
        assertThat(OffsetDateTime.parse(vek.get("notAfter").asString()).toInstant())
                .isEqualTo(OffsetDateTime.parse(expected.get("notAfter").asString()).toInstant());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void azureCasesShowRuntimeClaimsAndUserData(String id, JsonNode fixtureCase) {
        JsonNode json = CliRun.run(Fixtures.verifyArguments(fixtureCase)).json();
        if (!fixtureCase.has("hclFile")) {
            assertThat(json.has("azure")).as("raw reports have no azure object").isFalse();
            return;
        }
        JsonNode expected = fixtureCase.get("hcl");
        JsonNode azure = json.get("azure");
        JsonNode claims = azure.get("runtimeClaims");

        assertThat(claims.propertyNames()).containsExactlyElementsOf(expected.get("claimsKeys").valueStream().map(JsonNode::asString).toList());
        assertThat(claims.get("vm-configuration").get("vmUniqueId").asString())
                .isEqualTo(expected.get("vmConfiguration").get("vmUniqueId").asString());
        assertThat(claims.get("keys").get(0).get("kid").asString()).isEqualTo(expected.get("keyIds").get(0).asString());
        JsonNode userData = expected.get("userData");
        if (userData.isNull()) {
            assertThat(azure.get("userData").isNull()).isTrue();
        } else {
            // Found upper case in one sample; the command prints hex in lower case.
            assertThat(azure.get("userData").asString()).isEqualTo(userData.asString().toLowerCase(Locale.ROOT));
        }
        assertThat(azure.get("hashType").asString()).isEqualTo("SHA-256");
        assertThat(azure.get("headerVersion").asInt()).isEqualTo(expected.get("header").get("version").asInt());
    }

    private static void assertTcb(JsonNode actual, JsonNode expected) {
        assertThat(actual.get("bootloader").asInt()).isEqualTo(expected.get("bl").asInt());
        assertThat(actual.get("tee").asInt()).isEqualTo(expected.get("tee").asInt());
        assertThat(actual.get("snp").asInt()).isEqualTo(expected.get("snp").asInt());
        assertThat(actual.get("microcode").asInt()).isEqualTo(expected.get("ucode").asInt());
        assertThat(actual.get("hex").asString()).isEqualTo(expected.get("rawLeHex").asString());
        assertThat(actual.has("fmc")).as("FMC exists in the Turin layout only").isFalse();
    }

    private static void assertMitigationVector(JsonNode actual, JsonNode expected) {
        if (expected == null) {
            assertThat(actual.isNull()).as("mitigation vectors exist from version 5 on").isTrue();
        } else {
            assertThat(actual.asString()).isEqualTo(expected.asString());
        }
    }
}
