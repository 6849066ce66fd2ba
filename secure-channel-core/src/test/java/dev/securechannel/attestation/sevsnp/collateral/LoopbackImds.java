package dev.securechannel.attestation.sevsnp.collateral;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a loopback port that answers like Azure IMDS THIM: only GET
 * {@code /metadata/THIM/amd/certification} with {@code Metadata: true} gets the configured
 * answer; a request without the header gets HTTP 400 as IMDS gives it.
 */
public final class LoopbackImds implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger requestsWithoutMetadataHeader = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = "{}";

    private LoopbackImds() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metadata/THIM/amd/certification", this::handle);
        server.start();
    }

    public static LoopbackImds start() {
        try {
            return new LoopbackImds();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A THIM answer: the VCEK, the ASK and ARK, the TCB, and the extra fields Azure also sends. */
    public static String thimJson(String vcekPem, String chainPem, String tcbm) {
        return "{\"vcekCert\":\"" + escape(vcekPem) + "\",\"tcbm\":\"" + tcbm + "\",\"certificateChain\":\"" + escape(chainPem)
                + "\",\"cacheControl\":\"86400\",\"extra\":{\"nested\":[1,2,{\"deep\":true}]}}";
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void respond(int statusCode, String responseBody) {
        status = statusCode;
        body = responseBody;
    }

    /** Requests that carried {@code Metadata: true}. */
    public int requests() {
        return requests.get();
    }

    public int requestsWithoutMetadataHeader() {
        return requestsWithoutMetadataHeader.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"true".equals(exchange.getRequestHeaders().getFirst("Metadata"))) {
                requestsWithoutMetadataHeader.incrementAndGet();
                send(exchange, 400, "{\"error\":\"Bad request. Required metadata header not specified\"}");
                return;
            }
            requests.incrementAndGet();
            send(exchange, status, body);
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int statusCode, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(statusCode, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
