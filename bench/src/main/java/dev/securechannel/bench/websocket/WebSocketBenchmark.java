package dev.securechannel.bench.websocket;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.session.Message;
import dev.securechannel.transport.ConnectionTransport;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Secure channel versus plain binary WebSocket over loopback, on the same server stack and the
 * same client, so the ratio isolates what the channel costs (sealing, opening, framing):
 * the round trip of a 1536 B message, and one-way throughput of bursts (client to server and
 * server to client). Each stack runs in this JVM, as the reference's in-process figures do.
 *
 * <p>Scores are microseconds per message; throughput in bytes/s is {@code size / score}.
 *
 * <p>The forks run with {@code -Dio.netty.noUnsafe=false}, as the README advises for Reactor
 * Netty on JDK 24 and later: Netty 4.2 otherwise stops using {@code sun.misc.Unsafe} there, and
 * its fallback buffer access halves the speed of the server's unmasking, which dominates plain
 * uploads. The property changes nothing on JDK 17, where Netty uses Unsafe anyway; the
 * plain and secure endpoints run under the same setting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-Dio.netty.noUnsafe=false", "--enable-native-access=ALL-UNNAMED"})
public class WebSocketBenchmark {

    /** Messages per throughput burst: 16 MiB of 1 MiB messages. */
    static final int BURST = 16;

    /** Server stack: servlet (Tomcat), jetty (Jetty, servlet too) or reactive (Reactor Netty); see {@link ServerStack}. */
    @Param({"servlet", "jetty", "reactive"})
    public String stack;

    /** Client: the JDK's java.net.http.WebSocket or Reactor Netty's. */
    @Param({"jdk", "netty"})
    public String client;

    /** plain (no crypto, same framing of messages) or secure (the channel). */
    @Param({"plain", "secure"})
    public String mode;

    private ConfigurableApplicationContext server;
    private Endpoint endpoint;
    private byte[] small;
    private byte[] large;
    private byte[] sync;
    private byte[] download;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = BenchServerApplication.start(ServerStack.of(stack));
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        WebSocketConnector connector = "netty".equals(client) ? new ReactorNettyWebSocketConnector() : new JdkWebSocketConnector();
        endpoint = "secure".equals(mode)
                ? new SecureEndpoint(URI.create("ws://127.0.0.1:" + port + "/secure-channel"), connector)
                : new PlainEndpoint(URI.create("ws://127.0.0.1:" + port + "/plain"), connector);
        small = new byte[1536];
        small[0] = BenchCommands.ECHO;
        large = new byte[1024 * 1024];
        large[0] = BenchCommands.SINK;
        sync = new byte[] {BenchCommands.SYNC};
        download = BenchCommands.download(BURST, large.length);
        // Fail fast if the wiring is wrong rather than measuring an error path.
        if (endpoint.request(small).length != small.length) {
            throw new IllegalStateException("echo broken");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        endpoint.close();
        server.close();
    }

    /** Send 1536 B, wait for the echo. */
    @Benchmark
    public byte[] roundTrip1536() throws Exception {
        return endpoint.request(small);
    }

    /** Client to server: a burst of 1 MiB messages, then a sync that proves all arrived. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public byte[] upload1MiB() throws Exception {
        for (int i = 0; i < BURST; i++) {
            endpoint.send(large);
        }
        return endpoint.request(sync);
    }

    /** Server to client: ask for a burst of 1 MiB messages and receive them all. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public byte[] download1MiB() throws Exception {
        byte[] last = endpoint.request(download);
        for (int i = 1; i < BURST; i++) {
            last = endpoint.receive();
        }
        return last;
    }

    /** What the benchmark needs of either kind of connection. */
    interface Endpoint extends AutoCloseable {
        void send(byte[] message) throws Exception;

        byte[] receive() throws Exception;

        default byte[] request(byte[] message) throws Exception {
            send(message);
            return receive();
        }

        /** Closes the connection; never interrupted, so it declares no exception. */
        @Override
        void close();
    }

    /** A raw binary WebSocket on one of the project's connectors, with no channel on top. */
    static final class PlainEndpoint implements Endpoint {

        private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
        private final ConnectionTransport transport;

        PlainEndpoint(URI uri, WebSocketConnector connector) throws Exception {
            transport = connector.open(uri, Duration.ofSeconds(10), BenchServerApplication.MAX_MESSAGE, new WebSocketConnector.Events() {
                @Override
                public void onBinary(byte[] message) {
                    inbox.add(message);
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
            });
        }

        @Override
        public void send(byte[] message) throws Exception {
            transport.send(message);
        }

        @Override
        public byte[] receive() throws Exception {
            byte[] message = inbox.poll(30, TimeUnit.SECONDS);
            if (message == null) {
                throw new IllegalStateException("no reply");
            }
            return message;
        }

        @Override
        public void close() {
            transport.close(1000, "done");
        }
    }

    /** A secure-channel session on the same connector. */
    static final class SecureEndpoint implements Endpoint {

        private final SecureChannelClient client;
        private final ClientSession session;

        SecureEndpoint(URI uri, WebSocketConnector connector) throws Exception {
            SessionConfig config = SessionConfig.builder()
                    .securityProfile(dev.securechannel.handshake.SecurityProfile.DEVELOPMENT)
                    .attestationProvider(new dev.securechannel.attestation.InsecureMockAttestationProvider())
                    .attestationVerifier(new dev.securechannel.attestation.InsecureMockAttestationVerifier())
                    .maxPayloadLength(BenchServerApplication.MAX_MESSAGE)
                    .build();
            client = SecureChannelClient.builder(uri, config).connector(connector).retryPolicy(RetryPolicy.none()).build();
            session = client.connect();
        }

        @Override
        public void send(byte[] message) throws Exception {
            session.send(message);
        }

        @Override
        public byte[] receive() throws Exception {
            return ((Message.Data) session.receive(Duration.ofSeconds(30))).payload();
        }

        @Override
        public void close() {
            session.close();
            client.close();
        }
    }
}
