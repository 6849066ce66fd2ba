package dev.securechannel.attestation.sevsnp.collateral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import dev.securechannel.internal.sevsnp.SnpReport;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The collateral cache in front of the real KDS client and a loopback KDS, with an injected clock. */
class CollateralCacheTest {

    /** Every fixture CRL is current and every VCEK valid at this time (SEV-SNP.md section 8). */
    private static final Instant JANUARY_2026 = Instant.parse("2026-01-01T00:00:00Z");
    /** The Milan CRL's nextUpdate. */
    private static final Instant MILAN_CRL_NEXT_UPDATE = Instant.parse("2026-05-12T00:00:00Z");

    private final LoopbackKds kds = LoopbackKds.start();
    private final AmdKdsClient client = new AmdKdsClient(kds.baseUri(), Duration.ZERO, Duration.ofSeconds(5));
    private final MutableClock clock = new MutableClock(JANUARY_2026);
    private final SnpReport milanReport = SnpReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.MILAN_V3_REPORT));
    private final X509Certificate milanVcek = SnpFixtureFiles.certificate(SnpFixtureFiles.MILAN_V3_VCEK);

    @AfterEach
    void stopServer() {
        kds.close();
    }

    @Test
    void twoLookupsOfOneChipAndTcbReachKdsOnce() throws Exception {
        String vcekPath = serveMilanVcek(milanReport.reportedTcb());
        CollateralCache cache = CollateralCache.of(client, clock);

        List<X509Certificate> first = cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb());
        List<X509Certificate> second = cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb());

        assertThat(second).isEqualTo(first).first().isEqualTo(milanVcek);
        assertThat(kds.paths()).containsExactly(vcekPath, "/vcek/v1/Milan/cert_chain");
        CollateralSnapshot snapshot = cache.snapshot();
        assertThat(snapshot.chainEntries()).isEqualTo(1);
        assertThat(snapshot.chainHits()).isEqualTo(1);
        assertThat(snapshot.chainMisses()).isEqualTo(1);
        assertThat(snapshot.lastChainFetch()).isEqualTo(JANUARY_2026);
        assertThat(snapshot.lastRefresh()).isEqualTo(JANUARY_2026);
    }

    @Test
    void anotherTcbOfTheSameChipIsAnotherEntry() throws Exception {
        TcbVersion newer = TcbVersion.milanGenoa(4, 0, 25, 219);
        serveMilanVcek(milanReport.reportedTcb());
        serveMilanVcek(newer); // the same certificate at a second URL is enough to count requests
        CollateralCache cache = CollateralCache.of(client, clock);

        cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb());
        cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), newer);

        assertThat(kds.paths()).filteredOn(path -> path.contains("SPL=")).hasSize(2);
        assertThat(cache.snapshot().chainMisses()).isEqualTo(2);
        assertThat(cache.snapshot().chainEntries()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedChainIsEvictedBeyondTheLimit() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        List<X509Certificate> chain = List.of(milanVcek);
        CollateralCache cache = new CollateralCache((product, chipId, tcb) -> {
            fetches.incrementAndGet();
            return chain;
        }, CrlSource.none(), clock, 2, CollateralCache.DEFAULT_CRL_MAX_AGE);
        byte[] chipId = milanReport.chipId();

        cache.chainFor(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(1, 0, 1, 1));
        cache.chainFor(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(2, 0, 2, 2));
        cache.chainFor(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(1, 0, 1, 1)); // hit: now the most recent
        cache.chainFor(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(3, 0, 3, 3)); // evicts TCB 2
        assertThat(fetches).hasValue(3);

        cache.chainFor(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(1, 0, 1, 1));
        assertThat(fetches).hasValue(3);
        cache.chainFor(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(2, 0, 2, 2));
        assertThat(fetches).hasValue(4);
        assertThat(cache.snapshot().chainEntries()).isEqualTo(2);
    }

    @Test
    void aChainWhoseVcekExpiredIsFetchedAgain() throws Exception {
        serveMilanVcek(milanReport.reportedTcb());
        CollateralCache cache = CollateralCache.of(client, clock);
        cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb());

        clock.set(milanVcek.getNotAfter().toInstant().plusSeconds(1));
        cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb());

        assertThat(cache.snapshot().chainMisses()).isEqualTo(2);
    }

    @Test
    void concurrentMissesForOneChipFetchOnce() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CollateralCache cache = new CollateralCache((product, chipId, tcb) -> {
            fetches.incrementAndGet();
            awaitQuietly(release);
            return List.of(milanVcek);
        }, CrlSource.none(), clock, 16, CollateralCache.DEFAULT_CRL_MAX_AGE);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<X509Certificate>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(callers.submit(() -> cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb())));
            }
            Thread.sleep(200); // let every caller reach the cache
            release.countDown();
            for (Future<List<X509Certificate>> result : results) {
                assertThat(result.get()).containsExactly(milanVcek);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(fetches).hasValue(1);
        assertThat(cache.snapshot().chainHits()).isEqualTo(7);
    }

    @Test
    void aFailedFetchIsCountedAndNotCached() {
        CollateralCache cache = new CollateralCache((product, chipId, tcb) -> {
            throw new IOException("KDS down");
        }, CrlSource.none(), clock, 16, CollateralCache.DEFAULT_CRL_MAX_AGE);

        assertThatThrownBy(() -> cache.chainFor(SnpProduct.MILAN, milanReport.chipId(), milanReport.reportedTcb()))
                .hasMessage("KDS down");
        assertThat(cache.snapshot().upstreamFailures()).isEqualTo(1);
        assertThat(cache.snapshot().chainEntries()).isZero();
    }

    @Test
    void theCrlIsServedUntilItsNextUpdateThenFetchedAgain() throws Exception {
        CollateralCache cache = CollateralCache.of(client, clock);

        Optional<byte[]> first = cache.crlDer(SnpProduct.MILAN);
        clock.set(JANUARY_2026.plus(Duration.ofHours(12)));
        cache.crlDer(SnpProduct.MILAN);
        assertThat(kds.paths()).containsExactly("/vcek/v1/Milan/crl");
        assertThat(first).hasValueSatisfying(der -> assertThat(der).isEqualTo(SnpFixtureFiles.bytes("amd-kds/Milan/crl.der")));
        CollateralSnapshot.CrlStatus status = cache.snapshot().crls().get(SnpProduct.MILAN);
        assertThat(status.nextUpdate()).isEqualTo(MILAN_CRL_NEXT_UPDATE);
        assertThat(status.fetchedAt()).isEqualTo(JANUARY_2026);
        assertThat(status.fresh()).isTrue();

        clock.set(MILAN_CRL_NEXT_UPDATE.plusSeconds(1));
        assertThat(cache.snapshot().crls().get(SnpProduct.MILAN).fresh()).isFalse();
        cache.crlDer(SnpProduct.MILAN);

        assertThat(kds.paths()).containsExactly("/vcek/v1/Milan/crl", "/vcek/v1/Milan/crl");
        assertThat(cache.snapshot().crls().get(SnpProduct.MILAN).fetchedAt()).isEqualTo(MILAN_CRL_NEXT_UPDATE.plusSeconds(1));
    }

    @Test
    void theCrlIsFetchedAgainAfterItsMaximumAgeEvenBeforeNextUpdate() throws Exception {
        CollateralCache cache = new CollateralCache(client, client, clock, 16, Duration.ofDays(7));
        cache.crlDer(SnpProduct.GENOA);

        clock.set(JANUARY_2026.plus(Duration.ofDays(6)));
        cache.crlDer(SnpProduct.GENOA);
        clock.set(JANUARY_2026.plus(Duration.ofDays(8)));
        cache.crlDer(SnpProduct.GENOA);

        assertThat(kds.paths()).containsExactly("/vcek/v1/Genoa/crl", "/vcek/v1/Genoa/crl");
    }

    @Test
    void aFailedRefreshBeforeNextUpdateKeepsServingTheCachedCrl() throws Exception {
        byte[] milanCrl = SnpFixtureFiles.bytes("amd-kds/Milan/crl.der");
        AtomicInteger calls = new AtomicInteger();
        CrlSource flaky = product -> {
            if (calls.incrementAndGet() > 1) {
                throw new IOException("KDS down");
            }
            return Optional.of(milanCrl);
        };
        CollateralCache cache = new CollateralCache((p, c, t) -> List.of(), flaky, clock, 16, Duration.ofDays(1));
        cache.crlDer(SnpProduct.MILAN);

        clock.set(JANUARY_2026.plus(Duration.ofDays(2))); // due by age, still before nextUpdate
        assertThat(cache.crlDer(SnpProduct.MILAN)).hasValueSatisfying(der -> assertThat(der).isEqualTo(milanCrl));
        assertThat(cache.snapshot().upstreamFailures()).isEqualTo(1);

        clock.set(MILAN_CRL_NEXT_UPDATE.plusSeconds(1)); // past nextUpdate: the failure must show
        assertThatThrownBy(() -> cache.crlDer(SnpProduct.MILAN)).hasMessage("KDS down");
    }

    @Test
    void aCrlThatArrivesAlreadyStaleIsNotRefetchedAtOnce() throws Exception {
        clock.set(Instant.parse("2026-11-27T00:00:00Z")); // every fixture CRL is past nextUpdate
        CollateralCache cache = CollateralCache.of(client, clock);

        cache.crlDer(SnpProduct.TURIN);
        cache.crlDer(SnpProduct.TURIN);
        assertThat(kds.paths()).hasSize(1);

        clock.advance(CollateralCache.MIN_CRL_REFETCH_INTERVAL.plusSeconds(1));
        cache.crlDer(SnpProduct.TURIN);
        assertThat(kds.paths()).hasSize(2);
    }

    @Test
    void crlsArePerProduct() throws Exception {
        CollateralCache cache = CollateralCache.of(client, clock);

        cache.crlDer(SnpProduct.MILAN);
        cache.crlDer(SnpProduct.GENOA);
        cache.crlDer(SnpProduct.MILAN);

        assertThat(kds.paths()).containsExactly("/vcek/v1/Milan/crl", "/vcek/v1/Genoa/crl");
        assertThat(cache.snapshot().crls()).containsOnlyKeys(SnpProduct.MILAN, SnpProduct.GENOA);
        assertThat(cache.snapshot().crls().get(SnpProduct.GENOA).nextUpdate()).isEqualTo(Instant.parse("2026-10-31T20:30:00Z"));
    }

    private String serveMilanVcek(TcbVersion tcb) throws Exception {
        java.net.URI uri = client.vcekUri(SnpProduct.MILAN, milanReport.chipId(), tcb);
        String path = uri.getRawPath() + "?" + uri.getRawQuery();
        kds.serveVcek(path, milanVcek.getEncoded());
        return path;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
