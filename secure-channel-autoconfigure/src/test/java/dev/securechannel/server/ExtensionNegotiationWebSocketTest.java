package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.DefaultClientSession;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.session.Message;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Extension negotiation (PROTOCOL.md section 8.1, CONFORMANCE S1, S3 and S7) over a real
 * WebSocket server: default peers agree on AES-256-GCM and key update, a peer that offers
 * nothing (the reference crate, and {@code IndependentProtocolClientTest}'s client) still gets
 * base version 4, and a server configured to require an extension refuses it with close 1008.
 */
@Timeout(30)
class ExtensionNegotiationWebSocketTest {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    /** A client that offers nothing: hello flags 0, as the reference crate sends. */
    private static final SessionConfig BASE_CLIENT = SessionConfig.builder()
            .securityProfile(SecurityProfile.DEVELOPMENT)
            .attestationProvider(new InsecureMockAttestationProvider())
            .attestationVerifier(new InsecureMockAttestationVerifier())
            .baseProtocolOnly()
            .build();

    private static URI endpoint(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/secure-channel");
    }

    abstract static class DefaultServer {

        @LocalServerPort
        int port;

        @Test
        void defaultPeersNegotiateAesAndKeyUpdateAndEcho() throws Exception {
            try (SecureChannelClient client = SecureChannelClient.builder(endpoint(port), SessionConfig.insecureDevelopment()).build();
                 ClientSession session = client.connect()) {
                Extensions negotiated = session.extensions();

                assertThat(negotiated).isEqualTo(new Extensions(Extensions.AES_256_GCM | Extensions.KEY_UPDATE));
                assertThat(((Message.Data) session.request("over AES-256-GCM".getBytes(), REPLY_TIMEOUT)).text())
                        .isEqualTo("over AES-256-GCM");
            }
        }

        @Test
        void keysAreUpdatedMidSessionOnTheIntervalAndOnRequestWithoutLosingAFrame() throws Exception {
            SessionConfig updatingClient = SessionConfig.builder()
                    .securityProfile(SecurityProfile.DEVELOPMENT)
                    .attestationProvider(new InsecureMockAttestationProvider())
                    .attestationVerifier(new InsecureMockAttestationVerifier())
                    .keyUpdatePolicy(new KeyUpdatePolicy(KeyUpdatePolicy.MIN_AFTER_BYTES, Duration.ofHours(1)))
                    .build();
            try (SecureChannelClient client = SecureChannelClient.builder(endpoint(port), updatingClient).build();
                 ClientSession session = client.connect()) {
                RecordSession own = ((DefaultClientSession) session).connection().recordSession().orElseThrow();
                byte[] chunk = new byte[256 * 1024];
                for (int i = 0; i < 12; i++) {
                    chunk[0] = (byte) i;
                    assertThat(((Message.Data) session.request(chunk, REPLY_TIMEOUT)).payload()).isEqualTo(chunk);
                }
                // 3 MiB sealed with a new key every MiB: two updates on the client's own interval.
                assertThat(own.keyUpdatesSent()).isEqualTo(2);

                own.updateKey(true);
                assertThat(((Message.Data) session.request("after the request".getBytes(), REPLY_TIMEOUT)).text())
                        .isEqualTo("after the request");
                // The server answered the request with its own KeyUpdate before its echo.
                assertThat(own.keyUpdatesReceived()).isEqualTo(1);
                assertThat(own.keyUpdatesSent()).isEqualTo(3);
            }
        }

        @Test
        void aClientOfferingNothingGetsBaseVersionFour() throws Exception {
            try (SecureChannelClient client = SecureChannelClient.builder(endpoint(port), BASE_CLIENT).build();
                 ClientSession session = client.connect()) {
                assertThat(session.extensions()).isEqualTo(Extensions.NONE);
                assertThat(((Message.Data) session.request("over ChaCha20-Poly1305".getBytes(), REPLY_TIMEOUT)).text())
                        .isEqualTo("over ChaCha20-Poly1305");
            }
        }
    }

    @Nested
    @ServerContexts.DefaultServlet
    class Tomcat extends DefaultServer {
    }

    @Nested
    @ServerContexts.DefaultReactorNetty
    class ReactorNetty extends DefaultServer {
    }

    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {ServerContexts.DEVELOPMENT, ServerContexts.MOCK, ServerContexts.SERVLET,
                "secure-channel.extensions.aes-256-gcm=require"})
    class RequiringServer {

        @LocalServerPort
        int port;

        @Test
        void refusesABaseVersionFourClientWith1008BeforeAnsweringIt() {
            try (RawWebSocketPeer peer = RawWebSocketPeer.connect(endpoint(port))) {
                byte[] helloOne = Objects.requireNonNull(new HandshakeInitiator(BASE_CLIENT).start());
                assertThat(helloOne[4] & 0xFF).isEqualTo(FrameFlags.NONE);

                peer.sendBinary(helloOne);

                assertThat(peer.awaitCloseCode()).isEqualTo(1008);
                assertThat(peer.pendingMessages()).as("no hello 2").isZero();
            }
        }

        @Test
        void acceptsAClientThatOffersIt() throws Exception {
            try (SecureChannelClient client = SecureChannelClient.builder(endpoint(port), SessionConfig.insecureDevelopment()).build();
                 ClientSession session = client.connect()) {
                assertThat(session.extensions().has(Extensions.AES_256_GCM)).isTrue();
            }
        }
    }
}
