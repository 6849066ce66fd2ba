package dev.securechannel.bench.websocket;

import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * The handshake over loopback WebSocket, as a client meets it: per operation a new
 * connection (TCP, WebSocket upgrade), the secure channel's three-message handshake with mock
 * attestation, and the first reply (a 1-byte echo), then the close. The first reply is part of
 * the operation because the client is established when it sends its confirmation, the server
 * only when it has checked it; the reply proves both are. The plain baseline opens the same
 * kind of WebSocket to the plain endpoint and waits for the same echo, so the difference is
 * what the secure channel's handshake costs on that stack.
 *
 * <p>Both sides generate their ephemeral keys inline: the client runs a plain
 * {@link SessionConfig}, the server the starter's defaults (key pool off). Sampled per
 * operation for the percentiles of section 2 of the report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-Dio.netty.noUnsafe=false", "--enable-native-access=ALL-UNNAMED"})
public class WebSocketHandshakeBenchmark {

    private static final byte[] ECHO = {BenchCommands.ECHO};
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Server stack, as in {@link WebSocketBenchmark}: servlet (Tomcat), jetty or reactive (Reactor Netty). */
    @Param({"servlet", "jetty", "reactive"})
    public String stack;

    /** Client: the JDK's java.net.http.WebSocket or Reactor Netty's. */
    @Param({"netty", "jdk"})
    public String client;

    /** secure (upgrade, handshake, first echo) or plain (upgrade, first echo). */
    @Param({"secure", "plain"})
    public String mode;

    private ConfigurableApplicationContext server;
    private WebSocketConnector connector;
    private SecureChannelClient secureClient;
    private URI plainUri;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = BenchServerApplication.start(ServerStack.of(stack));
        String base = "ws://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort();
        connector = "netty".equals(client) ? new ReactorNettyWebSocketConnector() : new JdkWebSocketConnector();
        plainUri = URI.create(base + "/plain");
        SessionConfig config = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .build();
        secureClient = SecureChannelClient.builder(URI.create(base + "/secure-channel"), config)
                .connector(connector).retryPolicy(RetryPolicy.none()).build();
        // Fail fast if the wiring is wrong rather than measuring an error path.
        if (connectAndEcho().length != 1) {
            throw new IllegalStateException("echo broken");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        secureClient.close();
        server.close();
    }

    /** New connection, handshake (secure only), first 1-byte echo, close. */
    @Benchmark
    public byte[] connectAndEcho() throws Exception {
        if ("secure".equals(mode)) {
            try (ClientSession session = secureClient.connect()) {
                return ((Message.Data) session.request(ECHO, TIMEOUT)).payload();
            }
        }
        try (WebSocketBenchmark.Endpoint plain = new WebSocketBenchmark.PlainEndpoint(plainUri, connector)) {
            return plain.request(ECHO);
        }
    }
}
