package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import dev.securechannel.testing.SharedFiles;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every real report of {@code fixtures/sev-snp/cases.json}: each parsed field equals the
 * matrix, each verification step gives its recorded outcome at the fixtures' clock, and the
 * production policy gives exactly the recorded verdict, with and without the real AMD CRLs.
 */
class SevSnpFixtureCasesTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> cases() {
        return SnpFixtures.caseStream().map(c -> Arguments.of(c.get("id").asString(), c));
    }

    static Stream<Arguments> azureCases() {
        return cases().filter(arguments -> SnpFixtures.isAzure((JsonNode) arguments.get()[1]));
    }

    @Test
    @DisplayName("the matrix covers the nine documented cases")
    void matrixHasEveryCase() {
        assertThat(SnpFixtures.caseStream().map(c -> c.get("id").asString())).containsExactlyInAnyOrder(
                "gsg-milan-v2", "virtee-milan-v2", "trustee-azure-milan-v2-raw", "oak-milan-v3", "oak-genoa-v5",
                "trustee-vlek-milan-v3", "trustee-azure-milan-v2-hcl", "trustee-azure-milan-v3-userdata-hcl",
                "kinvolk-azure-milan-v2-hcl-2048");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("every report field parses to the value in cases.json")
    void reportFieldsMatch(String id, JsonNode fixtureCase) {
        JsonNode expected = fixtureCase.get("report");
        SnpReport report = SnpReport.parse(SnpFixtures.report(fixtureCase));

        assertThat(report.version()).isEqualTo(expected.get("version").asInt());
        assertThat(report.guestSvn()).isEqualTo(expected.get("guest_svn").asLong());
        assertThat(report.policy().value()).isEqualTo(hexLong(expected.get("policy")));
        assertThat(report.policy().hex()).isEqualTo(expected.get("policy").asString());
        assertThat(hex(report.familyId())).isEqualTo(expected.get("family_id").asString());
        assertThat(hex(report.imageId())).isEqualTo(expected.get("image_id").asString());
        assertThat(report.vmpl()).isEqualTo(expected.get("vmpl").asLong());
        assertThat(report.signatureAlgorithm()).isEqualTo(expected.get("sig_algo").asLong());
        assertThat(report.platformInfo().value()).isEqualTo(hexLong(expected.get("platform_info")));
        assertThat(report.keyInfo()).isEqualTo(hexLong(expected.get("key_info")));
        assertThat(report.authorKeyEnabled()).isEqualTo(expected.get("author_key_en").asInt() == 1);
        assertThat(report.maskChipKey()).isEqualTo(expected.get("mask_chip_key").asInt() == 1);
        assertThat(report.signingKeySelector()).isEqualTo(expected.get("signing_key").asInt());
        assertThat(hex(report.reportData())).isEqualTo(expected.get("report_data").asString());
        assertThat(hex(report.measurement())).isEqualTo(expected.get("measurement").asString());
        assertThat(hex(report.hostData())).isEqualTo(expected.get("host_data").asString());
        assertThat(hex(report.idKeyDigest())).isEqualTo(expected.get("id_key_digest").asString());
        assertThat(hex(report.authorKeyDigest())).isEqualTo(expected.get("author_key_digest").asString());
        assertThat(hex(report.reportId())).isEqualTo(expected.get("report_id").asString());
        assertThat(hex(report.reportIdMa())).isEqualTo(expected.get("report_id_ma").asString());
        assertThat(hex(report.chipId())).isEqualTo(expected.get("chip_id").asString());
        assertTcb(report.currentTcb(), expected.get("current_tcb"));
        assertTcb(report.reportedTcb(), expected.get("reported_tcb"));
        assertTcb(report.committedTcb(), expected.get("committed_tcb"));
        assertTcb(report.launchTcb(), expected.get("launch_tcb"));
        assertThat(report.currentFirmware()).hasToString(expected.get("current_version").asString());
        assertThat(report.committedFirmware()).hasToString(expected.get("committed_version").asString());
        assertThat(report.reportedTcb().layout() == TcbVersion.Layout.TURIN).isEqualTo(expected.get("turin_tcb_layout").asBoolean());

        JsonNode bits = expected.get("policy_bits");
        SnpGuestPolicy policy = report.policy();
        assertThat(policy.abiMinor()).isEqualTo(bits.get("abi_minor").asInt());
        assertThat(policy.abiMajor()).isEqualTo(bits.get("abi_major").asInt());
        assertThat(policy.smtAllowed()).isEqualTo(bits.get("smt").asBoolean());
        assertThat(policy.reservedBitsValid()).isEqualTo(bits.get("reserved17").asBoolean());
        assertThat(policy.migrationAgentAllowed()).isEqualTo(bits.get("migrate_ma").asBoolean());
        assertThat(policy.debugAllowed()).isEqualTo(bits.get("debug").asBoolean());
        assertThat(policy.singleSocketRequired()).isEqualTo(bits.get("single_socket").asBoolean());

        if (expected.has("cpuid_fam_mod_step")) {
            JsonNode cpuid = expected.get("cpuid_fam_mod_step");
            assertThat(report.cpuidFamily()).hasValue(cpuid.get(0).asInt());
            assertThat(report.cpuidModel()).hasValue(cpuid.get(1).asInt());
            assertThat(report.cpuidStepping()).hasValue(cpuid.get(2).asInt());
            assertThat(report.product()).contains(SnpFixtures.product(fixtureCase));
        } else {
            assertThat(report.cpuidFamily()).isEmpty();
            assertThat(report.product()).isEmpty();
        }
        if (expected.has("launch_mit_vector")) {
            assertThat(report.launchMitigationVector()).hasValue(hexLong(expected.get("launch_mit_vector")));
            assertThat(report.currentMitigationVector()).hasValue(hexLong(expected.get("current_mit_vector")));
        } else {
            assertThat(report.launchMitigationVector()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("the VCEK/VLEK certificate and its AMD extensions match cases.json")
    void vekCertificateMatches(String id, JsonNode fixtureCase) {
        JsonNode expected = fixtureCase.get("vek");
        X509Certificate vek = SnpFixtures.vek(fixtureCase);
        VekExtensions extensions = VekExtensions.parse(vek);

        assertThat(Certificates.subjectCommonName(vek)).contains(expected.get("subjectCN").asString());
        assertThat(vek.getIssuerX500Principal().getName()).contains("CN=" + expected.get("issuerCN").asString());
        assertThat(vek.getSerialNumber()).isEqualTo(BigInteger.valueOf(expected.get("serial").asLong()));
        assertThat(vek.getNotBefore().toInstant()).isEqualTo(instant(expected.get("notBefore")));
        assertThat(vek.getNotAfter().toInstant()).isEqualTo(instant(expected.get("notAfter")));
        assertThat(extensions.structVersion()).hasValue(expected.get("structVersion").asInt());
        assertThat(extensions.productName()).contains(expected.get("productName").asString());
        assertThat(extensions.product()).contains(SnpFixtures.product(fixtureCase));
        assertThat(extensions.spl(TcbComponent.BOOTLOADER)).hasValue(expected.get("blSPL").asInt());
        assertThat(extensions.spl(TcbComponent.TEE)).hasValue(expected.get("teeSPL").asInt());
        assertThat(extensions.spl(TcbComponent.SNP)).hasValue(expected.get("snpSPL").asInt());
        assertThat(extensions.spl(TcbComponent.MICROCODE)).hasValue(expected.get("ucodeSPL").asInt());
        assertThat(extensions.spl(TcbComponent.FMC)).isEmpty();
        if (expected.has("hwIdHex")) {
            assertThat(extensions.hwId().map(SevSnpFixtureCasesTest::hex)).contains(expected.get("hwIdHex").asString());
            assertThat(extensions.cspId()).isEmpty();
        } else {
            assertThat(extensions.hwId()).isEmpty();
            assertThat(extensions.cspId()).contains(expected.get("cspId").asString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("report signature, chain, TCB binding and hwID binding each give the recorded result")
    void stepsGiveRecordedResults(String id, JsonNode fixtureCase) {
        JsonNode expect = fixtureCase.get("expect");
        SnpReport report = SnpReport.parse(SnpFixtures.report(fixtureCase));
        X509Certificate vek = SnpFixtures.vek(fixtureCase);
        SnpProduct product = SnpFixtures.product(fixtureCase);
        VekExtensions extensions = VekExtensions.parse(vek);

        boolean signatureValid = catchThrowableOfType(SnpVerificationException.class,
                () -> SevSnpVerifier.verifyReportSignature(report, AmdCertificateChain.vekKey(vek))) == null;
        assertThat(signatureValid).isEqualTo(expect.get("reportSignatureValid").asBoolean());

        SnpVerificationException chainFailure = catchThrowableOfType(SnpVerificationException.class,
                () -> AmdCertificateChain.validate(AmdRootKeys.ark(product), SnpFixtures.intermediate(fixtureCase), vek,
                        java.util.Date.from(SnpFixtures.validTime(fixtureCase))));
        assertThat(chainFailure == null).isEqualTo(expect.get("chainValid").asBoolean());

        TcbVersion reported = report.reportedTcb(product);
        boolean tcbMatches = extensions.spl(TcbComponent.BOOTLOADER).getAsInt() == reported.bootloader()
                && extensions.spl(TcbComponent.TEE).getAsInt() == reported.tee()
                && extensions.spl(TcbComponent.SNP).getAsInt() == reported.snp()
                && extensions.spl(TcbComponent.MICROCODE).getAsInt() == reported.microcode();
        assertThat(tcbMatches).isEqualTo(expect.get("vekTcbMatchesReportedTcb").asBoolean());

        JsonNode hwIdExpectation = expect.get("hwIdMatchesChipId");
        if (hwIdExpectation.isBoolean()) {
            assertThat(java.util.Arrays.equals(extensions.hwId().orElseThrow(), report.chipId()))
                    .isEqualTo(hwIdExpectation.asBoolean());
        } else {
            assertThat(extensions.hwId()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("the production policy gives exactly the recorded verdict at the fixture clock")
    void productionVerdict(String id, JsonNode fixtureCase) {
        assertVerdict(fixtureCase, CrlSource.none());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("with AMD's real CRLs (fresh at the fixture clock) the verdict is the same")
    void productionVerdictWithRealCrls(String id, JsonNode fixtureCase) {
        assertVerdict(fixtureCase, SnpFixtures.realCrls());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("the same evidence with the CRLs past nextUpdate (2026-11-27) fails CRL_EXPIRED, or VEK_EXPIRED for the VLEK")
    void staleCrlsAreRefused(String id, JsonNode fixtureCase) {
        SevSnpVerifier verifier = new SevSnpVerifier(SnpPolicy.development(), SnpFixtures.realCrls(),
                SnpFixtures.clockAt(SnpFixtures.STALE_TIME));
        SnpVerificationResult result = verifier.evaluate(SnpReport.parse(SnpFixtures.report(fixtureCase)), certificates(fixtureCase));

        SnpFailure expected = id.contains("vlek") ? SnpFailure.VEK_EXPIRED : SnpFailure.CRL_EXPIRED;
        assertThat(result.failure()).map(SnpVerificationException::failure).contains(expected);
    }

    @Test
    @DisplayName("the debug report is genuine: the development policy accepts it, production refuses DEBUG")
    void debugReportIsRefusedByProductionOnly() {
        JsonNode debugCase = SnpFixtures.caseById("gsg-milan-v2");
        byte[] report = SnpFixtures.report(debugCase);
        List<X509Certificate> chain = SnpFixtures.chain(debugCase);

        assertThat(new SevSnpVerifier(SnpPolicy.development(), CrlSource.none(), SnpFixtures.fixtureClock())
                .verify(report, chain).isAccepted()).isTrue();
        assertThat(failureOf(() -> new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(), SnpFixtures.fixtureClock())
                .verify(report, chain))).isEqualTo(SnpFailure.DEBUG_GUEST_REJECTED);
    }

    @Test
    @DisplayName("the VLEK report passes at 2025-06-01 when VMPL 1 is required, and its VLEK has expired by 2026-11-27")
    void vlekWorks() {
        JsonNode vlekCase = SnpFixtures.caseById("trustee-vlek-milan-v3");
        byte[] report = SnpFixtures.report(vlekCase);
        List<X509Certificate> chain = SnpFixtures.chain(vlekCase);
        SnpPolicy vmplOne = SnpPolicy.builder().requiredVmpl(1).build();

        SnpVerificationResult result = new SevSnpVerifier(vmplOne, CrlSource.none(), SnpFixtures.clockAt(SnpFixtures.VLEK_TIME))
                .verify(report, chain);
        assertThat(result.vekKind()).contains(VekKind.VLEK);
        assertThat(result.product()).contains(SnpProduct.MILAN);
        assertThat(failureOf(() -> new SevSnpVerifier(vmplOne, CrlSource.none(), SnpFixtures.clockAt(SnpFixtures.STALE_TIME))
                .verify(report, chain))).isEqualTo(SnpFailure.VEK_EXPIRED);
    }

    @Test
    @DisplayName("the VLEK's masked CHIP_ID does not matter: a VLEK is not chip-bound")
    void vlekIgnoresMaskedChipId() {
        JsonNode vlekCase = SnpFixtures.caseById("trustee-vlek-milan-v3");
        SnpReport report = SnpReport.parse(SnpFixtures.report(vlekCase));
        assertThat(report.isChipIdMasked()).isTrue();

        SnpVerificationResult result = new SevSnpVerifier(SnpPolicy.builder().requiredVmpl(1).allowMaskedChipId(false).build(),
                CrlSource.none(), SnpFixtures.clockAt(SnpFixtures.VLEK_TIME)).evaluate(report, SnpFixtures.chain(vlekCase));
        assertThat(result.isAccepted()).isTrue();
    }

    @Test
    @DisplayName("a genuine VCEK of another chip fails: its key does not verify the report")
    void wrongChipVcekFails() {
        JsonNode kinvolk = SnpFixtures.caseById("kinvolk-azure-milan-v2-hcl-2048");
        JsonNode trustee = SnpFixtures.caseById("trustee-azure-milan-v2-raw");
        SevSnpVerifier verifier = new SevSnpVerifier(SnpPolicy.production(), CrlSource.none(), SnpFixtures.fixtureClock());

        assertThat(failureOf(() -> verifier.verifyAzure(SnpFixtures.hclReport(kinvolk), SnpFixtures.chain(kinvolk))))
                .isEqualTo(SnpFailure.REPORT_SIG_INVALID);
        // Same TCB, same product, valid AMD chain: only the chip differs.
        assertThat(failureOf(() -> verifier.verify(SnpFixtures.report(trustee), SnpFixtures.chain(kinvolk))))
                .isEqualTo(SnpFailure.REPORT_SIG_INVALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("azureCases")
    @DisplayName("Azure: the HCL structure, claims hash, claims keys, user-data and vm-configuration match cases.json")
    void hclReportMatches(String id, JsonNode fixtureCase) {
        JsonNode expected = fixtureCase.get("hcl");
        byte[] bytes = SnpFixtures.hclReport(fixtureCase);
        HclReport hcl = HclReport.parse(bytes);

        assertThat(bytes).hasSize(expected.get("totalLength").asInt());
        assertThat(hcl.headerVersion()).isEqualTo(expected.get("header").get("version").asInt());
        assertThat(hcl.headerReportSize()).isEqualTo(expected.get("header").get("reportSize").asLong());
        assertThat(hcl.requestType()).isEqualTo(expected.get("header").get("requestType").asLong());
        assertThat(hcl.status()).isEqualTo(expected.get("header").get("status").asLong());
        assertThat(hcl.hashType().code()).isEqualTo(expected.get("runtimeData").get("hashType").asInt());
        assertThat(hcl.runtimeClaims()).hasSize(expected.get("runtimeData").get("claimsSize").asInt());
        assertThat(HclReport.CLAIMS_OFFSET).isEqualTo(expected.get("runtimeData").get("claimsOffset").asInt());
        assertThat(hex(hcl.hashType().digest(hcl.runtimeClaims()))).isEqualTo(expected.get("claimsSha256").asString());
        assertThat(hcl.snpReport()).isEqualTo(SnpFixtures.report(fixtureCase));

        Map<String, String> claims = hcl.claims();
        Set<String> topLevel = new LinkedHashSet<>();
        claims.keySet().forEach(key -> topLevel.add(key.split("[.\\[]", 2)[0]));
        List<String> expectedKeys = new ArrayList<>();
        expected.get("claimsKeys").forEach(key -> expectedKeys.add(key.asString()));
        assertThat(topLevel).containsExactlyElementsOf(expectedKeys);
        List<String> keyIds = new ArrayList<>();
        expected.get("keyIds").forEach(key -> keyIds.add(key.asString()));
        for (int i = 0; i < keyIds.size(); i++) {
            assertThat(claims).containsEntry("keys[" + i + "].kid", keyIds.get(i));
        }
        expected.get("vmConfiguration").properties().forEach(entry ->
                assertThat(claims).containsEntry("vm-configuration." + entry.getKey(), entry.getValue().asString()));

        JsonNode userData = expected.get("userData");
        if (userData.isNull()) {
            assertThat(hcl.userDataHex()).isEmpty();
            assertThat(hcl.userData()).isEmpty();
        } else {
            assertThat(hcl.userDataHex()).contains(userData.asString());
            assertThat(hcl.userData()).hasValueSatisfying(bytesValue -> assertThat(bytesValue).isEqualTo(SharedFiles.hex(userData.asString())));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("azureCases")
    @DisplayName("Azure: REPORT_DATA is SHA-256(runtime claims) followed by 32 zero bytes")
    void azureReportDataBinds(String id, JsonNode fixtureCase) {
        HclReport hcl = HclReport.parse(SnpFixtures.hclReport(fixtureCase));
        SnpReport report = SnpReport.parse(hcl.snpReport());

        assertThat(fixtureCase.get("expect").get("reportDataBinding").asBoolean()).isTrue();
        assertThat(report.reportData()).isEqualTo(hcl.expectedReportData());
        assertThat(java.util.Arrays.copyOfRange(report.reportData(), 32, 64)).containsOnly(0);
    }

    private static void assertVerdict(JsonNode fixtureCase, CrlSource crls) {
        SevSnpVerifier verifier = new SevSnpVerifier(SnpPolicy.production(), crls, SnpFixtures.clockAt(SnpFixtures.validTime(fixtureCase)));
        Optional<SnpFailure> expected = expectedProductionFailure(fixtureCase);
        Optional<SnpFailure> actual;
        if (SnpFixtures.isAzure(fixtureCase)) {
            AzureSnpVerificationResult result = verifier.evaluateAzure(HclReport.parse(SnpFixtures.hclReport(fixtureCase)),
                    certificates(fixtureCase));
            actual = result.failure().map(SnpVerificationException::failure);
            if (result.isAccepted()) {
                assertThat(result.snp().product()).contains(SnpFixtures.product(fixtureCase));
                assertThat(result.userData()).isPresent();
            }
        } else {
            SnpVerificationResult result = verifier.evaluate(SnpReport.parse(SnpFixtures.report(fixtureCase)), certificates(fixtureCase));
            actual = result.failure().map(SnpVerificationException::failure);
            assertThat(result.vekKind()).isPresent();
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** The certificates as a provider would send them: the case's PEM bundle as is, or VEK + ASK + ARK. */
    private static List<X509Certificate> certificates(JsonNode fixtureCase) {
        List<X509Certificate> fromVekFile = SnpFixtures.certificates(fixtureCase.get("vekFile").asString());
        return fromVekFile.size() > 1 ? fromVekFile : SnpFixtures.chain(fixtureCase);
    }

    /** cases.json states verdicts in words; these are the failures they name. */
    private static Optional<SnpFailure> expectedProductionFailure(JsonNode fixtureCase) {
        String verdict = fixtureCase.get("expect").get("productionPolicy").asString();
        if (verdict.startsWith("accept")) {
            return Optional.empty();
        }
        if (verdict.contains("POLICY.DEBUG=1")) {
            return Optional.of(SnpFailure.DEBUG_GUEST_REJECTED);
        }
        if (verdict.contains("VMPL=1")) {
            return Optional.of(SnpFailure.VMPL_MISMATCH);
        }
        if (verdict.contains("signature invalid")) {
            return Optional.of(SnpFailure.REPORT_SIG_INVALID);
        }
        throw new IllegalStateException("verdict without a mapped failure: " + verdict);
    }

    private static void assertTcb(TcbVersion tcb, JsonNode expected) {
        assertThat(tcb.bootloader()).isEqualTo(expected.get("bl").asInt());
        assertThat(tcb.tee()).isEqualTo(expected.get("tee").asInt());
        assertThat(tcb.snp()).isEqualTo(expected.get("snp").asInt());
        assertThat(tcb.microcode()).isEqualTo(expected.get("ucode").asInt());
        assertThat(tcb.hex()).isEqualTo(expected.get("rawLeHex").asString());
        assertThat(tcb.raw()).isEqualTo(SharedFiles.hex(expected.get("rawLeHex").asString()));
    }

    private static long hexLong(JsonNode value) {
        return Long.parseUnsignedLong(value.asString().substring(2), 16);
    }

    private static Instant instant(JsonNode value) {
        return OffsetDateTime.parse(value.asString()).toInstant();
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
