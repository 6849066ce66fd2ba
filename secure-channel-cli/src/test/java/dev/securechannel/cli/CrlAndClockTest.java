package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --crl} and {@code --at}: AMD's CRL is checked against the pinned ARK of whatever product
 * the chain names, at the instant given or now. The fixture CRLs went stale in 2026 (Milan's
 * nextUpdate is 2026-05-12), so "now" finds them expired.
 */
class CrlAndClockTest {

    private static final String MILAN_CRL = Fixtures.file("amd-kds/Milan/crl.der");

    @Test
    void currentCrlOfTheChainsProductIsAccepted() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("oak-milan-v3", "--crl", MILAN_CRL, "--require-crl"));

        assertThat(run.exitCode()).isEqualTo(0);
    }

    @Test
    void genoaCrlIsCheckedForAGenoaChain() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("oak-genoa-v5", "--crl", Fixtures.file("amd-kds/Genoa/crl.der")));

        assertThat(run.exitCode()).isEqualTo(0);
    }

    @Test
    void crlOfAnotherProductIsRejectedByItsIssuer() {
        CliRun run = CliRun.run(Fixtures.verifyArguments("oak-milan-v3", "--crl", Fixtures.file("amd-kds/Genoa/crl.der")));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("crl-issuer-mismatch");
    }

    @Test
    void withoutAtTheFixtureCrlIsExpiredNow() {
        Instant before = Instant.now();
        CliRun run = CliRun.run("verify-sev-snp", "--report", Fixtures.file("project-oak/_derived/milan-report.bin"),
                "--cert", Fixtures.file("project-oak/_derived/milan-vcek.der"),
                "--cert", Fixtures.file("amd-kds/Milan/cert_chain.pem"),
                "--crl", MILAN_CRL);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("crl-expired");
        Instant verifiedAt = Instant.parse(run.json().get("verifiedAt").asString());
        assertThat(verifiedAt).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
    }

    @Test
    void withoutAtTheExpiredVlekIsRejected() {
        CliRun run = CliRun.run("verify-sev-snp", "--report", Fixtures.file("trustee/deps/verifier/test_data/snp/test-vlek-report.bin"),
                "--cert", Fixtures.file("trustee/deps/verifier/test_data/snp/test-vlek.der"),
                "--cert", Fixtures.file("go-sev-guest/verify/trust/ask_ark_milan_vlek.pem"),
                "--allow-any-vmpl");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.reasonCode()).isEqualTo("vek-expired");
    }

    @Test
    void atAcceptsAnOffsetDateTime() {
        CliRun run = CliRun.run("verify-sev-snp", "--report", Fixtures.file("project-oak/_derived/milan-report.bin"),
                "--cert", Fixtures.file("project-oak/_derived/milan-vcek.der"),
                "--cert", Fixtures.file("amd-kds/Milan/cert_chain.pem"),
                "--at", "2026-01-01T01:00:00+01:00");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.json().get("verifiedAt").asString()).isEqualTo(Fixtures.CLOCK);
    }

    @Test
    void pemCrlIsReadLikeDer(@TempDir Path directory) throws IOException {
        String pem = "-----BEGIN X509 CRL-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(Files.readAllBytes(Path.of(MILAN_CRL)))
                + "\n-----END X509 CRL-----\n";
        Path crl = Files.writeString(directory.resolve("milan-crl.pem"), pem);

        CliRun run = CliRun.run(Fixtures.verifyArguments("oak-milan-v3", "--crl", crl.toString(), "--require-crl"));

        assertThat(run.exitCode()).isEqualTo(0);
    }
}
