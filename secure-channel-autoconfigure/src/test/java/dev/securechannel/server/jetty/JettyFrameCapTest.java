package dev.securechannel.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.PeerClosedException;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.server.EchoApplication;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * On Jetty, a frame over {@code secure-channel.max-frame-size} closes the connection with
 * 1009 and the endpoint keeps serving honest clients (CONFORMANCE A8, N15).
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
            "secure-channel.max-frame-size=64KB", "spring.main.web-application-type=servlet"})
@Timeout(60)
class JettyFrameCapTest {

    @LocalServerPort
    int port;

    @Test
    void aFrameOverTheCapIsClosedWith1009AndTheServerKeepsServing() throws Exception {
        SessionConfig generous = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .maxPayloadLength(1024 * 1024)
                .build();
        try (SecureChannelClient client = client(generous); ClientSession session = client.connect()) {
            session.send(new byte[100 * 1024]);
            assertThatThrownBy(() -> session.receive(Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(PeerClosedException.class, e -> assertThat(e.closeCode()).isEqualTo(1009));
        }
        try (SecureChannelClient client = client(SessionConfig.insecureDevelopment()); ClientSession session = client.connect()) {
            byte[] atTheCap = new byte[64 * 1024 - 16];
            assertThat(((Message.Data) session.request(atTheCap, Duration.ofSeconds(5))).payload()).isEqualTo(atTheCap);
        }
    }

    private SecureChannelClient client(SessionConfig config) {
        return SecureChannelClient.builder(URI.create("ws://127.0.0.1:" + port + "/secure-channel"), config)
                .retryPolicy(RetryPolicy.none()).build();
    }
}
