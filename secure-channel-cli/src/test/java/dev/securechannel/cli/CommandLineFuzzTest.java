package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole command line with any arguments, run in-process the way the CLI's tests run it
 * ({@link SecureChannelCli#execute}). Contract: it returns, never throws, with exit code 0, 1 or
 * 2 ({@link ExitStatus}; 3 would be a defect); a usage error (2) prints exactly one line on
 * stderr, naming the tool, and nothing on stdout; a verdict or help (0, 1) prints on stdout only.
 * Nothing is written: the evidence folder and the working directory are the same afterwards.
 * {@code execute} has no path to {@code System.exit} (only {@code main} exits); a call would end
 * the fuzzing JVM, which fails the run.
 *
 * <p>Input layout: the arguments as UTF-8, separated by NUL. No argument can name a file outside
 * a temporary evidence folder: {@code /} and {@code \} become {@code _}, and then {@code ~} stands
 * for the folder (so {@code ~genoa-report.bin} is a real report); a name without a separator is
 * relative to the working directory, where only the module's ordinary files are. That keeps the
 * fuzzer away from endless or blocking files ({@code /dev/zero}, {@code /dev/stdin}). The CLI has
 * no network access to fence off: {@code verify-sev-snp} is offline by design, certificates and
 * CRL come from files; a subcommand or option that fetches (KDS, IMDS) would have to be kept out
 * of what this target can spell.
 */
class CommandLineFuzzTest {

    private static final Path EVIDENCE = evidenceFolder();
    private static final Path WORKING_DIRECTORY = Path.of("").toAbsolutePath();

    @FuzzTest(maxDuration = "10m")
    void anyCommandLineEndsInADocumentedExitCodeAndWritesNothing(byte[] input) {
        String[] arguments = arguments(input);
        Map<String, String> evidenceBefore = listing(EVIDENCE);
        Map<String, String> workingDirectoryBefore = listing(WORKING_DIRECTORY);

        CliRun run = CliRun.run(arguments);

        String described = "exit " + run.exitCode() + " for " + String.join(" ", arguments) + "\nstderr: " + run.stderr();
        assertThat(run.exitCode()).as(described).isIn(ExitStatus.ACCEPTED.code(), ExitStatus.REJECTED.code(), ExitStatus.USAGE.code());
        if (run.exitCode() == ExitStatus.USAGE.code()) {
            assertThat(run.stdout()).as(described).isEmpty();
            assertThat(run.stderr().lines().toList()).as(described).hasSize(1).first().asString().startsWith("secure-channel");
        } else {
            assertThat(run.stderr()).as(described).isEmpty();
            assertThat(run.stdout()).as(described).isNotBlank();
        }
        assertThat(listing(EVIDENCE)).as("the evidence folder is left as it was").isEqualTo(evidenceBefore);
        assertThat(listing(WORKING_DIRECTORY)).as("the working directory is left as it was").isEqualTo(workingDirectoryBefore);
    }

    private static String[] arguments(byte[] input) {
        if (input.length == 0) {
            return new String[0];
        }
        String folder = EVIDENCE + "/";
        return Stream.of(new String(input, StandardCharsets.UTF_8).split("\0", -1))
                .map(argument -> argument.replace('/', '_').replace('\\', '_').replace("~", folder))
                .toArray(String[]::new);
    }

    /**
     * Name, size and modification time of each file, which any write would change, and the names
     * of the folders (their contents are Maven's and Jazzer's, which write while the target runs).
     */
    private static Map<String, String> listing(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            Map<String, String> listing = new TreeMap<>();
            for (Path entry : entries.toList()) {
                listing.put(entry.getFileName().toString(), Files.isDirectory(entry)
                        ? "folder" : Files.size(entry) + " " + Files.getLastModifiedTime(entry));
            }
            return listing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Real evidence under short names: a Genoa report with its VCEK, chain and CRL (the README's
     * example), a Milan report as hex text, an Azure HCL report with its VCEK, and an empty file.
     */
    private static Path evidenceFolder() {
        try {
            Path folder = Files.createTempDirectory("cli-fuzz");
            // Registered first, so deleted last: after the files in it.
            folder.toFile().deleteOnExit();
            Map<String, String> files = Map.of(
                    "genoa-report.bin", "project-oak/_derived/genoa-report.bin",
                    "genoa-vcek.der", "project-oak/_derived/genoa-vcek.der",
                    "genoa-chain.pem", "amd-kds/Genoa/cert_chain.pem",
                    "genoa-crl.der", "amd-kds/Genoa/crl.der",
                    "milan-report.hex", "virtee-sev/tests/certs_data/report_milan.hex",
                    "hcl-report.bin", "trustee/deps/verifier/test_data/az-snp-vtpm/hcl-report.bin",
                    "hcl-vcek.pem", "trustee/deps/verifier/test_data/az-snp-vtpm/vcek.pem");
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.copy(Path.of(Fixtures.file(file.getValue())), folder.resolve(file.getKey()));
            }
            Files.write(folder.resolve("empty.bin"), new byte[0]);
            try (Stream<Path> entries = Files.list(folder)) {
                entries.forEach(entry -> entry.toFile().deleteOnExit());
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
