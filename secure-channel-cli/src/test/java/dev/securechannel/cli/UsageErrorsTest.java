package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad usage and unreadable input end with exit code 2, nothing on stdout and one clear line on
 * stderr, never a stack trace.
 */
class UsageErrorsTest {

    private static final String REPORT = Fixtures.file("project-oak/_derived/milan-report.bin");
    private static final String VCEK = Fixtures.file("project-oak/_derived/milan-vcek.der");

    @TempDir
    static Path directory;

    static Stream<Arguments> usageErrors() throws IOException {
        Path oddHex = Files.writeString(directory.resolve("odd.hex"), "abc\n");
        Path notHex = Files.writeString(directory.resolve("notes.txt"), "this is a report, honest\n");
        Path empty = Files.write(directory.resolve("empty.bin"), new byte[0]);
        Path missing = directory.resolve("missing.bin");
        return Stream.of(
                usage("no subcommand", "Missing required subcommand"),
                usage("neither --report nor --hcl-report", "--report", "verify-sev-snp", "--cert", VCEK),
                usage("both --report and --hcl-report", "mutually exclusive", "verify-sev-snp", "--report", REPORT, "--hcl-report", REPORT),
                usage("missing report file", "no such file", "verify-sev-snp", "--report", missing.toString()),
                usage("missing certificate file", "no such file", "verify-sev-snp", "--report", REPORT, "--cert", missing.toString()),
                usage("missing CRL file", "no such file", "verify-sev-snp", "--report", REPORT, "--crl", missing.toString()),
                usage("report file is a directory", "directory", "verify-sev-snp", "--report", directory.toString()),
                usage("empty report file", "empty", "verify-sev-snp", "--report", empty.toString()),
                usage("certificate file without certificates", "--cert", "verify-sev-snp", "--report", REPORT, "--cert", REPORT),
                usage("CRL file that is a certificate", "--crl", "verify-sev-snp", "--report", REPORT, "--crl", VCEK),
                usage("hex report with an odd number of digits", "odd number", "verify-sev-snp", "--report", oddHex.toString()),
                usage("text report that is not hex", "not hex", "verify-sev-snp", "--report", notHex.toString()),
                usage("pin that is not hex", "--measurement", "verify-sev-snp", "--report", REPORT, "--measurement", "zz".repeat(48)),
                usage("pin of the wrong length", "48 bytes", "verify-sev-snp", "--report", REPORT, "--measurement", "00"),
                usage("instant that is not ISO-8601", "--at", "verify-sev-snp", "--report", REPORT, "--at", "yesterday"),
                usage("unknown product", "--accepted-products", "verify-sev-snp", "--report", REPORT, "--accepted-products", "milan,rome"),
                usage("boolean that is not true or false", "--smt-allowed", "verify-sev-snp", "--report", REPORT, "--smt-allowed", "maybe"),
                usage("VMPL out of range", "--required-vmpl", "verify-sev-snp", "--report", REPORT, "--required-vmpl", "4"),
                usage("contradicting VMPL options", "--allow-any-vmpl", "verify-sev-snp", "--report", REPORT, "--required-vmpl", "0", "--allow-any-vmpl"),
                usage("SPL out of range", "--minimum-tcb.snp", "verify-sev-snp", "--report", REPORT, "--minimum-tcb.snp", "256"),
                usage("report version out of range", "--minimum-report-version", "verify-sev-snp", "--report", REPORT, "--minimum-report-version", "6"),
                usage("number that is not a number", "--minimum-guest-svn", "verify-sev-snp", "--report", REPORT, "--minimum-guest-svn", "many"),
                usage("unknown option", "--verbose", "verify-sev-snp", "--report", REPORT, "--verbose"),
                usage("unknown subcommand", "verify-tdx", "verify-tdx"));
    }

    private static Arguments usage(String description, String messageMentions, String... arguments) {
        return Arguments.of(description, messageMentions, arguments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void exitsWithTwoAndOneLineOnStderr(String description, String messageMentions, String[] arguments) {
        CliRun run = CliRun.run(arguments);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        List<String> lines = new ArrayList<>(run.stderr().lines().toList());
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("secure-channel").contains(messageMentions);
        assertThat(run.stderr()).doesNotContain("Exception", "\tat ");
    }
}
