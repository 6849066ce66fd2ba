package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static dev.securechannel.internal.sevsnp.SyntheticReport.hcl;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Azure HCL report parser and its runtime claims: header and runtime-data rules, exact
 * claim bytes, strict JSON (duplicate keys, trailing content, UTF-8), user-data rules.
 */
class HclReportTest {

    private static final byte[] GENUINE = SnpFixtures.bytes("trustee/_derived/azure-milan-userdata-hcl-report.bin");

    private static byte[] withInt(byte[] hcl, int offset, int value) {
        byte[] changed = hcl.clone();
        ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return changed;
    }

    @Test
    @DisplayName("the SNP report is bytes [32, 1216) and the claims exactly the claims_size bytes at 1236")
    void slices() {
        HclReport report = HclReport.parse(GENUINE);
        assertThat(report.snpReport()).isEqualTo(Arrays.copyOfRange(GENUINE, 32, 1216));
        assertThat(report.runtimeClaims()).isEqualTo(Arrays.copyOfRange(GENUINE, 1236, 1236 + 1110));
        assertThat(report.bytes()).isEqualTo(GENUINE);
        assertThat(report.hashType()).isEqualTo(HclReport.HashType.SHA_256);
        assertThat(report.toString()).contains("2600 bytes");
    }

    @Test
    @DisplayName("a report shorter than the fixed part, or without the HCLA signature, is HCL_REPORT_INVALID")
    void header() {
        assertThat(failureOf(() -> HclReport.parse(Arrays.copyOf(GENUINE, HclReport.CLAIMS_OFFSET - 1)))).isEqualTo(SnpFailure.HCL_REPORT_INVALID);
        assertThat(failureOf(() -> HclReport.parse(new byte[0]))).isEqualTo(SnpFailure.HCL_REPORT_INVALID);
        byte[] badSignature = GENUINE.clone();
        badSignature[0] = 'X';
        assertThat(failureOf(() -> HclReport.parse(badSignature))).isEqualTo(SnpFailure.HCL_REPORT_INVALID);
    }

    @ParameterizedTest(name = "header version {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("header versions 1 and 2 are accepted")
    void knownHeaderVersions(int version) {
        assertThat(HclReport.parse(withInt(GENUINE, 4, version)).headerVersion()).isEqualTo(version);
    }

    @ParameterizedTest(name = "header version {0}")
    @ValueSource(ints = {0, 3, -1})
    @DisplayName("other header versions are HCL_REPORT_INVALID")
    void unknownHeaderVersions(int version) {
        assertThat(failureOf(() -> HclReport.parse(withInt(GENUINE, 4, version)))).isEqualTo(SnpFailure.HCL_REPORT_INVALID);
    }

    @Test
    @DisplayName("runtime data: report type other than SNP, version other than 1, unknown hash type, size mismatch are VARDATA_INVALID")
    void runtimeData() {
        assertThat(failureOf(() -> HclReport.parse(withInt(GENUINE, 1224, 4)))).as("TDX").isEqualTo(SnpFailure.VARDATA_INVALID);
        assertThat(failureOf(() -> HclReport.parse(withInt(GENUINE, 1220, 2)))).as("version 2").isEqualTo(SnpFailure.VARDATA_INVALID);
        assertThat(failureOf(() -> HclReport.parse(withInt(GENUINE, 1228, 0)))).as("hash 0").isEqualTo(SnpFailure.VARDATA_INVALID);
        assertThat(failureOf(() -> HclReport.parse(withInt(GENUINE, 1228, 4)))).as("hash 4").isEqualTo(SnpFailure.VARDATA_INVALID);
        assertThat(failureOf(() -> HclReport.parse(withInt(GENUINE, 1216, 1131)))).as("data size").isEqualTo(SnpFailure.VARDATA_INVALID);
        assertThat(failureOf(() -> HclReport.parse(withInt(withInt(GENUINE, 1232, -1), 1216, 19)))).as("huge claims")
                .isEqualTo(SnpFailure.VARDATA_INVALID);
    }

    @Test
    @DisplayName("SHA-384 and SHA-512 hash types commit REPORT_DATA with their own digest, zero-padded to 64 bytes")
    void otherHashTypes() {
        byte[] sha384 = withInt(GENUINE, 1228, 2);
        HclReport report = HclReport.parse(sha384);
        assertThat(report.hashType()).isEqualTo(HclReport.HashType.SHA_384);
        assertThat(Arrays.copyOf(report.expectedReportData(), 48)).isEqualTo(HclReport.HashType.SHA_384.digest(report.runtimeClaims()));
        assertThat(Arrays.copyOfRange(report.expectedReportData(), 48, 64)).containsOnly(0);
        assertThat(HclReport.parse(withInt(GENUINE, 1228, 3)).expectedReportData()).hasSize(64);
    }

    @Test
    @DisplayName("claims are flattened by path for display, in document order, scalars as their JSON text")
    void flattenedClaims() {
        HclReport report = HclReport.parse(hcl("{\"keys\":[{\"kid\":\"HCLAkPub\",\"n\":\"AQAB\"}],\"vm-configuration\":"
                + "{\"secure-boot\":true,\"current-time\":1678652405,\"x\":null,\"y\":1.5},\"user-data\":\"" + "AB".repeat(64) + "\"}"));
        assertThat(report.claims()).containsExactly(
                java.util.Map.entry("keys[0].kid", "HCLAkPub"),
                java.util.Map.entry("keys[0].n", "AQAB"),
                java.util.Map.entry("vm-configuration.secure-boot", "true"),
                java.util.Map.entry("vm-configuration.current-time", "1678652405"),
                java.util.Map.entry("vm-configuration.x", "null"),
                java.util.Map.entry("vm-configuration.y", "1.5"),
                java.util.Map.entry("user-data", "AB".repeat(64)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"a\":1,\"a\":2}",
            "{\"vm-configuration\":{\"secure-boot\":true,\"secure-boot\":false}}",
            "{\"user-data\":\"00\",\"user-data\":\"11\"}",
            "[1,2]",
            "\"text\"",
            "",
            "{\"a\":1} {\"b\":2}",
            "{\"a\":1}x",
            "{\"a\":",
            "{\"a\":[1,2",
            "{'a':1}",
            "{\"a\":01}"})
    @DisplayName("claims that are not one strict JSON object (duplicates at any depth, trailing content, truncation) are RUNTIME_CLAIMS_INVALID")
    void strictJson(String claims) {
        HclReport report = HclReport.parse(hcl(claims));
        assertThat(failureOf(report::claims)).isEqualTo(SnpFailure.RUNTIME_CLAIMS_INVALID);
        assertThat(failureOf(report::userDataHex)).isEqualTo(SnpFailure.RUNTIME_CLAIMS_INVALID);
    }

    @Test
    @DisplayName("claims that are not UTF-8 are RUNTIME_CLAIMS_INVALID")
    void invalidUtf8() {
        ByteArrayOutputStream claims = new ByteArrayOutputStream();
        claims.writeBytes("{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
        claims.write(0xC3);
        claims.write(0x28);
        claims.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
        assertThat(failureOf(() -> HclReport.parse(hcl(claims.toByteArray())).claims())).isEqualTo(SnpFailure.RUNTIME_CLAIMS_INVALID);
    }

    @Test
    @DisplayName("user-data: exactly 128 hex digits of either case decode to 64 bytes")
    void userDataDecodes() {
        byte[] expected = new byte[64];
        Arrays.fill(expected, (byte) 0xAB);
        assertThat(HclReport.parse(hcl("{\"user-data\":\"" + "AB".repeat(64) + "\"}")).userData())
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(expected));
        assertThat(HclReport.parse(hcl("{\"user-data\":\"" + "ab".repeat(64) + "\"}")).userData())
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(expected));
        assertThat(HclReport.parse(hcl("{\"user-data\":\"" + "aB".repeat(64) + "\"}")).userDataHex()).contains("aB".repeat(64));
        assertThat(HclReport.parse(hcl("{\"keys\":[]}")).userData()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"\"", "\"00\"", "\"ABAB\"", "\"${126}\"", "\"${130}\"", "\"${256}\"", "\"zz${126}\"", "1", "null", "[]", "{}"})
    @DisplayName("user-data that is not a string of exactly 128 hex digits is USER_DATA_INVALID (longer is refused, not truncated)")
    void userDataRules(String value) {
        String expanded = value.replace("${126}", "0".repeat(126)).replace("${130}", "0".repeat(130)).replace("${256}", "0".repeat(256));
        HclReport report = HclReport.parse(hcl("{\"user-data\":" + expanded + "}"));
        assertThat(failureOf(report::userData)).isEqualTo(SnpFailure.USER_DATA_INVALID);
    }

    @Test
    @DisplayName("the 2023 sample has no user-data: empty, not an error")
    void userDataAbsentInOldSample() {
        HclReport old = HclReport.parse(SnpFixtures.bytes("kinvolk-azure-cvm-tooling/az-cvm-vtpm/test/hcl-report-snp.bin"));
        assertThat(old.userDataHex()).isEmpty();
        assertThat(old.claims()).containsKey("vm-configuration.current-time");
    }
}
