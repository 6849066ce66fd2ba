package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.FailureReason;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * What every WebSocket scenario class shares, whatever the stack: the endpoint's address, the
 * recording handler and observer, the server's {@link ConnectionRegistry}, and the three checks
 * every bad-input test makes (close code, nothing delivered, an honest client still served).
 *
 * <p>Each test starts and ends with no connection in the registry and every opened session
 * reported closed, so no test can see another's leftovers, and every test also checks that it
 * leaked nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class EndpointScenarioSupport {

    static final SessionConfig CLIENT_CONFIG = SessionConfig.insecureDevelopment();

    private static final Set<Integer> WARMED_UP_PORTS = ConcurrentHashMap.newKeySet();

    @LocalServerPort
    int port;

    @Autowired
    RecordingEchoHandler application;

    @Autowired
    RecordingObserver observer;

    @Autowired
    ConnectionRegistry registry;

    @Autowired
    ApplicationContext context;

    /** Whether the server under test is Reactor Netty (WebFlux) rather than a servlet container. */
    boolean reactive() {
        return context instanceof ReactiveWebApplicationContext;
    }

    @BeforeEach
    void startFromAnEmptyServer() {
        if (WARMED_UP_PORTS.add(port)) {
            warmUp();
        }
        awaitNoConnectionLeft();
        application.reset();
        observer.reset();
    }

    @AfterEach
    void leaveNoConnectionBehind() {
        awaitNoConnectionLeft();
    }

    /**
     * Runs honest handshakes until one succeeds. The first handshakes of a JVM and of a server
     * load classes and run interpreted code, and may exceed the strict servers' 1.5 s handshake
     * timeout; without this, whichever test came first would pay for that.
     */
    private void warmUp() {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                assertServesHonestClient();
                return;
            } catch (Exception | AssertionError coldStart) {
                // Try again: the next handshake runs on loaded classes.
            }
        }
    }

    URI endpoint() {
        return URI.create("ws://127.0.0.1:" + port + "/secure-channel");
    }

    RawWebSocketPeer connectRaw() {
        return RawWebSocketPeer.connect(endpoint());
    }

    /** Waits until the registry holds no connection and no pending handshake, and every opened session was closed. */
    void awaitNoConnectionLeft() {
        await("no connection left in the registry").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    assertThat(registry.connections()).as("connections").isEmpty();
                    assertThat(registry.pendingHandshakes()).as("pending handshakes").isZero();
                    assertThat(application.everyOpenedSessionClosed()).as("every opened session reported closed").isTrue();
                });
    }

    /** The handshake never completed, so the application saw nothing at all; the server recorded why it failed. */
    void assertApplicationSawNothingAndHandshakeFailedWith(FailureReason reason) {
        await("handshake failure recorded").atMost(RawWebSocketPeer.WAIT)
                .until(() -> !observer.handshakeFailures().isEmpty());
        assertThat(observer.handshakeFailures()).containsExactly(reason);
        assertThat(application.openCount()).as("sessions opened").isZero();
        assertThat(application.deliveries()).as("messages delivered").isEmpty();
        assertThat(application.closeReasons()).as("sessions closed").isEmpty();
    }

    /**
     * The attacker's session opened (its handshake was honest), nothing was delivered, and the
     * application was told the session ended with {@code reason}.
     */
    void assertApplicationSawOnlyTheFailure(FailureReason reason) {
        assertApplicationSawDeliveriesThenFailure(reason);
    }

    /** Exactly {@code expectedTexts} were delivered, then the session ended with {@code reason}. */
    void assertApplicationSawDeliveriesThenFailure(FailureReason reason, String... expectedTexts) {
        CloseReason close = awaitApplicationClose();
        assertThat(close).isEqualTo(CloseReason.failed(reason));
        assertThat(application.openCount()).as("sessions opened").isEqualTo(1);
        assertThat(application.deliveredTexts()).as("messages delivered").containsExactly(expectedTexts);
    }

    /** Waits for the one close reported to the application. */
    CloseReason awaitApplicationClose() {
        await("the application's onClose").atMost(RawWebSocketPeer.WAIT)
                .until(() -> !application.closeReasons().isEmpty());
        assertThat(application.closeReasons()).hasSize(1);
        return application.closeReasons().get(0);
    }

    /** An honest client connects, gets its request echoed, and shuts down cleanly. */
    void assertServesHonestClient() throws Exception {
        assertServesHonestClient(RetryPolicy.none());
    }

    void assertServesHonestClient(RetryPolicy retryPolicy) throws Exception {
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint(), CLIENT_CONFIG).retryPolicy(retryPolicy).build();
             ClientSession session = client.connect()) {
            String request = "honest " + UUID.randomUUID();
            Message reply = session.request(request.getBytes(java.nio.charset.StandardCharsets.UTF_8), RawWebSocketPeer.WAIT);
            assertThat(reply).isInstanceOf(Message.Data.class);
            assertThat(((Message.Data) reply).text()).isEqualTo(request);
        }
    }
}
