package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securechannel.client.ConnectFailure;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnectException;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A client pointed at a real secure-channel server but the wrong path hears "HTTP 404", with
 * either connector, and does not retry: the path will not appear by itself.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
            "spring.main.web-application-type=servlet"})
@Timeout(30)
class WrongPathTest {

    @LocalServerPort
    int port;

    static Stream<Arguments> connectors() {
        return Stream.of(
                Arguments.of("jdk", (Supplier<WebSocketConnector>) JdkWebSocketConnector::new),
                Arguments.of("reactor-netty", (Supplier<WebSocketConnector>) ReactorNettyWebSocketConnector::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectors")
    void aWrongPathIsA404ThatIsNotRetried(String name, Supplier<WebSocketConnector> connectors) {
        CountingConnector connector = new CountingConnector(connectors.get());
        URI wrongPath = URI.create("ws://127.0.0.1:" + port + "/secure-chanel");

        try (SecureChannelClient client = SecureChannelClient.builder(wrongPath, SessionConfig.insecureDevelopment())
                .connector(connector).retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20), 2.0))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            WebSocketConnectException failure = catchThrowableOfType(WebSocketConnectException.class, client::connect);

            assertThat(failure.failure()).isEqualTo(ConnectFailure.UPGRADE_REFUSED);
            assertThat(failure.httpStatus()).hasValue(404);
            assertThat(failure.getMessage()).contains(wrongPath.toString()).contains("HTTP 404");
        }
        assertThat(connector.opens.get()).isEqualTo(1);
    }

    /** Counts opens of another connector. */
    private static final class CountingConnector implements WebSocketConnector {

        final AtomicInteger opens = new AtomicInteger();
        private final WebSocketConnector delegate;

        CountingConnector(WebSocketConnector delegate) {
            this.delegate = delegate;
        }

        @Override
        public ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events) throws IOException {
            opens.incrementAndGet();
            return delegate.open(uri, timeout, maxMessageSize, events);
        }
    }
}
