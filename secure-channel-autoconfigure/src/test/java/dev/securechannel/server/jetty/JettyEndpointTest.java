package dev.securechannel.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.server.EchoApplication;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The servlet endpoint on Jetty (run by the {@code jetty} surefire execution, which swaps
 * Tomcat for Jetty): Jetty's own message limit would otherwise close frames over 64 KiB with
 * 1009, so a 1 MiB frame proves the endpoint sized it.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
            "spring.main.web-application-type=servlet"})
@Timeout(60)
class JettyEndpointTest {

    @LocalServerPort
    int port;

    @Autowired
    WebServerApplicationContext context;

    @Test
    void theServerIsJetty() {
        assertThat(context.getWebServer().getClass().getSimpleName()).containsIgnoringCase("jetty");
    }

    @Test
    void echoesDataTensorsAndAOneMebibyteFrameForBothClients() throws Exception {
        roundTrip(new JdkWebSocketConnector());
        roundTrip(new ReactorNettyWebSocketConnector());
    }

    private void roundTrip(WebSocketConnector connector) throws Exception {
        try (SecureChannelClient client = SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"),
                SessionConfig.insecureDevelopment()).connector(connector).build();
             ClientSession session = client.connect()) {
            assertThat(((Message.Data) session.request("hello".getBytes(), Duration.ofSeconds(5))).text()).isEqualTo("hello");
            byte[] big = new byte[1 << 20];
            new Random(7).nextBytes(big);
            assertThat(((Message.Data) session.request(big, Duration.ofSeconds(10))).payload()).isEqualTo(big);
            Tensor tensor = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1, 2, 3, 4});
            assertThat(((Message.TensorMessage) session.request(tensor, Duration.ofSeconds(5))).tensor()).isEqualTo(tensor);
        }
    }
}
