package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a {@link CollateralCache}, for health indicators and metrics.
 *
 * @param chainEntries     VCEK chains held now
 * @param maxChainEntries  the most chains the cache holds before evicting the least recently used
 * @param chainHits        chain look-ups answered from the cache
 * @param chainMisses      chain look-ups that went upstream
 * @param upstreamFailures upstream fetches (chains and CRLs) that failed
 * @param lastChainFetch   when a chain was last fetched upstream, or {@code null} if never
 * @param crls             the CRL held per product; products never asked for are absent
 */
public record CollateralSnapshot(
        int chainEntries,
        int maxChainEntries,
        long chainHits,
        long chainMisses,
        long upstreamFailures,
        @Nullable Instant lastChainFetch,
        Map<SnpProduct, CrlStatus> crls) {

    public CollateralSnapshot {
        crls = Map.copyOf(crls);
    }

    /** The latest upstream fetch of anything, or {@code null} if there was none. */
    public @Nullable Instant lastRefresh() {
        Instant latest = lastChainFetch;
        for (CrlStatus crl : crls.values()) {
            if (latest == null || crl.fetchedAt().isAfter(latest)) {
                latest = crl.fetchedAt();
            }
        }
        return latest;
    }

    /**
     * The CRL held for one product.
     *
     * @param fetchedAt  when it was fetched
     * @param thisUpdate its thisUpdate
     * @param nextUpdate its nextUpdate, after which it is refetched; {@code null} if it has none
     * @param fresh      whether the cache would serve it now without refetching
     */
    public record CrlStatus(Instant fetchedAt, Instant thisUpdate, @Nullable Instant nextUpdate, boolean fresh) {
    }
}
