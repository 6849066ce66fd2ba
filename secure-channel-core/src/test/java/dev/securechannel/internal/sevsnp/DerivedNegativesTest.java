package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The derived negatives of PROVENANCE.md, built from the real fixtures by changing bytes:
 * tampered signed fields and signatures, signature padding, runtime-claims edits and size lies.
 * (Expired CRLs, cross-product chains and CRLs, unknown ARKs and revocation are in
 * {@link AmdCrlTest} and {@link AmdCertificateChainTest}.)
 */
class DerivedNegativesTest {

    /** Fields whose change only the signature can detect: nothing before it looks at them. */
    private static final int[][] SIGNATURE_ONLY_RANGES = {
            {0x004, 0x008}, {0x010, 0x034}, {0x038, 0x048}, {0x050, 0x180}, {0x180, 0x188}, {0x1A0, 0x1EB},
            {0x1EC, 0x1EF}, {0x1F0, 0x1F8}};

    static Stream<Arguments> genuineCases() {
        return SnpFixtures.caseStream()
                .filter(c -> c.get("expect").get("reportSignatureValid").asBoolean())
                .map(c -> Arguments.of(c.get("id").asString(), c));
    }

    static Stream<Arguments> genuineAzureCases() {
        return genuineCases().filter(arguments -> SnpFixtures.isAzure((JsonNode) arguments.get()[1]));
    }

    private static SevSnpVerifier developmentVerifier(JsonNode fixtureCase) {
        return new SevSnpVerifier(SnpPolicy.development(), CrlSource.none(), SnpFixtures.clockAt(SnpFixtures.validTime(fixtureCase)));
    }

    private static boolean signatureOnly(int offset) {
        for (int[] range : SIGNATURE_ONLY_RANGES) {
            if (offset >= range[0] && offset < range[1]) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("genuineCases")
    @DisplayName("flipping one bit of MEASUREMENT or REPORTED_TCB makes a genuine report REPORT_SIG_INVALID")
    void tamperedMeasurementAndTcb(String id, JsonNode fixtureCase) {
        List<X509Certificate> chain = SnpFixtures.chain(fixtureCase);
        for (int offset : new int[] {0x090, 0x0BF, 0x180, 0x186, 0x187}) {
            byte[] report = SnpFixtures.report(fixtureCase);
            report[offset] ^= 0x01;
            assertThat(failureOf(() -> developmentVerifier(fixtureCase).verify(report, chain)))
                    .as("offset 0x%x", offset).isEqualTo(SnpFailure.REPORT_SIG_INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("genuineCases")
    @DisplayName("seeded bit flips anywhere in [0, 0x2A0) are never accepted; in fields nothing else reads they are REPORT_SIG_INVALID")
    void bitFlipsInSignedRegion(String id, JsonNode fixtureCase) {
        List<X509Certificate> chain = SnpFixtures.chain(fixtureCase);
        Random random = new Random(id.hashCode());
        for (int round = 0; round < 24; round++) {
            int offset = random.nextInt(SnpReport.SIGNED_LENGTH);
            int bit = random.nextInt(8);
            byte[] report = SnpFixtures.report(fixtureCase);
            report[offset] ^= (byte) (1 << bit);
            SnpFailure failure = failureOf(() -> developmentVerifier(fixtureCase).verify(report, chain));
            if (signatureOnly(offset)) {
                assertThat(failure).as("offset 0x%x bit %d", offset, bit).isEqualTo(SnpFailure.REPORT_SIG_INVALID);
            }
        }
    }

    @Test
    @DisplayName("every single-bit change of every signed byte of a genuine report breaks its signature")
    void everySignedByteIsCovered() {
        JsonNode genoa = SnpFixtures.caseById("oak-genoa-v5");
        byte[] original = SnpFixtures.report(genoa);
        var key = AmdCertificateChain.vekKey(SnpFixtures.vek(genoa));
        SevSnpVerifier.verifyReportSignature(SnpReport.parse(original), key);
        Random random = new Random(0x2A0);
        for (int offset = 0; offset < SnpReport.SIGNED_LENGTH; offset++) {
            byte[] tampered = original.clone();
            tampered[offset] ^= (byte) (1 << random.nextInt(8));
            // The version byte may leave the parser's range; that rejection is earlier and fine.
            if (offset < 4 && SnpReport.le32(tampered, 0) > SnpReport.MAX_VERSION) {
                continue;
            }
            SnpReport report = SnpReport.parse(tampered);
            assertThat(failureOf(() -> SevSnpVerifier.verifyReportSignature(report, key)))
                    .as("offset 0x%x", offset).isEqualTo(SnpFailure.REPORT_SIG_INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("genuineCases")
    @DisplayName("flipping a bit of r or s is REPORT_SIG_INVALID; a byte in their padding or the reserved tail is REPORT_RESERVED_NONZERO")
    void tamperedSignature(String id, JsonNode fixtureCase) {
        List<X509Certificate> chain = SnpFixtures.chain(fixtureCase);
        for (int offset : new int[] {0x2A0, 0x2CF, 0x2E8, 0x317}) {
            byte[] report = SnpFixtures.report(fixtureCase);
            report[offset] ^= 0x40;
            assertThat(failureOf(() -> developmentVerifier(fixtureCase).verify(report, chain)))
                    .as("offset 0x%x", offset).isEqualTo(SnpFailure.REPORT_SIG_INVALID);
        }
        for (int offset : new int[] {0x2D0, 0x2E7, 0x318, 0x32F, 0x330, 0x49F}) {
            byte[] report = SnpFixtures.report(fixtureCase);
            report[offset] = 1;
            assertThat(failureOf(() -> developmentVerifier(fixtureCase).verify(report, chain)))
                    .as("offset 0x%x", offset).isEqualTo(SnpFailure.REPORT_RESERVED_NONZERO);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("genuineAzureCases")
    @DisplayName("changing any one byte of the runtime claims breaks the REPORT_DATA binding, even if the JSON stays valid")
    void tamperedClaims(String id, JsonNode fixtureCase) {
        byte[] original = SnpFixtures.hclReport(fixtureCase);
        int claimsSize = HclReport.parse(original).runtimeClaims().length;
        List<X509Certificate> chain = SnpFixtures.chain(fixtureCase);
        Random random = new Random(id.hashCode());
        for (int round = 0; round < 16; round++) {
            byte[] tampered = original.clone();
            int offset = HclReport.CLAIMS_OFFSET + random.nextInt(claimsSize);
            tampered[offset] ^= (byte) (1 + random.nextInt(255));
            assertThat(failureOf(() -> developmentVerifier(fixtureCase).verifyAzure(tampered, chain)))
                    .as("claims byte %d", offset - HclReport.CLAIMS_OFFSET).isEqualTo(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("genuineAzureCases")
    @DisplayName("a claims size that disagrees with the runtime-data size is VARDATA_INVALID; a consistent lie breaks the binding")
    void claimsSizeLies(String id, JsonNode fixtureCase) {
        byte[] original = SnpFixtures.hclReport(fixtureCase);
        List<X509Certificate> chain = SnpFixtures.chain(fixtureCase);
        ByteBuffer header = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        int claimsSize = header.getInt(1232);

        byte[] inconsistent = original.clone();
        ByteBuffer.wrap(inconsistent).order(ByteOrder.LITTLE_ENDIAN).putInt(1232, claimsSize - 1);
        assertThat(failureOf(() -> HclReport.parse(inconsistent))).isEqualTo(SnpFailure.VARDATA_INVALID);

        byte[] beyondTheEnd = original.clone();
        ByteBuffer.wrap(beyondTheEnd).order(ByteOrder.LITTLE_ENDIAN).putInt(1232, original.length).putInt(1216, original.length + 20);
        assertThat(failureOf(() -> HclReport.parse(beyondTheEnd))).isEqualTo(SnpFailure.VARDATA_INVALID);

        byte[] shorter = original.clone();
        ByteBuffer.wrap(shorter).order(ByteOrder.LITTLE_ENDIAN).putInt(1232, claimsSize - 1).putInt(1216, claimsSize - 1 + 20);
        assertThat(failureOf(() -> developmentVerifier(fixtureCase).verifyAzure(shorter, chain)))
                .isEqualTo(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
        byte[] longer = original.clone();
        ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putInt(1232, claimsSize + 1).putInt(1216, claimsSize + 1 + 20);
        assertThat(failureOf(() -> developmentVerifier(fixtureCase).verifyAzure(longer, chain)))
                .isEqualTo(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
    }

    @Test
    @DisplayName("user-data rewritten to other 64 bytes, or only re-cased, no longer matches REPORT_DATA")
    void userDataCannotBeSwapped() {
        JsonNode userDataCase = SnpFixtures.caseById("trustee-azure-milan-v3-userdata-hcl");
        byte[] original = SnpFixtures.hclReport(userDataCase);
        String upper = userDataCase.get("hcl").get("userData").asString();
        List<X509Certificate> chain = SnpFixtures.chain(userDataCase);

        AzureSnpVerificationResult genuine = developmentVerifier(userDataCase).verifyAzure(original, chain);
        assertThat(genuine.userData()).hasValueSatisfying(value -> assertThat(value).isEqualTo(dev.securechannel.testing.SharedFiles.hex(upper)));

        String swapped = "00" + upper.substring(2);
        byte[] otherUserData = replace(original, upper, swapped);
        assertThat(failureOf(() -> developmentVerifier(userDataCase).verifyAzure(otherUserData, chain)))
                .isEqualTo(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
        byte[] lowerCased = replace(original, upper, upper.toLowerCase(java.util.Locale.ROOT));
        assertThat(failureOf(() -> developmentVerifier(userDataCase).verifyAzure(lowerCased, chain)))
                .isEqualTo(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH);
    }

    @Test
    @DisplayName("the CHIP_ID of a genuine report changed to all zero (masked) breaks the signature before any CHIP_ID rule")
    void maskedChipIdOnGenuineReport() {
        JsonNode milan = SnpFixtures.caseById("oak-milan-v3");
        byte[] report = SnpFixtures.report(milan);
        java.util.Arrays.fill(report, 0x1A0, 0x1E0, (byte) 0);
        assertThat(failureOf(() -> new SevSnpVerifier(SnpPolicy.builder().allowMaskedChipId(true).build(), CrlSource.none(),
                SnpFixtures.fixtureClock()).verify(report, SnpFixtures.chain(milan)))).isEqualTo(SnpFailure.REPORT_SIG_INVALID);
    }

    private static byte[] replace(byte[] hcl, String from, String to) {
        String text = new String(hcl, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(from);
        assertThat(at).isGreaterThanOrEqualTo(HclReport.CLAIMS_OFFSET);
        byte[] changed = hcl.clone();
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, changed, at, to.length());
        return changed;
    }
}
