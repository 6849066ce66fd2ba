package dev.securechannel.health;

import dev.securechannel.actuate.endpoint.CryptoBackendDescriptor;
import dev.securechannel.attestation.LocalAttestationMonitor;
import dev.securechannel.attestation.LocalAttestationStatus;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.collateral.CollateralSnapshot;
import dev.securechannel.internal.crypto.CryptoBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code securechannel} health contributor: UP while the latest local attestation check
 * succeeded, DOWN with the failure reason otherwise, UNKNOWN before the first check. Reads the
 * {@link LocalAttestationMonitor}'s latest outcome and never attests itself. Details name the
 * provider and platform and say whether it is secure (the mock is not), and, when given, which
 * crypto backend runs and why.
 */
public class SecureChannelHealthIndicator implements HealthIndicator {

    private final LocalAttestationMonitor monitor;
    private final @Nullable CollateralCache collateral;
    private final @Nullable CryptoBackendDescriptor crypto;

    /** An indicator reporting {@code monitor}'s checks. */
    public SecureChannelHealthIndicator(LocalAttestationMonitor monitor) {
        this(monitor, null);
    }

    /**
     * An indicator reporting {@code monitor}'s checks and, for SEV-SNP, the state of the
     * certificate and CRL cache (which certificates are held, CRL freshness per product).
     */
    public SecureChannelHealthIndicator(LocalAttestationMonitor monitor, @Nullable CollateralCache collateral) {
        this(monitor, collateral, null);
    }

    /**
     * As above, also naming the crypto backend the sessions run on (detail {@code crypto}).
     *
     * @param crypto the backend, or {@code null} to leave it out
     */
    public SecureChannelHealthIndicator(LocalAttestationMonitor monitor, @Nullable CollateralCache collateral,
                                        @Nullable CryptoBackend crypto) {
        this.monitor = monitor;
        this.collateral = collateral;
        this.crypto = crypto == null ? null : CryptoBackendDescriptor.of(crypto);
    }

    @Override
    public Health health() {
        LocalAttestationStatus status = monitor.status();
        Health.Builder health = !status.checked() ? Health.unknown() : status.healthy() ? Health.up() : Health.down();
        health.withDetail("provider", status.provider())
                .withDetail("platform", status.platform())
                .withDetail("secure", status.secure());
        if (crypto != null) {
            health.withDetail("crypto", crypto);
        }
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
        if (!status.claims().isEmpty()) {
            health.withDetail("claims", new TreeMap<>(status.claims()));
        }
        if (collateral != null) {
            health.withDetail("collateral", collateralDetails(collateral.snapshot()));
        }
        return health.build();
    }

    private static Map<String, Object> collateralDetails(CollateralSnapshot snapshot) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("chains", snapshot.chainEntries());
        details.put("maxChains", snapshot.maxChainEntries());
        details.put("hits", snapshot.chainHits());
        details.put("misses", snapshot.chainMisses());
        details.put("upstreamFailures", snapshot.upstreamFailures());
        if (snapshot.lastRefresh() != null) {
            details.put("lastRefresh", snapshot.lastRefresh().toString());
        }
        Map<String, Object> crls = new TreeMap<>();
        snapshot.crls().forEach((product, crl) -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("fresh", crl.fresh());
            state.put("thisUpdate", crl.thisUpdate().toString());
            state.put("nextUpdate", crl.nextUpdate() == null ? null : crl.nextUpdate().toString());
            state.put("fetchedAt", crl.fetchedAt().toString());
            crls.put(product.kdsName(), state);
        });
        details.put("crls", crls);
        return details;
    }
}
