package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Caches collateral in front of a slow or rate-limited source (normally {@link AmdKdsClient}):
 * <ul>
 *   <li>VCEK chains by product, chip ID and REPORTED_TCB. A VCEK never changes for a chip at a
 *       TCB, so an entry stays until its VCEK expires or, beyond {@code maxChainEntries}, it is
 *       the least recently used.</li>
 *   <li>One CRL per product, served until its nextUpdate (or until {@code crlMaxAge} after the
 *       fetch, so that a revocation AMD publishes early is picked up), then fetched again. If a
 *       refetch fails while the old CRL is still before its nextUpdate, the old one is served; past
 *       nextUpdate the failure is reported. A CRL that arrives already past its nextUpdate is
 *       not refetched for {@link #MIN_CRL_REFETCH_INTERVAL}, so a stale upstream is not hammered.</li>
 * </ul>
 * Time comes from the injected {@link Clock}. Upstream fetches run one at a time and a second
 * caller for the same entry waits for the first instead of fetching twice. Thread-safe.
 */
public final class CollateralCache implements SnpCollateralSource, CrlSource {

    /** Chains kept by default: far more than the chips and TCBs one deployment meets. */
    public static final int DEFAULT_MAX_CHAIN_ENTRIES = 256;
    /** By default a CRL is refetched at least daily, whatever its nextUpdate says. */
    public static final Duration DEFAULT_CRL_MAX_AGE = Duration.ofDays(1);
    /** The least time between two fetches of one product's CRL. */
    public static final Duration MIN_CRL_REFETCH_INTERVAL = Duration.ofMinutes(10);

    private final SnpCollateralSource chainUpstream;
    private final CrlSource crlUpstream;
    private final Clock clock;
    private final int maxChainEntries;
    private final Duration crlMaxAge;

    /** Guards every field below. */
    private final Object state = new Object();
    /** Access-ordered, so iteration starts at the least recently used entry. */
    private final LinkedHashMap<ChainKey, List<X509Certificate>> chains = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<SnpProduct, CachedCrl> crls = new EnumMap<>(SnpProduct.class);
    private long chainHits;
    private long chainMisses;
    private long upstreamFailures;
    private @Nullable Instant lastChainFetch;

    /** Serialises upstream fetches, so that concurrent misses do not multiply requests. */
    private final ReentrantLock fetching = new ReentrantLock();

    /**
     * A cache of {@code upstream} with the default size and CRL age.
     *
     * @param upstream an {@link AmdKdsClient} or anything else that serves both
     */
    public static <T extends SnpCollateralSource & CrlSource> CollateralCache of(T upstream, Clock clock) {
        return new CollateralCache(upstream, upstream, clock, DEFAULT_MAX_CHAIN_ENTRIES, DEFAULT_CRL_MAX_AGE);
    }

    /**
     * @param chainUpstream   where VCEK chains come from on a miss
     * @param crlUpstream     where CRLs come from when the cached one is due
     * @param clock           the time for VCEK expiry and CRL freshness
     * @param maxChainEntries the most chains kept (at least 1)
     * @param crlMaxAge       the longest a CRL is served before it is fetched again, even if its
     *                        nextUpdate is later (positive)
     */
    public CollateralCache(SnpCollateralSource chainUpstream, CrlSource crlUpstream, Clock clock, int maxChainEntries, Duration crlMaxAge) {
        if (maxChainEntries < 1) {
            throw new IllegalArgumentException("maxChainEntries must be at least 1, not " + maxChainEntries);
        }
        if (crlMaxAge.isNegative() || crlMaxAge.isZero()) {
            throw new IllegalArgumentException("crlMaxAge must be positive");
        }
        this.chainUpstream = chainUpstream;
        this.crlUpstream = crlUpstream;
        this.clock = clock;
        this.maxChainEntries = maxChainEntries;
        this.crlMaxAge = crlMaxAge;
    }

    @Override
    public List<X509Certificate> chainFor(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) throws IOException {
        ChainKey key = ChainKey.of(product, chipId, reportedTcb);
        synchronized (state) {
            List<X509Certificate> cached = cachedChain(key);
            if (cached != null) {
                chainHits++;
                return cached;
            }
        }
        fetching.lock();
        try {
            synchronized (state) {
                // Another caller may have fetched it while this one waited for the lock.
                List<X509Certificate> cached = cachedChain(key);
                if (cached != null) {
                    chainHits++;
                    return cached;
                }
                chainMisses++;
            }
            List<X509Certificate> chain;
            try {
                chain = List.copyOf(chainUpstream.chainFor(product, chipId, reportedTcb));
            } catch (IOException | RuntimeException e) {
                synchronized (state) {
                    upstreamFailures++;
                }
                throw e;
            }
            if (chain.isEmpty()) {
                throw new IOException("the collateral source returned an empty chain for " + key);
            }
            synchronized (state) {
                lastChainFetch = clock.instant();
                chains.put(key, chain);
                evictBeyondLimit();
            }
            return chain;
        } finally {
            fetching.unlock();
        }
    }

    @Override
    public Optional<byte[]> crlDer(SnpProduct product) throws IOException {
        synchronized (state) {
            CachedCrl cached = crls.get(product);
            if (cached != null && cached.isFresh(clock.instant())) {
                return Optional.of(cached.der.clone());
            }
        }
        fetching.lock();
        try {
            CachedCrl previous;
            synchronized (state) {
                previous = crls.get(product);
                if (previous != null && previous.isFresh(clock.instant())) {
                    return Optional.of(previous.der.clone());
                }
            }
            Optional<byte[]> fetched;
            try {
                fetched = crlUpstream.crlDer(product);
            } catch (IOException | RuntimeException e) {
                synchronized (state) {
                    upstreamFailures++;
                }
                if (previous != null && previous.isBeforeNextUpdate(clock.instant())) {
                    return Optional.of(previous.der.clone());
                }
                throw e;
            }
            if (fetched.isEmpty()) {
                return previous != null && previous.isBeforeNextUpdate(clock.instant())
                        ? Optional.of(previous.der.clone())
                        : Optional.empty();
            }
            byte[] der = fetched.get().clone();
            X509CRL crl = X509Parsing.crl(der, product.kdsName() + " CRL from the collateral source");
            CachedCrl fresh = new CachedCrl(der, clock.instant(), crl.getThisUpdate().toInstant(),
                    crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant());
            synchronized (state) {
                crls.put(product, fresh);
            }
            return Optional.of(der.clone());
        } finally {
            fetching.unlock();
        }
    }

    /** Counters and the state of each CRL, for health and metrics. */
    public CollateralSnapshot snapshot() {
        synchronized (state) {
            Instant now = clock.instant();
            Map<SnpProduct, CollateralSnapshot.CrlStatus> crlStatus = new EnumMap<>(SnpProduct.class);
            crls.forEach((product, crl) -> crlStatus.put(product,
                    new CollateralSnapshot.CrlStatus(crl.fetchedAt, crl.thisUpdate, crl.nextUpdate, crl.isFresh(now))));
            return new CollateralSnapshot(chains.size(), maxChainEntries, chainHits, chainMisses, upstreamFailures, lastChainFetch, crlStatus);
        }
    }

    /** The cached chain if present and its VCEK not yet expired; expired entries are dropped. */
    private @Nullable List<X509Certificate> cachedChain(ChainKey key) {
        List<X509Certificate> chain = chains.get(key);
        if (chain == null) {
            return null;
        }
        if (!clock.instant().isBefore(chain.get(0).getNotAfter().toInstant())) {
            chains.remove(key);
            return null;
        }
        return chain;
    }

    private void evictBeyondLimit() {
        Iterator<ChainKey> leastRecentlyUsedFirst = chains.keySet().iterator();
        while (chains.size() > maxChainEntries) {
            leastRecentlyUsedFirst.next();
            leastRecentlyUsedFirst.remove();
        }
    }

    @Override
    public String toString() {
        return "CollateralCache[" + snapshot() + "]";
    }

    /** A VCEK's identity: the product, the part of the chip ID KDS uses, and the TCB in the product's layout. */
    private record ChainKey(SnpProduct product, String hwid, long tcb) {

        static ChainKey of(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) {
            int hwidLength = product.tcbLayout() == TcbVersion.Layout.TURIN ? 8 : 64;
            String hwid = HexFormat.of().formatHex(chipId, 0, Math.min(hwidLength, chipId.length));
            return new ChainKey(product, hwid, reportedTcb.withLayout(product.tcbLayout()).value());
        }

        @Override
        public String toString() {
            return product.kdsName() + "/" + hwid + " at TCB " + String.format("0x%016X", tcb);
        }
    }

    private final class CachedCrl {

        final byte[] der;
        final Instant fetchedAt;
        final Instant thisUpdate;
        final @Nullable Instant nextUpdate;

        CachedCrl(byte[] der, Instant fetchedAt, Instant thisUpdate, @Nullable Instant nextUpdate) {
            this.der = der;
            this.fetchedAt = fetchedAt;
            this.thisUpdate = thisUpdate;
            this.nextUpdate = nextUpdate;
        }

        boolean isBeforeNextUpdate(Instant now) {
            return nextUpdate != null && now.isBefore(nextUpdate);
        }

        boolean isFresh(Instant now) {
            if (isBeforeNextUpdate(now)) {
                return now.isBefore(fetchedAt.plus(crlMaxAge));
            }
            // Past nextUpdate: refetch, unless this very CRL already arrived stale and was
            // fetched moments ago; asking again at once would only repeat the same answer.
            boolean arrivedStale = !isBeforeNextUpdate(fetchedAt);
            return arrivedStale && now.isBefore(fetchedAt.plus(MIN_CRL_REFETCH_INTERVAL));
        }
    }
}
