package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * How report and certificate files are read: binary or hex reports, certificate bundles in any
 * order, and evidence that reads but is not a valid report (a rejection with a reason, exit 1).
 */
class EvidenceInputTest {

    private static final String MILAN_REPORT = Fixtures.file("project-oak/_derived/milan-report.bin");
    private static final String MILAN_VCEK = Fixtures.file("project-oak/_derived/milan-vcek.der");
    private static final String MILAN_CHAIN = Fixtures.file("amd-kds/Milan/cert_chain.pem");

    @TempDir
    Path directory;

    @Test
    void hexReportWithLineBreaksAndUpperCaseIsTheSameReport() throws IOException {
        String hex = HexFormat.of().formatHex(Files.readAllBytes(Path.of(MILAN_REPORT))).toUpperCase(Locale.ROOT);
        StringBuilder wrapped = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 64) {
            wrapped.append(hex, i, Math.min(hex.length(), i + 64)).append(i % 128 == 0 ? "\r\n" : "  \n\t");
        }
        Path hexReport = Files.writeString(directory.resolve("report.hex"), wrapped);

        CliRun fromHex = CliRun.run(verify(hexReport.toString()));
        CliRun fromBinary = CliRun.run(verify(MILAN_REPORT));

        assertThat(fromHex.exitCode()).isEqualTo(0);
        assertThat(fromHex.stdout()).isEqualTo(fromBinary.stdout());
    }

    @Test
    void certificatesAreClassifiedWhateverTheirOrderAndBundling() {
        CliRun run = CliRun.run("verify-sev-snp", "--report", MILAN_REPORT, "--at", Fixtures.CLOCK,
                "--cert", Fixtures.file("amd-kds/Milan/ark.pem"),
                "--cert", MILAN_CHAIN,
                "--cert", Fixtures.file("amd-kds/Milan/ask.pem"),
                "--cert", MILAN_VCEK);

        assertThat(run.exitCode()).isEqualTo(0);
    }

    @Test
    void twoDifferentVceksAreRejectedAsDuplicates() {
        CliRun run = CliRun.run("verify-sev-snp", "--report", MILAN_REPORT, "--at", Fixtures.CLOCK,
                "--cert", MILAN_VCEK, "--cert", Fixtures.file("virtee-sev/tests/certs_data/vcek_milan.der"), "--cert", MILAN_CHAIN);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("cert-duplicate");
    }

    @Test
    void reportWithoutCertificatesShowsItsFieldsAndIsRejected() {
        CliRun run = CliRun.run("verify-sev-snp", "--report", MILAN_REPORT, "--at", Fixtures.CLOCK);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("cert-chain-missing");
        JsonNode json = run.json();
        assertThat(json.get("report").get("measurement").asString()).isEqualTo(
                Fixtures.fixtureCase("oak-milan-v3").get("report").get("measurement").asString());
        assertThat(json.get("report").get("product").asString()).as("from CPUID").isEqualTo("Milan");
        assertThat(json.get("vek").isNull()).isTrue();
    }

    @Test
    void vceksOfAnotherProductAreRejected() {
        CliRun run = CliRun.run("verify-sev-snp", "--report", MILAN_REPORT, "--at", Fixtures.CLOCK,
                "--cert", Fixtures.file("project-oak/_derived/genoa-vcek.der"), "--cert", Fixtures.file("amd-kds/Genoa/cert_chain.pem"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("product-mismatch");
    }

    @Test
    void binaryFileOfAnotherLengthIsRejectedAsNotAReport() throws IOException {
        Path truncated = Files.write(directory.resolve("truncated.bin"), Arrays.copyOf(Files.readAllBytes(Path.of(MILAN_REPORT)), 1000));

        CliRun run = CliRun.run(verify(truncated.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("report-parse-failed");
        assertThat(run.json().get("report").isNull()).isTrue();
        assertThat(run.json().get("verdict").asString()).isEqualTo("rejected");
    }

    @Test
    void reportOfAnUnknownVersionIsRejected() throws IOException {
        byte[] report = Files.readAllBytes(Path.of(MILAN_REPORT));
        report[0] = 9;
        Path versionNine = Files.write(directory.resolve("v9.bin"), report);

        CliRun run = CliRun.run(verify(versionNine.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("report-version-unsupported");
    }

    @Test
    void alteredReportFailsItsSignatureButShowsItsFields() throws IOException {
        byte[] report = Files.readAllBytes(Path.of(MILAN_REPORT));
        report[0x90] ^= 1; // first MEASUREMENT byte
        Path altered = Files.write(directory.resolve("altered.bin"), report);

        CliRun run = CliRun.run(verify(altered.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("report-sig-invalid");
        assertThat(run.json().get("report").get("measurement").asString()).startsWith(
                HexFormat.of().toHexDigits((byte) (Files.readAllBytes(Path.of(MILAN_REPORT))[0x90] ^ 1)));
        assertThat(run.json().get("vek").get("kind").asString()).isEqualTo("VCEK");
    }

    @Test
    void fileThatIsNotAnHclReportIsRejectedAsAzureEvidence() {
        CliRun run = CliRun.run("verify-sev-snp", "--hcl-report", MILAN_REPORT, "--cert", MILAN_VCEK, "--cert", MILAN_CHAIN);

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode json = run.json();
        assertThat(json.get("kind").asString()).isEqualTo("sev-snp-azure");
        assertThat(run.reasonCode()).isEqualTo("hcl-report-invalid");
        assertThat(json.get("report").isNull()).isTrue();
        assertThat(json.get("azure").isNull()).isTrue();
    }

    @Test
    void hclReportWithAlteredClaimsFailsTheReportDataBinding() throws IOException {
        byte[] hcl = Files.readAllBytes(Path.of(Fixtures.file("trustee/_derived/azure-milan-userdata-hcl-report.bin")));
        int claimsStart = 1236;
        // Still valid JSON, so the claims parse and only the hash in REPORT_DATA gives the change away.
        String claims = new String(hcl, claimsStart, 1110, StandardCharsets.UTF_8);
        hcl[claimsStart + claims.indexOf("982F5C6E")] = '8';
        Path altered = Files.write(directory.resolve("altered-hcl.bin"), hcl);

        CliRun run = CliRun.run("verify-sev-snp", "--hcl-report", altered.toString(), "--at", Fixtures.CLOCK,
                "--cert", Fixtures.file("trustee/_derived/azure-milan-userdata-vcek.der"), "--cert", MILAN_CHAIN);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("azure-vardata-binding-mismatch");
        assertThat(run.json().get("azure").get("userData").asString()).startsWith("882f5c6e");
    }

    private static String[] verify(String reportFile) {
        return new String[] {"verify-sev-snp", "--report", reportFile, "--cert", MILAN_VCEK, "--cert", MILAN_CHAIN, "--at", Fixtures.CLOCK};
    }
}
