package dev.securechannel.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code securechannel} health contributor: UP while the latest local attestation check
 * succeeded, DOWN with the failure reason otherwise, UNKNOWN before the first check. Reads the
 * {@link LocalAttestationMonitor}'s latest outcome and never attests itself. Details name the
 * provider and platform and say whether it is secure (the mock is not).
 */
public class SecureChannelHealthIndicator implements HealthIndicator {

    private final LocalAttestationMonitor monitor;

    /** An indicator reporting {@code monitor}'s checks. */
    public SecureChannelHealthIndicator(LocalAttestationMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        LocalAttestationStatus status = monitor.status();
        Health.Builder health = !status.checked() ? Health.unknown() : status.healthy() ? Health.up() : Health.down();
        health.withDetail("provider", status.provider())
                .withDetail("platform", status.platform())
                .withDetail("secure", status.secure());
        if (!status.secure()) {
            health.withDetail("warning", "insecure attestation: proves nothing, for development only");
        }
        if (status.failure() != null) {
            health.withDetail("reason", status.failure());
        }
        if (status.error() != null) {
            health.withDetail("error", status.error());
        }
        if (status.measurement() != null) {
            health.withDetail("measurement", status.measurement());
        }
        if (status.lastEvidence() != null) {
            health.withDetail("lastEvidence", status.lastEvidence().toString());
        }
        if (status.checkedAt() != null) {
            health.withDetail("checkedAt", status.checkedAt().toString());
        }
        return health.build();
    }
}
