package dev.securechannel.client.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.server.EchoApplication;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One client with the default Reactor Netty connector holds more sessions at once than Reactor
 * Netty's default connection pool allows (500): the connector opens each WebSocket on its own
 * connection, outside any pool. With the pool, the 501st session waited for a pooled
 * connection that never came back and failed at its connect timeout.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
            "spring.main.web-application-type=reactive"})
class ManyOpenSessionsTest {

    private static final int SESSIONS = 520;

    @LocalServerPort
    int port;

    @Test
    @Timeout(180)
    void oneClientHoldsMoreSessionsThanReactorNettysDefaultPool() throws Exception {
        List<ClientSession> sessions = Collections.synchronizedList(new ArrayList<>());
        ExecutorService openers = Executors.newFixedThreadPool(4);
        try (SecureChannelClient client = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"),
                        SessionConfig.insecureDevelopment())
                .connector(new ReactorNettyWebSocketConnector())
                .connectTimeout(Duration.ofSeconds(20))
                .retryPolicy(RetryPolicy.none()).build()) {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                opened.add(openers.submit(() -> sessions.add(client.connect())));
            }
            for (Future<?> future : opened) {
                future.get();
            }
            assertThat(sessions).hasSize(SESSIONS);
            for (int i = 0; i < SESSIONS; i++) {
                byte[] payload = {(byte) i, (byte) (i >> 8)};
                assertThat(((Message.Data) sessions.get(i).request(payload, Duration.ofSeconds(20))).payload()).as("session %d", i)
                        .isEqualTo(payload);
            }
        } finally {
            sessions.forEach(ClientSession::close);
            openers.shutdownNow();
        }
    }
}
