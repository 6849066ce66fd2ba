package dev.securechannel.attestation.sevsnp.collateral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import dev.securechannel.internal.sevsnp.SnpReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The KDS client against a real loopback HTTP server that serves the AMD fixture files. */
class AmdKdsClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final LoopbackKds kds = LoopbackKds.start();
    private final AmdKdsClient client = new AmdKdsClient(kds.baseUri(), Duration.ZERO, TIMEOUT);

    @AfterEach
    void stopServer() {
        kds.close();
    }

    @Test
    void milanVcekUrlCarriesTheWholeChipIdAndFourSpls() {
        SnpReport report = SnpReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.MILAN_V3_REPORT));

        URI uri = client.vcekUri(SnpProduct.MILAN, report.chipId(), report.reportedTcb());

        assertThat(pathAndQuery(uri)).isEqualTo("/vcek/v1/Milan/" + HexFormat.of().formatHex(report.chipId())
                + "?blSPL=4&teeSPL=0&snpSPL=24&ucodeSPL=219");
        assertThat(uri.getPath()).hasSize("/vcek/v1/Milan/".length() + 128);
    }

    @Test
    void genoaVcekUrlUsesTheGenoaPath() {
        SnpReport report = SnpReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.GENOA_V5_REPORT));

        URI uri = client.vcekUri(SnpProduct.GENOA, report.chipId(), report.reportedTcb());

        assertThat(pathAndQuery(uri)).isEqualTo("/vcek/v1/Genoa/" + HexFormat.of().formatHex(report.chipId())
                + "?blSPL=10&teeSPL=0&snpSPL=25&ucodeSPL=84");
    }

    @Test
    void turinVcekUrlHasAnEightByteHwidAndTheFmcSpl() {
        byte[] chipId = new byte[64];
        System.arraycopy(HexFormat.of().parseHex("3b42092f69c656d3"), 0, chipId, 0, 8);
        // The brief's Turin example: TCB bytes 00 01 00 02 00 00 00 47.
        TcbVersion tcb = TcbVersion.of(HexFormat.of().parseHex("0001000200000047"), TcbVersion.Layout.TURIN);

        URI uri = client.vcekUri(SnpProduct.TURIN, chipId, tcb);

        assertThat(pathAndQuery(uri)).isEqualTo("/vcek/v1/Turin/3b42092f69c656d3?fmcSPL=0&blSPL=1&teeSPL=0&snpSPL=2&ucodeSPL=71");
    }

    @Test
    void aTurinTcbReadInTheMilanLayoutIsReReadAsTurin() {
        byte[] chipId = new byte[64];
        System.arraycopy(HexFormat.of().parseHex("3b42092f69c656d3"), 0, chipId, 0, 8);
        TcbVersion asAVersionTwoReportWouldGiveIt = TcbVersion.of(HexFormat.of().parseHex("0001000200000047"), TcbVersion.Layout.MILAN_GENOA);

        assertThat(pathAndQuery(client.vcekUri(SnpProduct.TURIN, chipId, asAVersionTwoReportWouldGiveIt)))
                .endsWith("?fmcSPL=0&blSPL=1&teeSPL=0&snpSPL=2&ucodeSPL=71");
    }

    @Test
    void fetchesTheTurinVcekFromItsUrl() throws Exception {
        X509Certificate turinVcek = SnpFixtureFiles.certificate(SnpFixtureFiles.TURIN_VCEK);
        byte[] chipId = new byte[64];
        System.arraycopy(HexFormat.of().parseHex("1e550a8ee5cf9f4d"), 0, chipId, 0, 8);
        kds.serveVcek("/vcek/v1/Turin/1e550a8ee5cf9f4d?fmcSPL=0&blSPL=0&teeSPL=0&snpSPL=0&ucodeSPL=9", turinVcek.getEncoded());

        X509Certificate fetched = client.vcek(SnpProduct.TURIN, chipId, TcbVersion.turin(0, 0, 0, 0, 9));

        assertThat(fetched).isEqualTo(turinVcek);
    }

    @Test
    void chainForFetchesTheVcekThenAskAndArk() throws Exception {
        SnpReport report = SnpReport.parse(SnpFixtureFiles.bytes(SnpFixtureFiles.MILAN_V3_REPORT));
        X509Certificate vcek = SnpFixtureFiles.certificate(SnpFixtureFiles.MILAN_V3_VCEK);
        String vcekPath = pathAndQuery(client.vcekUri(SnpProduct.MILAN, report.chipId(), report.reportedTcb()));
        kds.serveVcek(vcekPath, vcek.getEncoded());

        List<X509Certificate> chain = client.chainFor(SnpProduct.MILAN, report.chipId(), report.reportedTcb());

        assertThat(chain).containsExactly(vcek,
                SnpFixtureFiles.certificate("amd-kds/Milan/ask.pem"),
                SnpFixtureFiles.certificate("amd-kds/Milan/ark.pem"));
        assertThat(kds.paths()).containsExactly(vcekPath, "/vcek/v1/Milan/cert_chain");
    }

    @Test
    void fetchesEachProductsCrlAndChains() throws Exception {
        for (SnpProduct product : SnpProduct.values()) {
            assertThat(client.crlDer(product)).hasValueSatisfying(
                    der -> assertThat(der).isEqualTo(SnpFixtureFiles.bytes("amd-kds/" + product.kdsName() + "/crl.der")));
            assertThat(client.certChain(product)).extracting(certificate -> certificate.getSubjectX500Principal().getName())
                    .allMatch(name -> name.contains(product.kdsName()));
        }
        List<X509Certificate> vlekChain = client.vlekChain(SnpProduct.MILAN);
        assertThat(vlekChain.get(0).getSubjectX500Principal().getName()).contains("CN=SEV-VLEK-Milan");
        assertThat(kds.paths()).contains("/vcek/v1/Turin/crl", "/vcek/v1/Genoa/cert_chain", "/vlek/v1/Milan/cert_chain");
    }

    @Test
    void requestsAreSpacedByTheMinimumEvenFromConcurrentCallers() throws Exception {
        // 1 warm-up request, then 4 measured ones from two threads.
        Duration spacing = Duration.ofMillis(300);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AmdKdsClient paced = new AmdKdsClient(http, kds.baseUri(), spacing, TIMEOUT, java.time.Clock.systemUTC());
        long beforeWarmUp = System.nanoTime();
        paced.certChain(SnpProduct.MILAN); // opens the connection, so that no measured request pays for it
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(callers.submit(() -> paced.certChain(SnpProduct.MILAN)));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
        // The client spaces the starts of its requests: the k-th after the warm-up starts no sooner
        // than k spacings after the warm-up started, and arrives later still. Only lower bounds,
        // which a loaded machine's delays cannot break (gaps between arrivals can shrink when one
        // request is delayed more than the next); unpaced, all four would arrive within milliseconds.
        List<LoopbackKds.Request> requests = kds.requests().subList(1, 5);
        for (int k = 1; k <= requests.size(); k++) {
            long sinceWarmUp = requests.get(k - 1).arrivalNanos() - beforeWarmUp;
            assertThat(Duration.ofNanos(sinceWarmUp)).as("request %d after the warm-up", k).isGreaterThanOrEqualTo(spacing.multipliedBy(k));
        }
    }

    @Test
    void http429IsATypedErrorAndNoFurtherRequestIsSentUntilRetryAfter() throws Exception {
        kds.rateLimitNext(1, "1");

        assertThatThrownBy(() -> client.certChain(SnpProduct.GENOA))
                .isInstanceOfSatisfying(KdsRateLimitedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(e.sent()).isTrue();
                });
        assertThatThrownBy(() -> client.crlDer(SnpProduct.GENOA))
                .isInstanceOfSatisfying(KdsRateLimitedException.class, e -> {
                    assertThat(e.sent()).isFalse();
                    assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
                });
        assertThat(kds.requests()).hasSize(1); // the second call never reached the server

        Thread.sleep(1100);
        assertThat(client.certChain(SnpProduct.GENOA)).hasSize(2);
        assertThat(kds.requests()).hasSize(2);
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredWithTheInjectedClock() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        AmdKdsClient clocked = new AmdKdsClient(HttpClient.newHttpClient(), kds.baseUri(), Duration.ZERO, TIMEOUT, new MutableClock(now));
        kds.rateLimitNext(1, DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(120).atOffset(ZoneOffset.UTC)));

        assertThatThrownBy(() -> clocked.crlDer(SnpProduct.MILAN))
                .isInstanceOfSatisfying(KdsRateLimitedException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
    }

    @Test
    void http429WithoutRetryAfterBacksOffByTheDefault() {
        kds.rateLimitNext(1, "");

        assertThatThrownBy(() -> client.crlDer(SnpProduct.TURIN))
                .isInstanceOfSatisfying(KdsRateLimitedException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(AmdKdsClient.DEFAULT_BACKOFF_SECONDS)));
    }

    @Test
    void anUnknownChipIsA404() {
        byte[] chipId = new byte[64];
        chipId[0] = 1;

        assertThatThrownBy(() -> client.vcek(SnpProduct.MILAN, chipId, TcbVersion.milanGenoa(1, 0, 1, 1)))
                .isInstanceOfSatisfying(KdsResponseException.class, e -> assertThat(e.statusCode()).isEqualTo(404))
                .hasMessageContaining("/vcek/v1/Milan/01");
    }

    @Test
    void aMaskedChipIdIsRefusedWithoutARequest() {
        assertThatThrownBy(() -> client.chainFor(SnpProduct.GENOA, new byte[64], TcbVersion.milanGenoa(1, 0, 1, 1)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("masked");
        assertThat(kds.requests()).isEmpty();
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
