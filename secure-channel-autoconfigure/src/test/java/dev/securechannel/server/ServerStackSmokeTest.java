package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Data and tensors round-trip through each server stack with each client connector. */
class ServerStackSmokeTest {

    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                "spring.main.web-application-type=servlet"})
    class Tomcat {
        @LocalServerPort
        int port;

        @Test
        void echoesDataAndTensorsForBothClients() throws Exception {
            roundTrip(port);
        }
    }

    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                "spring.main.web-application-type=reactive"})
    class ReactorNetty {
        @LocalServerPort
        int port;

        @Test
        void echoesDataAndTensorsForBothClients() throws Exception {
            roundTrip(port);
        }

        /**
         * Short sessions back to back with Reactor Netty's client: connect, one echo, close. Its
         * send queue once refused the confirmation when the connecting thread, preempted inside
         * its own emission of the first hello, still held the queue; about one connection in a
         * hundred then stalled until the handshake timeout.
         */
        @Test
        @org.junit.jupiter.api.Timeout(120)
        void hundredsOfShortSessionsInARowAllOpen() throws Exception {
            SessionConfig config = SessionConfig.builder()
                    .securityProfile(dev.securechannel.handshake.SecurityProfile.DEVELOPMENT)
                    .attestationProvider(new dev.securechannel.attestation.InsecureMockAttestationProvider())
                    .attestationVerifier(new dev.securechannel.attestation.InsecureMockAttestationVerifier())
                    .handshakeTimeout(Duration.ofSeconds(5))
                    .build();
            try (SecureChannelClient client = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"), config)
                    .connector(new dev.securechannel.client.netty.ReactorNettyWebSocketConnector())
                    .retryPolicy(dev.securechannel.client.RetryPolicy.none()).build()) {
                for (int i = 0; i < 400; i++) {
                    try (ClientSession session = client.connect()) {
                        byte[] payload = {(byte) i};
                        assertThat(((Message.Data) session.request(payload, Duration.ofSeconds(5))).payload()).as("session %d", i)
                                .isEqualTo(payload);
                    }
                }
            }
        }
    }

    static void roundTrip(int port) throws Exception {
        roundTrip(port, new dev.securechannel.internal.client.JdkWebSocketConnector());
        roundTrip(port, new dev.securechannel.client.netty.ReactorNettyWebSocketConnector());
    }

    static void roundTrip(int port, dev.securechannel.client.WebSocketConnector connector) throws Exception {
        try (SecureChannelClient client = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"),
                SessionConfig.insecureDevelopment()).connector(connector).build();
             ClientSession session = client.connect()) {
            Message reply = session.request("hello".getBytes(), Duration.ofSeconds(5));
            assertThat(((Message.Data) reply).text()).isEqualTo("hello");
            byte[] big = new byte[1 << 20];
            new java.util.Random(1).nextBytes(big);
            assertThat(((Message.Data) session.request(big, Duration.ofSeconds(5))).payload()).isEqualTo(big);
            Tensor tensor = Tensor.ofFloats("x", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
            assertThat(((Message.TensorMessage) session.request(tensor, Duration.ofSeconds(5))).tensor()).isEqualTo(tensor);
        }
    }
}
