package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.SecureChannelException;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * CONFORMANCE N16, second half: the server restarts while a client holds an open session.
 * The client's session ends with a typed error (no hang, no message delivered from a dead
 * session), and the client's next request reconnects to the new server with a fresh
 * handshake, a new session that the new server counts exactly once.
 */
@Timeout(60)
class ServerRestartTest {

    private static final Duration REPLY = Duration.ofSeconds(5);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"servlet", "reactive"})
    void aRestartedServerEndsTheOldSessionCleanlyAndTheClientReconnectsWithAFreshHandshake(String stack) throws Exception {
        int port = freePort();
        ConfigurableApplicationContext server = start(stack, port);
        try (SecureChannelClient client = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"),
                        SessionConfig.insecureDevelopment())
                .retryPolicy(new RetryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(250), 2.0))
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            ClientSession before = client.sharedSession();
            assertThat(((Message.Data) before.request("before".getBytes(), REPLY)).text()).isEqualTo("before");
            String oldSession = before.displayId();

            server.close();
            awaitClosed(before);
            assertThatThrownBy(() -> before.request("lost".getBytes(), REPLY))
                    .isInstanceOfAny(SecureChannelException.class, IOException.class);

            server = start(stack, port);
            Message reply = client.request("after".getBytes(), REPLY);
            assertThat(((Message.Data) reply).text()).isEqualTo("after");
            ClientSession after = client.sharedSession();
            assertThat(after).isNotSameAs(before);
            assertThat(after.displayId()).isNotEqualTo(oldSession);
            assertThat(server.getBean(ConnectionRegistry.class).openSessions()).isEqualTo(1);
        } finally {
            server.close();
        }
    }

    private static ConfigurableApplicationContext start(String stack, int port) {
        return new SpringApplicationBuilder(EchoApplication.class)
                .properties("server.port=" + port, "spring.main.web-application-type=" + stack, "spring.main.banner-mode=off",
                        "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
                .run();
    }

    private static void awaitClosed(ClientSession session) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (session.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(session.isOpen()).as("session open after the server stopped").isFalse();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
