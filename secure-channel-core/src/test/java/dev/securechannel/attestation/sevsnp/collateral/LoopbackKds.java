package dev.securechannel.attestation.sevsnp.collateral;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on a loopback port that answers like AMD KDS from the fixture files:
 * {@code /vcek/v1/<P>/cert_chain} and {@code /crl} from {@code amd-kds/<P>/},
 * {@code /vlek/v1/<P>/cert_chain} from go-sev-guest's VLEK trust files, and VCEKs registered per
 * exact path and query (404 otherwise). It records every request with its arrival time and can
 * answer the next requests with HTTP 429.
 */
public final class LoopbackKds implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String pathAndQuery, long arrivalNanos) {
    }

    private static final Pattern CHAIN = Pattern.compile("/(vcek|vlek)/v1/(Milan|Genoa|Turin)/cert_chain");
    private static final Pattern CRL = Pattern.compile("/vcek/v1/(Milan|Genoa|Turin)/crl");

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, byte[]> vceks = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimitedAnswers = new AtomicInteger();
    private volatile String retryAfter = "";

    private LoopbackKds() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on a free loopback port. */
    public static LoopbackKds start() {
        try {
            return new LoopbackKds();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URI to give a client. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code der} for exactly this path and query, for example {@code /vcek/v1/Milan/<hwid>?blSPL=...}. */
    public void serveVcek(String pathAndQuery, byte[] der) {
        vceks.put(pathAndQuery, der.clone());
    }

    /** Answers the next {@code count} requests with HTTP 429 and this {@code Retry-After} (none if empty). */
    public void rateLimitNext(int count, String retryAfterValue) {
        retryAfter = retryAfterValue;
        rateLimitedAnswers.set(count);
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The paths and queries of every request so far. */
    public List<String> paths() {
        return requests().stream().map(Request::pathAndQuery).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrival = System.nanoTime();
        URI uri = exchange.getRequestURI();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        synchronized (this) {
            requests.add(new Request(pathAndQuery, arrival));
        }
        try {
            if (rateLimitedAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (!retryAfter.isEmpty()) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(429, -1);
                return;
            }
            byte[] body = body(uri.getRawPath(), pathAndQuery);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    private byte[] body(String path, String pathAndQuery) {
        Matcher chain = CHAIN.matcher(path);
        if (chain.matches()) {
            String product = chain.group(2);
            return chain.group(1).equals("vcek")
                    ? SnpFixtureFiles.bytes("amd-kds/" + product + "/cert_chain.pem")
                    : SnpFixtureFiles.bytes("go-sev-guest/verify/trust/ask_ark_" + product.toLowerCase(java.util.Locale.ROOT) + "_vlek.pem");
        }
        Matcher crl = CRL.matcher(path);
        if (crl.matches()) {
            return SnpFixtureFiles.bytes("amd-kds/" + crl.group(1) + "/crl.der");
        }
        return vceks.get(pathAndQuery);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
