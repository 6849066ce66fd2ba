package dev.securechannel.attestation.sevsnp.collateral;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Azure's Instance Metadata Service certificate cache (THIM) for the VM's own chip
 * (SEV-SNP.md section 5.7): {@code GET /metadata/THIM/amd/certification} with header
 * {@code Metadata: true}, from inside an Azure confidential VM only. The address is
 * link-local, so the request bypasses any proxy and uses short timeouts: outside Azure it fails
 * fast instead of hanging a handshake. THIM is a cache, not a trust anchor; the verifier still
 * checks the chain. Thread-safe.
 */
public final class ImdsThimClient {

    /** The IMDS address, the same in every Azure VM. */
    public static final URI DEFAULT_BASE_URI = URI.create("http://169.254.169.254");
    /** The THIM path below the base. */
    public static final String CERTIFICATION_PATH = "/metadata/THIM/amd/certification";
    /** IMDS answers locally within milliseconds; anything slower means it is not there. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final JsonFactory STRICT_JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final HttpClient http;
    private final URI endpoint;
    private final Duration timeout;

    /** The real IMDS with {@link #DEFAULT_TIMEOUT}. */
    public ImdsThimClient() {
        this(DEFAULT_BASE_URI, DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUri scheme, host and port of IMDS, normally {@link #DEFAULT_BASE_URI}
     * @param timeout connect and response timeout
     */
    public ImdsThimClient(URI baseUri, Duration timeout) {
        String base = baseUri.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CERTIFICATION_PATH);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1) // IMDS speaks plain HTTP/1.1; no h2c upgrade attempt
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The full THIM URL this client requests. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Fetches the VCEK, its chain and its TCB.
     *
     * @throws IOException if IMDS is unreachable (not an Azure VM), answers anything but HTTP 200,
     *                     or the body is not a JSON object with string fields {@code vcekCert},
     *                     {@code certificateChain} and {@code tcbm}
     */
    public ThimCertification fetch() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Metadata", "true")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + endpoint);
        } catch (IOException e) {
            throw new IOException("Azure IMDS at " + endpoint + " is unreachable (is this an Azure confidential VM?): " + e, e);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (response.statusCode() != 200) {
            throw new IOException("Azure IMDS answered HTTP " + response.statusCode() + " for " + endpoint);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("Azure IMDS response exceeds " + MAX_RESPONSE_BYTES + " bytes");
        }
        return certification(body);
    }

    /**
     * Reads a THIM certification response body, apart from the network so that it can be tested
     * (and fuzzed) on bytes alone.
     *
     * @throws IOException if the body is not a strict JSON object with non-blank string fields
     *                     {@code vcekCert}, {@code certificateChain} and a 16-hex-digit {@code tcbm}
     */
    static ThimCertification certification(byte[] body) throws IOException {
        Map<String, String> fields = topLevelStrings(body);
        try {
            return new ThimCertification(required(fields, "vcekCert"), required(fields, "certificateChain"), required(fields, "tcbm"));
        } catch (IllegalArgumentException e) {
            throw new IOException("Azure IMDS THIM response: " + e.getMessage(), e);
        }
    }

    /** The string members of one strict JSON object; other members are skipped. */
    private static Map<String, String> topLevelStrings(byte[] body) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser parser = STRICT_JSON.createParser(ObjectReadContext.empty(), body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("Azure IMDS THIM response is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    fields.put(name, parser.getString());
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new IOException("Azure IMDS THIM response has data after its JSON object");
            }
        } catch (JacksonException e) {
            throw new IOException("Azure IMDS THIM response is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String name) throws IOException {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new IOException("Azure IMDS THIM response lacks the string field '" + name + "'");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ImdsThimClient[" + endpoint + "]";
    }
}
