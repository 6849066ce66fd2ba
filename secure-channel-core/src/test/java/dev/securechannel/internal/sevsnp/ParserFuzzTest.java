package dev.securechannel.internal.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.sevsnp.AzureSevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded fuzzing of every parser and of the two SPI verifiers: random bytes and mutations of
 * genuine inputs end either in success or in a {@link SnpVerificationException} (so a
 * {@link SecureChannelException} with ATTESTATION_VERIFICATION_FAILED), never in another
 * exception. A failure names its seed and round, so it can be replayed.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParserFuzzTest {

    private static final int ROUNDS = 400;

    private static final byte[] REPORT = SnpFixtures.report(SnpFixtures.caseById("oak-genoa-v5"));
    private static final byte[] HCL = SnpFixtures.hclReport(SnpFixtures.caseById("trustee-azure-milan-v3-userdata-hcl"));
    private static final byte[] SEV_SNP_DOCUMENT = SevSnpDocument.of(REPORT,
            SnpFixtures.chain(SnpFixtures.caseById("oak-genoa-v5"))).encode();
    private static final byte[] AZURE_DOCUMENT = new AzureSnpDocument(
            SnpFixtures.hclReport(SnpFixtures.caseById("trustee-azure-milan-v2-hcl")),
            new String(SnpFixtures.bytes("trustee/deps/verifier/test_data/az-snp-vtpm/vcek.pem"), StandardCharsets.UTF_8)).encode();

    private static void fuzz(String name, byte[] seed, long randomSeed, Consumer<byte[]> parser) {
        Random random = new Random(randomSeed);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = round % 4 == 0 ? randomBytes(random, seed.length) : mutate(random, seed);
            try {
                parser.accept(input);
            } catch (SnpVerificationException expected) {
                assertThat(expected.reason()).isEqualTo(dev.securechannel.FailureReason.ATTESTATION_VERIFICATION_FAILED);
                assertThat(expected.getMessage()).contains(expected.failure().name());
            } catch (RuntimeException unexpected) {
                throw new AssertionError(name + " seed " + randomSeed + " round " + round + " threw " + unexpected, unexpected);
            }
        }
    }

    private static byte[] randomBytes(Random random, int typicalLength) {
        int length = random.nextBoolean() ? typicalLength : random.nextInt(typicalLength + 64);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Bit flips, byte overwrites, little-endian length fields set to extremes, truncation and extension. */
    private static byte[] mutate(Random random, byte[] seed) {
        byte[] bytes = seed.clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int offset = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[offset] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[offset] = (byte) random.nextInt(256);
                case 2 -> {
                    int value = random.nextBoolean() ? -1 : random.nextInt(4096);
                    for (int b = 0; b < 4 && offset + b < bytes.length; b++) {
                        bytes[offset + b] = (byte) (value >>> (8 * b));
                    }
                }
                case 3 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                default -> bytes = java.util.Arrays.copyOf(bytes, bytes.length + random.nextInt(64));
            }
            if (bytes.length == 0) {
                break;
            }
        }
        return bytes;
    }

    @Test
    @DisplayName("SnpReport.parse and every accessor")
    void reportParser() {
        fuzz("SnpReport", REPORT, 1, bytes -> {
            SnpReport report = SnpReport.parse(bytes);
            report.toString();
            report.product();
            report.reportedTcb().toString();
            report.signingKey();
            report.currentFirmware();
        });
    }

    @Test
    @DisplayName("HclReport.parse, its claims, user-data and expected REPORT_DATA")
    void hclParser() {
        fuzz("HclReport", HCL, 2, bytes -> {
            HclReport report = HclReport.parse(bytes);
            report.expectedReportData();
            report.toString();
            report.claims();
            report.userData();
        });
    }

    @Test
    @DisplayName("runtime claims mutated inside a well-formed HCL report")
    void claimsParser() {
        HclReport genuine = HclReport.parse(HCL);
        fuzz("RuntimeClaims", genuine.runtimeClaims(), 3, claims -> {
            HclReport report = HclReport.parse(SyntheticReport.hcl(claims));
            report.claims();
            report.userData();
        });
    }

    @Test
    @DisplayName("SevSnpDocument.decode and certificate splitting")
    void sevSnpDocument() {
        fuzz("SevSnpDocument", SEV_SNP_DOCUMENT, 4, bytes -> SevSnpDocument.decode(bytes).certificates());
    }

    @Test
    @DisplayName("AzureSnpDocument.decode and PEM parsing")
    void azureDocument() {
        fuzz("AzureSnpDocument", AZURE_DOCUMENT, 5, bytes -> AzureSnpDocument.decode(bytes).certificates());
    }

    @Test
    @DisplayName("the SEV-SNP SPI verifier end to end")
    void sevSnpVerifier() {
        SevSnpAttestationVerifier verifier = new SevSnpAttestationVerifier(SnpPolicy.production(), SnpFixtures.realCrls(),
                SnpFixtures.fixtureClock());
        fuzz("SevSnpAttestationVerifier", SEV_SNP_DOCUMENT, 6, bytes -> verifier.verify(new AttestationDocument(bytes)));
    }

    @Test
    @DisplayName("the Azure SPI verifier end to end")
    void azureVerifier() {
        AzureSevSnpAttestationVerifier verifier = new AzureSevSnpAttestationVerifier(SnpPolicy.production(), SnpFixtures.realCrls(),
                SnpFixtures.fixtureClock());
        fuzz("AzureSevSnpAttestationVerifier", AZURE_DOCUMENT, 7, bytes -> verifier.verify(new AttestationDocument(bytes)));
    }

    @Test
    @DisplayName("VEK extension parsing of every real and look-alike VCEK/VLEK after certificate mutation")
    void vekExtensions() {
        for (String file : new String[] {"project-oak/_derived/genoa-vcek.der", "virtee-sev/tests/certs_data/vcek_turin.der",
                "trustee/deps/verifier/test_data/snp/test-vlek.der", "trustee/deps/verifier/test_data/snp/test-vcek-invalid-new.der"}) {
            fuzz("VekExtensions " + file, SnpFixtures.bytes(file), file.hashCode(),
                    bytes -> VekExtensions.parse(Certificates.parseDer(bytes)));
        }
    }
}
