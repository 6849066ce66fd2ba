package dev.securechannel.client;

import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;
import org.assertj.core.api.Assertions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Real listeners on random loopback ports that refuse a WebSocket client in each way the
 * client must name: nothing listening, an HTTP status, an upgrade without the subprotocol, a
 * server that never answers, a certificate nobody trusts. Closing stops them all. Shared with the
 * other modules' connector tests through the core's test jar.
 */
public final class RefusingEndpoints implements AutoCloseable {

    /**
     * The connect timeout for {@link #silent()}, the one endpoint whose failure is the timeout:
     * waited in full, so short.
     */
    public static final Duration SILENT_TIMEOUT = Duration.ofMillis(800);
    /**
     * The connect timeout for every other endpoint: they answer at once, so a generous timeout
     * keeps a loaded machine from reporting their refusals as timeouts.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<Closeable> open = new CopyOnWriteArrayList<>();

    /** A port on which nothing listens: bound, then released. */
    public URI closedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("ws://127.0.0.1:" + port + "/secure-channel");
    }

    /** A JDK HTTP server answering every request with {@code status}. */
    public URI httpStatus(int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/secure-channel");
    }

    /** Accepts the TCP connection and reads the upgrade request, but never answers. */
    public URI silent() throws IOException {
        return raw(socket -> readHeaders(socket));
    }

    /** Completes a valid WebSocket upgrade that selects no subprotocol, as a generic WebSocket server would. */
    public URI upgradeWithoutSubprotocol() throws IOException {
        return raw(socket -> {
            String key = headerValue(readHeaders(socket), "sec-websocket-key");
            String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
            socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        });
    }

    /** A TLS listener whose certificate is self-signed, so no default trust store accepts it. */
    public URI untrustedTls() throws IOException, GeneralSecurityException, OperatorCreationException {
        SSLServerSocketFactory factory = selfSignedContext().getServerSocketFactory();
        ServerSocket server = factory.createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        serve(server, socket -> readHeaders(socket));
        return URI.create("wss://localhost:" + server.getLocalPort() + "/secure-channel");
    }

    private URI raw(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        serve(server, handler);
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/secure-channel");
    }

    private void serve(ServerSocket server, Handler handler) {
        open.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    handler.handle(socket);
                } catch (IOException closedOrBroken) {
                    // The server was closed by the test, or a client gave up: nothing to serve.
                }
            }
        }, "refusing-endpoint-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static List<String> readHeaders(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int previous = -1;
        for (int next = in.read(); next >= 0; next = in.read()) {
            if (previous == '\r' && next == '\n') {
                line.setLength(line.length() - 1);
                if (line.length() == 0) {
                    return lines;
                }
                lines.add(line.toString());
                line.setLength(0);
            } else {
                line.append((char) next);
            }
            previous = next;
        }
        return lines;
    }

    private static String headerValue(List<String> headers, String name) {
        return headers.stream()
                .filter(header -> header.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(header -> header.substring(name.length() + 1).trim())
                .findFirst().orElseThrow();
    }

    /** RFC 6455 section 4.2.2: the accept value proves the server read this handshake. */
    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext selfSignedContext() throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keyPair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                name, keyPair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "unused".toCharArray();
        keyStore.setKeyEntry("server", keyPair.getPrivate(), password, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() throws IOException {
        for (Closeable closeable : open) {
            closeable.close();
        }
    }

    /** What {@code connector} throws opening {@code uri} within {@code timeout}; fails the test if it opens. */
    public static WebSocketConnectException failureOf(WebSocketConnector connector, URI uri, Duration timeout) {
        return Assertions.catchThrowableOfType(WebSocketConnectException.class,
                () -> connector.open(uri, timeout, 1 << 16, new NoEvents()));
    }

    /** Events of a connection that never opens. */
    private static final class NoEvents implements WebSocketConnector.Events {

        @Override
        public void onBinary(byte[] message) {
        }

        @Override
        public void onText() {
        }

        @Override
        public void onOversized() {
        }

        @Override
        public void onClosed(int code, String reason) {
        }
    }

    /** Serves one accepted connection. */
    @FunctionalInterface
    private interface Handler {
        void handle(Socket socket) throws IOException;
    }
}
