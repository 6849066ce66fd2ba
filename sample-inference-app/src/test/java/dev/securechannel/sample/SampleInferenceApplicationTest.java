package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.session.Message;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample app, as the README starts it, serves mock-attested sessions at /secure-channel. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleInferenceApplicationTest {

    @LocalServerPort
    int port;

    @Test
    void answersATextMessageWithItsEmbeddingOverAnAttestedSession() throws Exception {
        URI endpoint = URI.create("ws://localhost:" + port + "/secure-channel");
        try (SecureChannelClient client = SecureChannelClient.builder(endpoint, SessionConfig.insecureDevelopment()).build();
             ClientSession session = client.connect()) {
            assertThat(session.peerAttestation().isInsecure()).isTrue();
            Message reply = session.request("ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertThat(((Message.TensorMessage) reply).tensor().shape()).containsExactly(384);
        }
    }
}
