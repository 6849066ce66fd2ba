package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.DefaultClientSession;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.session.Message;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The client reconnects on I/O failures with backoff, and never after an authentication
 * failure (CONFORMANCE G6, G7, N22), against a real Tomcat endpoint.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
            "spring.main.web-application-type=servlet"})
@Timeout(30)
class ClientReconnectTest {

    private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), 2.0);

    @LocalServerPort
    int port;

    @Test
    void aReachableServerTakesOneAttempt() throws Exception {
        CountingConnector connector = new CountingConnector(0);
        try (SecureChannelClient client = client(endpoint(), SessionConfig.insecureDevelopment(), connector);
             ClientSession session = client.connect()) {
            assertThat(session.isOpen()).isTrue();
        }
        assertThat(connector.opens.get()).isEqualTo(1);
    }

    @Test
    void twoIoFailuresThenSuccessTakeThreeAttempts() throws Exception {
        CountingConnector connector = new CountingConnector(2);
        try (SecureChannelClient client = client(endpoint(), SessionConfig.insecureDevelopment(), connector);
             ClientSession session = client.connect()) {
            assertThat(((Message.Data) session.request(new byte[] {1}, Duration.ofSeconds(5))).payload()).containsExactly(1);
        }
        assertThat(connector.opens.get()).isEqualTo(3);
    }

    @Test
    void exhaustedRetriesSurfaceTheLastIoError() {
        CountingConnector connector = new CountingConnector(0);
        try (SecureChannelClient client = client(URI.create("ws://127.0.0.1:9/secure-channel"), SessionConfig.insecureDevelopment(), connector)) {
            assertThatThrownBy(client::connect).isInstanceOf(IOException.class);
        }
        assertThat(connector.opens.get()).isEqualTo(3);
    }

    @Test
    void aMeasurementFailureIsNotRetried() {
        SessionConfig demandingMeasurements = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .expectedMeasurements(ExpectedMeasurements.fromHex(Map.of(0, "00ff")))
                .build();
        CountingConnector connector = new CountingConnector(0);
        try (SecureChannelClient client = client(endpoint(), demandingMeasurements, connector)) {
            assertThatThrownBy(client::connect).isInstanceOf(SecureChannelException.class)
                    .extracting(e -> ((SecureChannelException) e).reason()).isEqualTo(FailureReason.MEASUREMENT_MISSING);
        }
        assertThat(connector.opens.get()).isEqualTo(1);
    }

    @Test
    void theSharedSessionIsReopenedAfterItBreaks() throws Exception {
        try (SecureChannelClient client = client(endpoint(), SessionConfig.insecureDevelopment(), new CountingConnector(0))) {
            ClientSession first = client.sharedSession();
            ((DefaultClientSession) first).connection().fail(FailureReason.INTERNAL_ERROR);
            Message reply = client.request("again".getBytes(), Duration.ofSeconds(5));
            assertThat(((Message.Data) reply).text()).isEqualTo("again");
            assertThat(client.sharedSession()).isNotSameAs(first);
        }
    }

    private URI endpoint() {
        return URI.create("ws://127.0.0.1:" + port + "/secure-channel");
    }

    private static SecureChannelClient client(URI uri, SessionConfig config, WebSocketConnector connector) {
        return SecureChannelClient.builder(uri, config).connector(connector).retryPolicy(FAST)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** The JDK connector, failing its first {@code failures} opens with an I/O error and counting every open. */
    private static final class CountingConnector implements WebSocketConnector {

        final AtomicInteger opens = new AtomicInteger();
        private final int failures;
        private final JdkWebSocketConnector delegate = new JdkWebSocketConnector();

        CountingConnector(int failures) {
            this.failures = failures;
        }

        @Override
        public ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events) throws IOException {
            if (opens.incrementAndGet() <= failures) {
                throw new IOException("simulated connection refused");
            }
            return delegate.open(uri, timeout, maxMessageSize, events);
        }
    }
}
