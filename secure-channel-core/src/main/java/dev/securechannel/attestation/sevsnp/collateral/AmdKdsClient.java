package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client of AMD's Key Distribution Service (SEV-SNP.md section 3.2): the VCEK for a chip at a
 * TCB, the ASK/ARK and ASVK/ARK chains and the CRL of each product.
 *
 * <p>KDS throttles each client and answers HTTP 429 when asked too often, so this client
 * <ul>
 *   <li>spaces its requests at least {@code minRequestSpacing} apart (callers wait their turn,
 *       in arrival order);</li>
 *   <li>on HTTP 429 throws {@link KdsRateLimitedException} and sends nothing more until the
 *       server's {@code Retry-After} (seconds or HTTP date; {@value #DEFAULT_BACKOFF_SECONDS} s
 *       when absent, at most an hour) has passed, failing fast meanwhile;</li>
 *   <li>never retries on its own: a caller that needs a certificate again should go through a
 *       {@link CollateralCache}.</li>
 * </ul>
 * Responses are size-capped and must be HTTP 200. Thread-safe.
 */
public final class AmdKdsClient implements SnpCollateralSource, CrlSource {

    /** AMD's public KDS. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://kdsintf.amd.com");
    /**
     * The default gap between two requests. AMD publishes no figure; clients that fetched a
     * handful of VCEKs within minutes have been throttled, and with a cache in front the few
     * requests a process makes can afford to wait.
     */
    public static final Duration DEFAULT_MIN_REQUEST_SPACING = Duration.ofSeconds(2);
    /** The default connect and response timeout of one request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The back-off after an HTTP 429 without a usable {@code Retry-After}. */
    public static final long DEFAULT_BACKOFF_SECONDS = 60;

    /** The longest back-off a {@code Retry-After} can impose, whatever it says. */
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    /** A VCEK is about 1.4 KB, a chain about 4.5 KB, a CRL about 1 KB; anything far larger is not KDS. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final int MILAN_GENOA_HWID_BYTES = 64;
    private static final int TURIN_HWID_BYTES = 8;

    private final HttpClient http;
    private final URI baseUri;
    private final Duration minRequestSpacing;
    private final Duration requestTimeout;
    private final Clock clock;

    /** Fair, so that waiting callers are served in arrival order. Guards the two fields below. */
    private final ReentrantLock pacing = new ReentrantLock(true);
    private long nextRequestNanos = System.nanoTime();
    private long backoffUntilNanos = System.nanoTime();

    /** AMD's KDS with the default spacing and timeout. */
    public AmdKdsClient() {
        this(DEFAULT_BASE_URI, DEFAULT_MIN_REQUEST_SPACING, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param baseUri           scheme, host and optional path prefix, normally {@link #DEFAULT_BASE_URI}
     *                          (a mirror or a test server otherwise)
     * @param minRequestSpacing the least time between the starts of two requests
     * @param requestTimeout    connect and response timeout of each request
     */
    public AmdKdsClient(URI baseUri, Duration minRequestSpacing, Duration requestTimeout) {
        this(HttpClient.newBuilder()
                        .connectTimeout(requestTimeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build(),
                baseUri, minRequestSpacing, requestTimeout, Clock.systemUTC());
    }

    /**
     * @param http  the HTTP client (its proxy and TLS settings apply)
     * @param clock the clock that turns an HTTP-date {@code Retry-After} into a wait
     */
    public AmdKdsClient(HttpClient http, URI baseUri, Duration minRequestSpacing, Duration requestTimeout, Clock clock) {
        if (minRequestSpacing.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("spacing must not be negative and the timeout must be positive");
        }
        this.http = http;
        this.baseUri = withoutTrailingSlash(baseUri);
        this.minRequestSpacing = minRequestSpacing;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** The base URI requests go to. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * The VCEK URL for a chip at a TCB: {@code /vcek/v1/{Milan|Genoa}/{128 hex}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=}
     * or, for Turin, {@code /vcek/v1/Turin/{16 hex}?fmcSPL=&blSPL=&teeSPL=&snpSPL=&ucodeSPL=}, SPLs in
     * decimal. The TCB is read in the product's layout whatever layout it carries.
     *
     * @throws IllegalArgumentException if the chip ID is shorter than the product's hwID or the
     *                                  part used is all zero (a masked chip ID has no VCEK)
     */
    public URI vcekUri(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) {
        boolean turin = product.tcbLayout() == TcbVersion.Layout.TURIN;
        int hwidLength = turin ? TURIN_HWID_BYTES : MILAN_GENOA_HWID_BYTES;
        if (chipId.length < hwidLength) {
            throw new IllegalArgumentException("a " + product.kdsName() + " chip ID has at least " + hwidLength + " bytes, not " + chipId.length);
        }
        boolean masked = true;
        for (int i = 0; i < hwidLength; i++) {
            masked &= chipId[i] == 0;
        }
        if (masked) {
            throw new IllegalArgumentException("the chip ID is masked (all zero): KDS has no VCEK for it");
        }
        TcbVersion tcb = reportedTcb.withLayout(product.tcbLayout());
        StringBuilder path = new StringBuilder("/vcek/v1/").append(product.kdsName()).append('/')
                .append(HexFormat.of().formatHex(chipId, 0, hwidLength)).append('?');
        if (turin) {
            path.append("fmcSPL=").append(tcb.fmc().orElseThrow()).append('&');
        }
        path.append("blSPL=").append(tcb.bootloader())
                .append("&teeSPL=").append(tcb.tee())
                .append("&snpSPL=").append(tcb.snp())
                .append("&ucodeSPL=").append(tcb.microcode());
        return resolve(path.toString());
    }

    /**
     * Fetches the VCEK of a chip at a TCB (DER).
     *
     * @throws IllegalArgumentException see {@link #vcekUri}
     * @throws KdsResponseException     for a status other than 200 (404: KDS does not know the chip or TCB)
     */
    public X509Certificate vcek(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) throws IOException {
        URI uri = vcekUri(product, chipId, reportedTcb);
        List<X509Certificate> certificates = X509Parsing.certificates(get(uri), "VCEK from " + uri);
        if (certificates.size() != 1) {
            throw new IOException("KDS returned " + certificates.size() + " certificates for " + uri + " instead of one VCEK");
        }
        return certificates.get(0);
    }

    /** Fetches {@code /vcek/v1/{product}/cert_chain}: the ASK then the ARK. */
    public List<X509Certificate> certChain(SnpProduct product) throws IOException {
        return twoCertificateChain(resolve("/vcek/v1/" + product.kdsName() + "/cert_chain"));
    }

    /** Fetches {@code /vlek/v1/{product}/cert_chain}: the ASVK then the ARK. VLEKs themselves are not public. */
    public List<X509Certificate> vlekChain(SnpProduct product) throws IOException {
        return twoCertificateChain(resolve("/vlek/v1/" + product.kdsName() + "/cert_chain"));
    }

    /**
     * Fetches {@code /vcek/v1/{product}/crl} (DER, signed by the ARK). Never empty: KDS publishes a
     * CRL for every product, so a failure is an exception, not "none".
     */
    @Override
    public Optional<byte[]> crlDer(SnpProduct product) throws IOException {
        URI uri = resolve("/vcek/v1/" + product.kdsName() + "/crl");
        byte[] der = get(uri);
        X509Parsing.crl(der, "CRL from " + uri); // reject anything that is not a CRL before anyone caches it
        return Optional.of(der);
    }

    /** The VCEK followed by the product's ASK and ARK: two requests. */
    @Override
    public List<X509Certificate> chainFor(SnpProduct product, byte[] chipId, TcbVersion reportedTcb) throws IOException {
        X509Certificate vcek;
        try {
            vcek = vcek(product, chipId, reportedTcb);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot fetch a VCEK: " + e.getMessage(), e);
        }
        List<X509Certificate> chain = new ArrayList<>(3);
        chain.add(vcek);
        chain.addAll(certChain(product));
        return List.copyOf(chain);
    }

    private List<X509Certificate> twoCertificateChain(URI uri) throws IOException {
        List<X509Certificate> chain = X509Parsing.certificates(get(uri), "certificate chain from " + uri);
        if (chain.size() != 2) {
            throw new IOException("KDS returned " + chain.size() + " certificates for " + uri + " instead of two");
        }
        return chain;
    }

    /** One paced GET; returns the body of an HTTP 200. */
    private byte[] get(URI uri) throws IOException {
        awaitTurn(uri);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 429) {
                Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After"), clock.instant());
                startBackoff(retryAfter);
                throw new KdsRateLimitedException(uri, retryAfter, true);
            }
            if (status != 200) {
                throw new KdsResponseException(status, uri, "");
            }
            byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("response from " + uri + " exceeds " + MAX_RESPONSE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Waits until this request may start, or fails fast while backing off from a 429. */
    private void awaitTurn(URI uri) throws IOException {
        pacing.lock();
        try {
            long now = System.nanoTime();
            long backoffLeft = backoffUntilNanos - now;
            if (backoffLeft > 0) {
                throw new KdsRateLimitedException(uri, Duration.ofNanos(backoffLeft), false);
            }
            long wait = nextRequestNanos - now;
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            nextRequestNanos = System.nanoTime() + minRequestSpacing.toNanos();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send " + uri);
        } finally {
            pacing.unlock();
        }
    }

    private void startBackoff(Duration retryAfter) {
        pacing.lock();
        try {
            long until = System.nanoTime() + retryAfter.toNanos();
            backoffUntilNanos = Math.max(backoffUntilNanos, until);
            nextRequestNanos = Math.max(nextRequestNanos, until);
        } finally {
            pacing.unlock();
        }
    }

    /**
     * How long to back off after an HTTP 429 with this {@code Retry-After} (RFC 9110 section
     * 10.2.3), at most {@link #MAX_BACKOFF}: delta-seconds (ASCII digits only, however many), or
     * an IMF-fixdate (RFC 1123 form) counted from {@code now}, no wait if it has passed.
     * {@link #DEFAULT_BACKOFF_SECONDS} when the header is absent or neither form, including the
     * obsolete RFC 850 and asctime dates, which KDS does not send. Never throws.
     */
    static Duration retryAfter(Optional<String> header, Instant now) {
        Duration wait = Duration.ofSeconds(DEFAULT_BACKOFF_SECONDS);
        if (header.isPresent()) {
            String value = header.get().trim();
            if (isDeltaSeconds(value)) {
                wait = Duration.ofSeconds(saturatedSeconds(value));
            } else {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    wait = Duration.between(now, at);
                } catch (DateTimeParseException notADate) {
                    // keep the default
                }
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** {@code 1*DIGIT}: Long.parseLong would also take a sign and non-ASCII digits, which the grammar does not. */
    private static boolean isDeltaSeconds(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The digits' value, saturating at the cap: RFC 9111 section 1.2.2 has a delta-seconds too
     * large to represent mean 2^31 s, which is past the cap anyway, so no value may overflow into
     * a short wait.
     */
    private static long saturatedSeconds(String digits) {
        long seconds = 0;
        for (int i = 0; i < digits.length(); i++) {
            seconds = Math.min(seconds * 10 + (digits.charAt(i) - '0'), MAX_BACKOFF.getSeconds());
        }
        return seconds;
    }

    private URI resolve(String path) {
        return URI.create(baseUri + path);
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }

    @Override
    public String toString() {
        return "AmdKdsClient[" + baseUri + ", spacing " + minRequestSpacing.toMillis() + " ms]";
    }
}
