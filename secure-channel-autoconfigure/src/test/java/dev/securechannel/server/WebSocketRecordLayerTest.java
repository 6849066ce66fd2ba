package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.protocol.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The record layer of PROTOCOL.md section 4 attacked over WebSocket on Tomcat and on Reactor
 * Netty, by a peer that completed an honest handshake and then sends forged, replayed, withheld
 * or unprotected frames. Each checks the close code (1008 for every authentication failure,
 * 1002 for a wire-format error), that nothing forged reached the application (which is told
 * why the session ended), and that an honest client is served right after.
 *
 * <p>CONFORMANCE cases: E2 (tampered ciphertext or tag), E4 (replay), N1 (sequence gap),
 * E8 (unencrypted frame after the handshake), E5 (msg_type flipped in the clear header),
 * N2 (the first failure ends the session: a genuine frame pipelined behind a forgery is never
 * delivered), N5 (unknown Data flag bits, 1002).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketRecordLayerTest {

    @Nested
    @ServerContexts.StrictServlet
    class Tomcat extends Scenarios {
    }

    @Nested
    @ServerContexts.StrictReactorNetty
    class ReactorNetty extends Scenarios {
    }

    abstract static class Scenarios extends EndpointScenarioSupport {

        @Test
        void aTamperedTagIsClosedWith1008() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                byte[] frame = session.data("transfer 100");
                frame[frame.length - 1] ^= 0x01;
                attacker.sendBinary(frame);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.DECRYPTION_FAILED);
            assertServesHonestClient();
        }

        @Test
        void aTamperedCiphertextIsClosedWith1008() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                byte[] frame = session.data("transfer 100");
                frame[FrameCodec.HEADER_LENGTH] ^= 0x01;
                attacker.sendBinary(frame);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.DECRYPTION_FAILED);
            assertServesHonestClient();
        }

        @Test
        void aMessageTypeFlippedInTheClearHeaderIsClosedWith1008() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                byte[] frame = session.data("not an error");
                frame[3] = (byte) FrameType.ERROR.code();
                attacker.sendBinary(frame);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.DECRYPTION_FAILED);
            assertServesHonestClient();
        }

        @Test
        void aReplayedFrameIsClosedWith1008AndDeliveredOnlyOnce() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                byte[] frame = session.data("pay once");
                attacker.sendBinary(frame);
                assertThat(session.openText(attacker.receiveBinary())).isEqualTo("pay once");
                attacker.sendBinary(frame);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawDeliveriesThenFailure(FailureReason.SEQUENCE_REPLAY, "pay once");
            assertServesHonestClient();
        }

        @Test
        void aSequenceGapIsClosedWith1008() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                session.data("withheld by a relay");
                attacker.sendBinary(session.data("arrives after a gap"));
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.SEQUENCE_GAP);
            assertServesHonestClient();
        }

        @Test
        void anUnencryptedFrameAfterTheHandshakeIsClosedWith1008() throws Exception {
            byte[] plaintext = "plaintext".getBytes(StandardCharsets.UTF_8);
            byte[] frame = WebSocketHandshakeAbuseTest.frame(FrameType.DATA, FrameFlags.NONE, 0, plaintext);
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.completeHandshake();
                attacker.sendBinary(frame);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.UNENCRYPTED_FRAME);
            assertServesHonestClient();
        }

        @Test
        void aDataFrameWithUnknownFlagBitsIsClosedWith1002() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                byte[] frame = session.data("flags");
                frame[4] = (byte) (FrameFlags.ENCRYPTED | 0x10);
                attacker.sendBinary(frame);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.INVALID_FLAGS);
            assertServesHonestClient();
        }

        @Test
        void aForgerGetsNoSecondTryEvenWithAGenuineFramePipelinedBehindTheForgery() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                SealedSession session = attacker.completeHandshake();
                byte[] genuine = session.data("genuine");
                byte[] forged = genuine.clone();
                forged[forged.length - 1] ^= 0x01;
                attacker.sendBinary(forged);
                attacker.sendBinaryUnlessClosed(genuine);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
                assertThat(attacker.pendingMessages()).as("echo replies").isZero();
            }
            assertApplicationSawOnlyTheFailure(FailureReason.DECRYPTION_FAILED);
            assertServesHonestClient();
        }
    }
}
