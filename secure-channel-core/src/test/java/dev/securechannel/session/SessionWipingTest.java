package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.securechannel.FailureReason;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.Rejections;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.session.BlockingSecureChannel;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONFORMANCE E17 for sessions: however a session ends (local close, failure, clean Shutdown,
 * channel close), both record contexts are destroyed, and closing again is harmless. The
 * handshake's own key wiping is covered in {@code HandshakeHardeningTest}.
 */
class SessionWipingTest {

    private static void assertWiped(HandshakeResult result) {
        assertThat(result.sealing().isDestroyed()).as("sealing context destroyed").isTrue();
        assertThat(result.opening().isDestroyed()).as("opening context destroyed").isTrue();
    }

    @Test
    @DisplayName("E17 closing a session destroys both record contexts, and closing twice is harmless")
    void closeDestroysBothContexts() {
        SessionPair pair = new SessionPair();

        pair.client.close();

        assertWiped(pair.handshake.initiator());
        assertThatCode(pair.client::close).doesNotThrowAnyException();
        Rejections.thrownBy(() -> pair.client.send(new byte[1]), FailureReason.SESSION_CLOSED);
    }

    @Test
    @DisplayName("E17 a failed session destroys both record contexts")
    void failureDestroysBothContexts() {
        SessionPair pair = new SessionPair();

        Rejections.thrownBy(() -> pair.server.open(WireFrames.flipBit(pair.clientData("x"), 8 * 14)), FailureReason.DECRYPTION_FAILED);

        assertWiped(pair.handshake.responder());
    }

    @Test
    @DisplayName("E17 a clean Shutdown exchange followed by close destroys the contexts on both sides")
    void shutdownAndCloseDestroyBothSides() throws IOException {
        SessionPair pair = new SessionPair();
        pair.client.shutdown();
        pair.server.open(pair.lastFromClient());

        pair.client.close();
        pair.server.close();

        assertWiped(pair.handshake.initiator());
        assertWiped(pair.handshake.responder());
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DisplayName("E17 closing blocking channels wipes their sessions without error, twice over")
    void closingChannelsWipesTheirSessions() throws Exception {
        ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), development());

        assertThatCode(pair::close).doesNotThrowAnyException();
        assertThatCode(pair::close).doesNotThrowAnyException();

        assertWiped(BlockingSecureChannel.recordSession(pair.client()).handshake());
        assertWiped(BlockingSecureChannel.recordSession(pair.server()).handshake());
    }
}
