package dev.securechannel.internal.client;

import static dev.securechannel.client.RefusingEndpoints.SILENT_TIMEOUT;
import static dev.securechannel.client.RefusingEndpoints.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securechannel.client.ConnectFailure;
import dev.securechannel.client.RefusingEndpoints;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnectException;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.handshake.SessionConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK connector names why a WebSocket could not be opened, against real listeners on
 * loopback, and the client retries only what may pass.
 */
@Timeout(30)
class JdkWebSocketConnectorFailureTest {

    private final RefusingEndpoints endpoints = new RefusingEndpoints();

    @AfterEach
    void stop() throws IOException {
        endpoints.close();
    }

    @Test
    void aClosedPortIsConnectionRefusedNamingHostAndPort() throws Exception {
        URI uri = endpoints.closedPort();

        WebSocketConnectException failure = open(uri);

        assertThat(failure.failure()).isEqualTo(ConnectFailure.CONNECTION_REFUSED);
        assertThat(failure.getMessage()).contains("connection refused").contains("127.0.0.1:" + uri.getPort())
                .doesNotContain("null");
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void aNotFoundAtThePathIsAnUpgradeRefusedWith404ThatIsNotTransient() throws Exception {
        WebSocketConnectException failure = open(endpoints.httpStatus(404));

        assertThat(failure.failure()).isEqualTo(ConnectFailure.UPGRADE_REFUSED);
        assertThat(failure.httpStatus()).hasValue(404);
        assertThat(failure.getMessage()).contains("HTTP 404").contains("no WebSocket endpoint at that path");
        assertThat(failure.isTransient()).isFalse();
    }

    @Test
    void aForbiddenUpgradeCarries403() throws Exception {
        WebSocketConnectException failure = open(endpoints.httpStatus(403));

        assertThat(failure.failure()).isEqualTo(ConnectFailure.UPGRADE_REFUSED);
        assertThat(failure.httpStatus()).hasValue(403);
        assertThat(failure.isTransient()).isFalse();
    }

    @Test
    void aServiceUnavailableUpgradeIsTransient() throws Exception {
        WebSocketConnectException failure = open(endpoints.httpStatus(503));

        assertThat(failure.httpStatus()).hasValue(503);
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void anUpgradeWithoutTheSubprotocolIsRefused() throws Exception {
        WebSocketConnectException failure = open(endpoints.upgradeWithoutSubprotocol());

        assertThat(failure.failure()).isEqualTo(ConnectFailure.SUBPROTOCOL_REFUSED);
        assertThat(failure.getMessage()).contains("cmt.v4").contains("not a secure-channel endpoint");
        assertThat(failure.isTransient()).isFalse();
    }

    @Test
    void aServerThatNeverAnswersTimesOutNamingTheTimeout() throws Exception {
        WebSocketConnectException failure = open(endpoints.silent(), SILENT_TIMEOUT);

        assertThat(failure.failure()).isEqualTo(ConnectFailure.TIMEOUT);
        assertThat(failure.timeout()).hasValue(SILENT_TIMEOUT);
        assertThat(failure.getMessage()).contains("within the connect timeout of " + SILENT_TIMEOUT);
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void anUntrustedCertificateIsATlsFailure() throws Exception {
        WebSocketConnectException failure = open(endpoints.untrustedTls());

        assertThat(failure.failure()).isEqualTo(ConnectFailure.TLS);
        assertThat(failure.getMessage()).contains("TLS handshake with localhost:");
        assertThat(failure.isTransient()).isFalse();
    }

    @Test
    void theClientDoesNotRetryAWrongPath() throws Exception {
        URI uri = endpoints.httpStatus(404);
        CountingConnector connector = new CountingConnector();

        try (SecureChannelClient client = client(uri, connector)) {
            WebSocketConnectException failure = catchThrowableOfType(WebSocketConnectException.class, client::connect);
            assertThat(failure.httpStatus()).hasValue(404);
        }
        assertThat(connector.opens.get()).isEqualTo(1);
    }

    @Test
    void theClientRetriesARefusedConnectionAndSurfacesTheNamedCause() throws Exception {
        URI uri = endpoints.closedPort();
        CountingConnector connector = new CountingConnector();

        try (SecureChannelClient client = client(uri, connector)) {
            WebSocketConnectException failure = catchThrowableOfType(WebSocketConnectException.class, client::connect);
            assertThat(failure.failure()).isEqualTo(ConnectFailure.CONNECTION_REFUSED);
        }
        assertThat(connector.opens.get()).isEqualTo(3);
    }

    private static WebSocketConnectException open(URI uri) {
        return open(uri, TIMEOUT);
    }

    private static WebSocketConnectException open(URI uri, Duration timeout) {
        return RefusingEndpoints.failureOf(new JdkWebSocketConnector(), uri, timeout);
    }

    private static SecureChannelClient client(URI uri, WebSocketConnector connector) {
        return SecureChannelClient.builder(uri, SessionConfig.insecureDevelopment()).connector(connector)
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20), 2.0))
                .connectTimeout(TIMEOUT).build();
    }

    /** The JDK connector, counting opens. */
    private static final class CountingConnector implements WebSocketConnector {

        final AtomicInteger opens = new AtomicInteger();
        private final JdkWebSocketConnector delegate = new JdkWebSocketConnector();

        @Override
        public dev.securechannel.transport.ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events)
                throws java.io.IOException {
            opens.incrementAndGet();
            return delegate.open(uri, timeout, maxMessageSize, events);
        }
    }
}
