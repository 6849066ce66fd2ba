package dev.securechannel.readme;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.metrics.HandshakePhase;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import dev.securechannel.transport.TcpTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's plain-Java server records what a Spring Boot application records: real
 * sessions over TCP on the loopback interface, with a {@link MicrometerConnectionObserver} on
 * a {@link SimpleMeterRegistry} and nothing from Spring on the class path.
 */
@Timeout(60)
class MeteredTcpServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionConfig config = SessionConfig.insecureDevelopment();

    @Test
    void aSessionRecordsItsHandshakeFramesAndEnd() throws Exception {
        byte[] request = "hello".getBytes(UTF_8);
        try (MeteredTcpServer server = server()) {
            try (SecureChannel client = SecureChannel.connect(TcpTransport.connect(LOOPBACK.getHostAddress(), server.port(), Duration.ofSeconds(5)),
                    config)) {
                client.send(request);
                assertThat(client.receive()).isInstanceOfSatisfying(Message.Data.class,
                        reply -> assertThat(reply.payload()).isEqualTo(request));
                client.shutdown();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.find(MicrometerConnectionObserver.SESSIONS_CLOSED).functionCounter() != null);
        }
        // Closing the server published the frame timings its observer still held.

        assertThat(meters.get(MicrometerConnectionObserver.HANDSHAKE)
                .tags("role", "responder", "outcome", "success", "provider", "mock").timer().count()).isEqualTo(1);
        assertThat(meters.find(MicrometerConnectionObserver.HANDSHAKE_PHASE).tag("role", "responder").timers())
                .hasSize(HandshakePhase.values().length);
        assertThat(meters.get(MicrometerConnectionObserver.OPEN).tags("type", "data", "size", "le-2KiB").timer().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-2KiB").timer().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerConnectionObserver.WRITE).tags("type", "data").timer().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerConnectionObserver.TRAFFIC).tag("direction", "in").functionCounter().count())
                .isEqualTo(request.length);
        assertThat(meters.get(MicrometerConnectionObserver.SESSIONS_OPENED).tag("role", "responder").functionCounter().count())
                .isEqualTo(1);
        assertThat(meters.get(MicrometerConnectionObserver.SESSIONS_CLOSED).tags("role", "responder", "reason", "shutdown")
                .functionCounter().count()).isEqualTo(1);
        assertThat(meters.get(MicrometerConnectionObserver.SESSIONS_ACTIVE).tag("role", "responder").gauge().value()).isZero();
    }

    @Test
    void aPeerThatLeavesBeforeTheHandshakeIsAFailedHandshake() throws Exception {
        try (MeteredTcpServer server = server()) {
            TcpTransport.connect(LOOPBACK.getHostAddress(), server.port(), Duration.ofSeconds(5)).close();

            await().atMost(Duration.ofSeconds(10)).until(() -> meters.find(MicrometerConnectionObserver.HANDSHAKE)
                    .tags("role", "responder", "outcome", "failure", "reason", "connection-closed").timer() != null);
        }

        assertThat(meters.find(MicrometerConnectionObserver.HANDSHAKE).tag("outcome", "success").timers()).isEmpty();
        assertThat(meters.find(MicrometerConnectionObserver.SESSIONS_CLOSED).functionCounters()).isEmpty();
    }

    private MeteredTcpServer server() throws Exception {
        return new MeteredTcpServer(meters, config, new InetSocketAddress(LOOPBACK, 0));
    }
}
