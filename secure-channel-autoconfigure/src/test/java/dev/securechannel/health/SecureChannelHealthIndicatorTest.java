package dev.securechannel.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.attestation.LocalAttestationMonitor;
import dev.securechannel.attestation.SwitchableProvider;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.collateral.OfflineCollateral;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The securechannel health contributor over the periodic local attestation self-check: how
 * each outcome reads as Boot's health (the checks themselves: LocalAttestationMonitorTest in the core).
 */
class SecureChannelHealthIndicatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final SwitchableProvider provider = new SwitchableProvider();
    private LocalAttestationMonitor monitor = new LocalAttestationMonitor(provider, new InsecureMockAttestationVerifier(),
            Duration.ofHours(1), CLOCK);

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void isUnknownBeforeTheFirstCheck() {
        assertThat(health().getStatus()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void isUpWhenTheProviderProducesEvidenceTheVerifierAccepts() {
        monitor.start();

        assertThat(health().getStatus()).isEqualTo(Status.UP);
        assertThat(health().getDetails()).containsEntry("lastEvidence", "2026-01-02T03:04:05Z");
    }

    @Test
    void detailsShowTheMockAsAnInsecureProvider() {
        monitor.start();

        assertThat(health().getDetails())
                .containsEntry("provider", "mock")
                .containsEntry("platform", InsecureMockAttestation.PLATFORM)
                .containsEntry("secure", false)
                .containsKey("warning");
    }

    @Test
    void goesDownWithTheReasonWhenTheProviderFails() {
        monitor.start();
        provider.failing.set(true);

        monitor.check();

        Health health = health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails())
                .containsEntry("reason", "attestation-generation-failed")
                .containsEntry("error", "IOException")
                .containsEntry("provider", "mock");
    }

    @Test
    void healthRequestsNeverProduceEvidence() {
        monitor.start();
        int afterStart = provider.attestations.get();

        for (int i = 0; i < 5; i++) {
            health();
        }

        assertThat(provider.attestations.get()).isEqualTo(afterStart);
    }

    @Test
    void detailsShowWhatTheVerifierEstablishedAboutThisMachine() {
        monitor = new LocalAttestationMonitor(provider, withClaims(Map.of("sev-snp.product", "Milan", "sev-snp.reported-tcb", "0200000000000544")),
                Duration.ofHours(1), CLOCK);

        monitor.start();

        assertThat(health().getDetails().get("claims")).isEqualTo(Map.of("sev-snp.product", "Milan",
                "sev-snp.reported-tcb", "0200000000000544"));
    }

    @Test
    void detailsShowTheSevSnpCollateralCache() throws Exception {
        Path milan = Path.of(System.getProperty("securechannel.testdata.dir", "../testdata"), "fixtures", "sev-snp", "amd-kds", "Milan");
        OfflineCollateral offline = OfflineCollateral.load(List.of(milan.resolve("ask.pem"), milan.resolve("ark.pem")),
                Map.of(SnpProduct.MILAN, milan.resolve("crl.der")));
        CollateralCache cache = new CollateralCache(offline, offline, CLOCK, 16, Duration.ofDays(1));
        cache.crlDer(SnpProduct.MILAN);
        monitor.start();

        @SuppressWarnings("unchecked")
        Map<String, Object> collateral = (Map<String, Object>) new SecureChannelHealthIndicator(monitor, cache).health().getDetails().get("collateral");

        assertThat(collateral).containsEntry("chains", 0).containsEntry("maxChains", 16);
        @SuppressWarnings("unchecked")
        Map<String, Object> crl = (Map<String, Object>) ((Map<String, Object>) collateral.get("crls")).get("Milan");
        assertThat(crl).containsEntry("fresh", true);
        assertThat((String) crl.get("nextUpdate")).startsWith("2026-05-12");
    }

    private Health health() {
        return new SecureChannelHealthIndicator(monitor).health();
    }

    private static AttestationVerifier withClaims(Map<String, String> claims) {
        return verifier(document -> {
            VerifiedAttestation real = InsecureMockAttestation.decode(document);
            return new VerifiedAttestation(real.documentHash(), real.publicKey().orElseThrow(), real.nonce().orElseThrow(), null,
                    Map.of(), real.platform(), true, claims);
        });
    }

    /** A mock-type verifier that answers with {@code verify}. */
    private static AttestationVerifier verifier(java.util.function.Function<AttestationDocument, VerifiedAttestation> verify) {
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
