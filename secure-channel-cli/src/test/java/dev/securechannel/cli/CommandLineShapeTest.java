package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The JSON shape scripts rely on, and the help and version screens. */
class CommandLineShapeTest {

    private static final List<String> REPORT_KEYS = List.of("version", "guestSvn", "product", "policy", "familyId", "imageId",
            "vmpl", "signatureAlgorithm", "platformInfo", "keyInfo", "currentTcb", "reportedTcb", "committedTcb", "launchTcb",
            "currentFirmware", "committedFirmware", "cpuid", "reportData", "measurement", "hostData", "idKeyDigest",
            "authorKeyDigest", "reportId", "reportIdMa", "chipId", "launchMitigationVector", "currentMitigationVector");

    @Test
    void rawReportOutputHasItsKeysInAFixedOrder() {
        JsonNode json = CliRun.run(Fixtures.verifyArguments("oak-genoa-v5")).json();

        assertThat(json.propertyNames()).containsExactly("kind", "report", "vek", "verifiedAt", "verdict", "reason");
        assertThat(json.get("report").propertyNames()).containsExactlyElementsOf(REPORT_KEYS);
        assertThat(json.get("vek").propertyNames()).containsExactly("kind", "subject", "issuer", "serial", "notBefore", "notAfter");
        assertThat(json.get("report").get("policy").propertyNames()).startsWith("hex");
        assertThat(json.get("report").get("platformInfo").propertyNames()).startsWith("hex");
        assertThat(json.get("report").get("reportedTcb").propertyNames()).containsExactly("bootloader", "tee", "snp", "microcode", "hex");
    }

    @Test
    void azureOutputAddsItsObjectAfterTheReport() {
        JsonNode json = CliRun.run(Fixtures.verifyArguments("trustee-azure-milan-v2-hcl")).json();

        assertThat(json.propertyNames()).containsExactly("kind", "report", "azure", "vek", "verifiedAt", "verdict", "reason");
        assertThat(json.get("azure").propertyNames()).containsExactly("runtimeClaims", "userData", "hashType", "headerVersion");
    }

    @Test
    void rejectionGivesCodeAndMessageWithoutTheExceptionPrefix() {
        JsonNode reason = CliRun.run(Fixtures.verifyArguments("gsg-milan-v2")).json().get("reason");

        assertThat(reason.propertyNames()).containsExactly("code", "message");
        assertThat(reason.get("message").asString()).startsWith("POLICY.DEBUG is set");
    }

    @Test
    void outputIsPrettyPrintedOnStdoutOnly() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("oak-milan-v3"));

        assertThat(run.stdout()).startsWith("{" + System.lineSeparator() + "  \"kind\" : \"sev-snp\",");
        assertThat(run.stdout().strip()).endsWith("}");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void helpListsEveryOptionAndTheExitCodes() {
        CliRun run = CliRun.run("verify-sev-snp", "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.stdout()).contains("--report", "--hcl-report", "--cert", "--crl", "--at", "--measurement", "--host-data",
                "--id-key-digest", "--author-key-digest", "--family-id", "--image-id", "--minimum-tcb.bootloader",
                "--minimum-tcb.tee", "--minimum-tcb.snp", "--minimum-tcb.microcode", "--minimum-tcb.fmc",
                "--minimum-report-version", "--minimum-guest-svn", "--accepted-products", "--allow-debug",
                "--allow-migration-agent", "--required-vmpl", "--allow-any-vmpl", "--smt-allowed", "--single-socket",
                "--check-tcb-binding", "--allow-masked-chip-id", "--require-crl", "--require-committed-tcb-equals-current",
                "Exit codes:", "2   bad usage or unreadable input");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void topLevelHelpListsTheSubcommand() {
        CliRun run = CliRun.run("--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.stdout()).contains("verify-sev-snp");
    }

    @Test
    void versionIsPrinted() {
        CliRun run = CliRun.run("--version");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.stdout()).startsWith("secure-channel ");
    }
}
