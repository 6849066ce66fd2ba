package dev.securechannel.client.netty;

import static dev.securechannel.client.RefusingEndpoints.SILENT_TIMEOUT;
import static dev.securechannel.client.RefusingEndpoints.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.ConnectFailure;
import dev.securechannel.client.RefusingEndpoints;
import dev.securechannel.client.WebSocketConnectException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Reactor Netty connector names why a WebSocket could not be opened, against real listeners on loopback. */
@Timeout(30)
class ReactorNettyWebSocketConnectorFailureTest {

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
        assertThat(failure.getMessage()).contains("connection refused").contains("127.0.0.1:" + uri.getPort());
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void aNotFoundAtThePathIsAnUpgradeRefusedWith404ThatIsNotTransient() throws Exception {
        WebSocketConnectException failure = open(endpoints.httpStatus(404));

        assertThat(failure.failure()).isEqualTo(ConnectFailure.UPGRADE_REFUSED);
        assertThat(failure.httpStatus()).hasValue(404);
        assertThat(failure.getMessage()).contains("HTTP 404");
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
    void anUpgradeWithoutTheSubprotocolIsRefused() throws Exception {
        WebSocketConnectException failure = open(endpoints.upgradeWithoutSubprotocol());

        assertThat(failure.failure()).isEqualTo(ConnectFailure.SUBPROTOCOL_REFUSED);
        assertThat(failure.getMessage()).contains("cmt.v4").contains("it selected none");
        assertThat(failure.isTransient()).isFalse();
    }

    @Test
    void aServerThatNeverAnswersTimesOutNamingTheTimeout() throws Exception {
        WebSocketConnectException failure = open(endpoints.silent(), SILENT_TIMEOUT);

        assertThat(failure.failure()).isEqualTo(ConnectFailure.TIMEOUT);
        assertThat(failure.timeout()).hasValue(SILENT_TIMEOUT);
        assertThat(failure.getMessage()).contains("no WebSocket upgrade response within the connect timeout of " + SILENT_TIMEOUT);
        assertThat(failure.isTransient()).isTrue();
    }

    @Test
    void anUntrustedCertificateIsATlsFailure() throws Exception {
        WebSocketConnectException failure = open(endpoints.untrustedTls());

        assertThat(failure.failure()).isEqualTo(ConnectFailure.TLS);
        assertThat(failure.getMessage()).contains("TLS handshake with localhost:");
        assertThat(failure.isTransient()).isFalse();
    }

    private static WebSocketConnectException open(URI uri) {
        return open(uri, TIMEOUT);
    }

    private static WebSocketConnectException open(URI uri, Duration timeout) {
        return RefusingEndpoints.failureOf(new ReactorNettyWebSocketConnector(), uri, timeout);
    }
}
