package dev.securechannel.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The periodic self-check of the local provider against the local verifier, as health checks read it. */
class LocalAttestationMonitorTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final SwitchableProvider provider = new SwitchableProvider();
    private LocalAttestationMonitor monitor = monitor(new InsecureMockAttestationVerifier());

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void isNotCheckedBeforeStart() {
        LocalAttestationStatus status = monitor.status();

        assertThat(status.checked()).isFalse();
        assertThat(status.healthy()).isFalse();
        assertThat(status.checkedAt()).isNull();
        assertThat(provider.attestations.get()).isZero();
    }

    @Test
    void isHealthyWhenTheProviderProducesEvidenceTheVerifierAccepts() {
        monitor.start();

        LocalAttestationStatus status = monitor.status();
        assertThat(status.checked()).isTrue();
        assertThat(status.healthy()).isTrue();
        assertThat(status.failure()).isNull();
        assertThat(status.lastEvidence()).isEqualTo(NOW);
        assertThat(status.checkedAt()).isEqualTo(NOW);
    }

    @Test
    void namesTheMockAsAnInsecureProvider() {
        monitor.start();

        LocalAttestationStatus status = monitor.status();
        assertThat(status.provider()).isEqualTo("mock");
        assertThat(status.platform()).isEqualTo(InsecureMockAttestation.PLATFORM);
        assertThat(status.secure()).isFalse();
    }

    @Test
    void aProviderFailureIsReportedWithTheExceptionTypeAndKeepsTheLastEvidence() {
        monitor.start();
        provider.failing.set(true);

        LocalAttestationStatus status = monitor.check();

        assertThat(status.healthy()).isFalse();
        assertThat(status.failure()).isEqualTo("attestation-generation-failed");
        assertThat(status.error()).isEqualTo("IOException");
        assertThat(status.lastEvidence()).isEqualTo(NOW);
        assertThat(monitor.status()).isEqualTo(status);
    }

    @Test
    void evidenceTheVerifierRejectsIsAVerificationFailure() {
        monitor = monitor(verifier(document -> {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "rejected");
        }));

        monitor.start();

        assertThat(monitor.status().healthy()).isFalse();
        assertThat(monitor.status().failure()).isEqualTo("attestation-verification-failed");
        assertThat(monitor.status().lastEvidence()).isNull();
    }

    @Test
    void aVerifiersDetailCodeIsTheFailure() {
        monitor = monitor(verifier(document -> {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "stale CRL") {
                @Override
                public String detailCode() {
                    return "crl-expired";
                }
            };
        }));

        monitor.start();

        assertThat(monitor.status().failure()).isEqualTo("crl-expired");
    }

    @Test
    void evidenceThatDoesNotBindTheNonceFails() {
        monitor = monitor(verifier(document -> {
            VerifiedAttestation real = InsecureMockAttestation.decode(document);
            return new VerifiedAttestation(real.documentHash(), real.publicKey().orElseThrow(), null, null, Map.of(),
                    real.platform(), true, Map.of());
        }));

        monitor.start();

        assertThat(monitor.status().failure()).isEqualTo("nonce-missing");
    }

    @Test
    void evidenceBoundToAnotherKeyFails() {
        monitor = monitor(verifier(document -> {
            VerifiedAttestation real = InsecureMockAttestation.decode(document);
            return new VerifiedAttestation(real.documentHash(), new byte[32], real.nonce().orElseThrow(), null, Map.of(),
                    real.platform(), true, Map.of());
        }));

        monitor.start();

        assertThat(monitor.status().failure()).isEqualTo("public-key-mismatch");
    }

    @Test
    void reportsTheLaunchMeasurementAndWhatTheVerifierEstablished() {
        Map<String, String> claims = Map.of("sev-snp.product", "Milan", "sev-snp.reported-tcb", "0200000000000544");
        monitor = monitor(verifier(document -> {
            VerifiedAttestation real = InsecureMockAttestation.decode(document);
            return new VerifiedAttestation(real.documentHash(), real.publicKey().orElseThrow(), real.nonce().orElseThrow(), null,
                    Map.of(0, new byte[] {0x0a, (byte) 0xbc}), real.platform(), true, claims);
        }));

        monitor.start();

        assertThat(monitor.status().measurement()).isEqualTo("0abc");
        assertThat(monitor.status().claims()).isEqualTo(claims);
    }

    @Test
    void readingTheStatusNeverProducesEvidence() {
        monitor.start();
        int afterStart = provider.attestations.get();

        for (int i = 0; i < 5; i++) {
            monitor.status();
        }

        assertThat(provider.attestations.get()).isEqualTo(afterStart);
    }

    @Test
    void startingTwiceChecksOnce() {
        monitor.start();
        monitor.start();

        assertThat(provider.attestations.get()).isEqualTo(1);
    }

    @Test
    @Timeout(10)
    void checksAgainEveryInterval() throws InterruptedException {
        monitor = new LocalAttestationMonitor(provider, new InsecureMockAttestationVerifier(), Duration.ofMillis(50), CLOCK);
        provider.failing.set(true);
        monitor.start();
        assertThat(monitor.status().healthy()).isFalse();

        provider.failing.set(false);

        while (!monitor.status().healthy()) {
            Thread.sleep(10);
        }
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> new LocalAttestationMonitor(provider, new InsecureMockAttestationVerifier(), Duration.ZERO, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private LocalAttestationMonitor monitor(AttestationVerifier verifier) {
        return new LocalAttestationMonitor(provider, verifier, Duration.ofHours(1), CLOCK);
    }

    /** A mock-type verifier that answers with {@code verify}. */
    private static AttestationVerifier verifier(Function<AttestationDocument, VerifiedAttestation> verify) {
        return new AttestationVerifier() {
            @Override
            public String type() {
                return "mock";
            }

            @Override
            public VerifiedAttestation verify(AttestationDocument document) {
                return verify.apply(document);
            }
        };
    }
}
