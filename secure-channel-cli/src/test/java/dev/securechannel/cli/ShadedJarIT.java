package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shaded {@code target/secure-channel-cli.jar} run with {@code java -jar} as a separate
 * process, as a user runs it: manifest main class, merged dependencies (signed BouncyCastle
 * among them) and real exit codes through {@code System.exit}. Runs in the integration-test
 * phase, after the jar is built; Maven passes its path as {@code securechannel.cli.jar}.
 */
class ShadedJarIT {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path directory;

    /** Exit code, stdout and stderr of one process. */
    private record ProcessRun(int exitCode, String stdout, String stderr) {
    }

    @Test
    void acceptedReportExitsZeroWithParsableJson() throws Exception {
        ProcessRun run = runJar("verify-sev-snp",
                "--report", Fixtures.file("project-oak/_derived/genoa-report.bin"),
                "--cert", Fixtures.file("project-oak/_derived/genoa-vcek.der"),
                "--cert", Fixtures.file("amd-kds/Genoa/cert_chain.pem"),
                "--crl", Fixtures.file("amd-kds/Genoa/crl.der"),
                "--at", Fixtures.CLOCK);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
        assertThat(run.stderr()).isEmpty();
        JsonNode json = MAPPER.readTree(run.stdout());
        assertThat(json.get("verdict").asString()).isEqualTo("accepted");
        assertThat(json.get("report").get("product").asString()).isEqualTo("Genoa");
        assertThat(json.get("report").get("measurement").asString()).isEqualTo(
                Fixtures.fixtureCase("oak-genoa-v5").get("report").get("measurement").asString());
    }

    @Test
    void azureReportIsAcceptedFromTheJar() throws Exception {
        ProcessRun run = runJar(Fixtures.verifyArguments("trustee-azure-milan-v3-userdata-hcl"));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(0);
        assertThat(MAPPER.readTree(run.stdout()).get("azure").get("userData").asString()).startsWith("982f5c6e");
    }

    @Test
    void rejectedReportExitsOne() throws Exception {
        ProcessRun run = runJar(Fixtures.verifyArguments("gsg-milan-v2"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(MAPPER.readTree(run.stdout()).get("reason").get("code").asString()).isEqualTo("debug-guest-rejected");
    }

    @Test
    void badUsageExitsTwoWithOneLineAndNoStackTrace() throws Exception {
        ProcessRun run = runJar("verify-sev-snp", "--report", directory.resolve("missing.bin").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().lines().toList()).hasSize(1);
        assertThat(run.stderr()).contains("no such file").doesNotContain("Exception", "\tat ");
    }

    @Test
    void helpRunsFromTheJar() throws Exception {
        ProcessRun run = runJar("verify-sev-snp", "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.stdout()).contains("--hcl-report", "--minimum-tcb.microcode");
    }

    private ProcessRun runJar(String... arguments) throws IOException, InterruptedException {
        String jar = System.getProperty("securechannel.cli.jar", "target/secure-channel-cli.jar");
        assertThat(Path.of(jar)).as("the shaded jar; run through 'mvnw verify'").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(List.of(arguments));
        // Files, not pipes: a full pipe buffer would block the child before it exits.
        Path stdout = Files.createTempFile(directory, "stdout", ".txt");
        Path stderr = Files.createTempFile(directory, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("java -jar did not finish within 60 s: " + command);
        }
        return new ProcessRun(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
