package dev.securechannel.session;

import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.handshake.ExtensionMode;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.handshake.HandshakeFixtures;
import dev.securechannel.internal.handshake.Rejections;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.transport.InMemoryDuplex;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Extension negotiation through the blocking {@link SecureChannel} over an in-memory
 * transport (CONFORMANCE S1, S3 and S7 on a transport; the frame-level cases are in
 * {@code ExtensionNegotiationTest}): the driver sends hello 2 before the responder derives its
 * keys, and the negotiated extensions reach the session.
 */
class SecureChannelExtensionsTest {

    @Test
    @DisplayName("S1 default channels negotiate AES-256-GCM and key update and exchange data")
    void defaultChannelsNegotiateBothExtensions() throws Exception {
        try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(HandshakeFixtures.extended(), HandshakeFixtures.extended())) {
            Extensions both = new Extensions(Extensions.AES_256_GCM | Extensions.KEY_UPDATE);
            assertThat(BlockingSecureChannel.recordSession(pair.client()).handshake().extensions()).isEqualTo(both);
            assertThat(BlockingSecureChannel.recordSession(pair.server()).handshake().extensions()).isEqualTo(both);
            assertThat(RecordAlgorithm.of(both)).isEqualTo(RecordAlgorithm.AES_256_GCM);

            pair.client().send(utf8("over AES-256-GCM"));
            pair.server().send(utf8("and back"));

            assertThat(pair.server().receive()).isEqualTo(new Message.Data(utf8("over AES-256-GCM")));
            assertThat(pair.client().receive()).isEqualTo(new Message.Data(utf8("and back")));
        }
    }

    @Test
    @DisplayName("S3 a channel offering nothing gets base version 4 from a default server")
    void baseClientGetsBaseVersionFour() throws Exception {
        try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(HandshakeFixtures.development(), HandshakeFixtures.extended())) {
            assertThat(BlockingSecureChannel.recordSession(pair.server()).handshake().extensions()).isEqualTo(Extensions.NONE);

            pair.client().send(utf8("over ChaCha20-Poly1305"));

            assertThat(pair.server().receive()).isEqualTo(new Message.Data(utf8("over ChaCha20-Poly1305")));
        }
    }

    @Test
    @DisplayName("S7 a server requiring AES-256-GCM refuses a base client before any application data")
    void requiringServerRefusesBaseClient() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(duplex.second(),
                HandshakeFixtures.developmentBuilder().aes256Gcm(ExtensionMode.REQUIRE).build()));
        CompletableFuture<SecureChannel> client = async(() -> SecureChannel.connect(duplex.first(), HandshakeFixtures.development()));

        awaitFailure(server, FailureReason.EXTENSION_REQUIRED);
        Rejections.thrownBy(() -> ChannelTesting.await(client), FailureReason.CONNECTION_CLOSED);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
