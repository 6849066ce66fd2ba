package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.internal.sevsnp.SnpReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.List;

/**
 * The CLI's evidence files with any content: reading a report, an HCL report, certificates or a
 * CRL either yields what the verifier then judges, or fails with {@link InvalidInputException}
 * (a usage error with a one-line message), never another exception. A report is returned as
 * the file's bytes or as the bytes its hex text spells; a CRL comes back as DER that parses again.
 */
class EvidenceFilesFuzzTest {

    private static final Path FILE = temporaryFile();

    @FuzzTest(maxDuration = "10m")
    void readsEvidenceFilesOrRefusesWithAUsageError(byte[] content) throws IOException {
        Files.write(FILE, content);
        try {
            byte[] report = EvidenceFiles.readReport("--report", FILE);
            if (report.length != content.length) {
                // Only hex text shrinks: two digits a byte, whitespace dropped.
                assertThat(report.length).isLessThanOrEqualTo(content.length / 2);
            } else if (content.length == SnpReport.LENGTH) {
                assertThat(report).isEqualTo(content);
            }
        } catch (InvalidInputException refused) {
            // A usage error, as required.
        }
        try {
            assertThat(EvidenceFiles.readBinary("--hcl-report", FILE)).isEqualTo(content);
        } catch (InvalidInputException refused) {
            assertThat(content).isEmpty();
        }
        try {
            assertThat(EvidenceFiles.readCertificates("--certs", List.of(FILE, FILE))).isNotEmpty();
        } catch (InvalidInputException refused) {
            // A usage error, as required.
        }
        try {
            byte[] der = EvidenceFiles.readCrl("--crl", FILE);
            assertThat(CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der))).isInstanceOf(X509CRL.class);
        } catch (InvalidInputException refused) {
            // A usage error, as required.
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("a CRL the CLI accepted must parse again", e);
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("evidence-fuzz", ".bin");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
