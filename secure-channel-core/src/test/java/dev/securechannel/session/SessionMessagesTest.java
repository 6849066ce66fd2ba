package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Session messages and lifecycle (CONFORMANCE F1-F5), first on sans-IO sessions, then through
 * blocking {@link SecureChannel}s over an in-memory duplex. The WebSocket close codes named by
 * F3 belong to the WebSocket layer, not to the core.
 */
class SessionMessagesTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("sans-IO session")
    class SansIo {

        private SessionPair pair;

        @BeforeEach
        void establish() {
            pair = new SessionPair();
        }

        @Test
        @DisplayName("F1 a tensor arrives as a TensorMessage with name, dtype, shape and data intact")
        void tensorArrivesIntact() throws IOException {
            Tensor sent = Tensor.ofFloats("logits", new long[] {2, 3}, new float[] {1.5f, -2f, 0f, 3.25f, 1e-3f, 42f});

            pair.client.sendTensor(sent);
            Message received = pair.server.open(pair.lastFromClient());

            assertThat(received).isInstanceOfSatisfying(Message.TensorMessage.class, message -> {
                Tensor tensor = message.tensor();
                assertThat(tensor.name()).isEqualTo("logits");
                assertThat(tensor.dtype()).isEqualTo(DType.F32);
                assertThat(tensor.shape()).containsExactly(2, 3);
                assertThat(tensor.toFloatArray()).containsExactly(1.5f, -2f, 0f, 3.25f, 1e-3f, 42f);
            });
            assertThat(WireFrames.type(pair.lastFromClient())).isEqualTo(FrameType.TENSOR.code());
            assertThat(WireFrames.flags(pair.lastFromClient())).isEqualTo(0x03);
        }

        @Test
        @DisplayName("F2 heartbeats travel in both directions")
        void heartbeatsTravelBothWays() throws IOException {
            pair.client.sendHeartbeat();
            pair.server.sendHeartbeat();

            assertThat(pair.server.open(pair.fromClient.get(0))).isInstanceOf(Message.Heartbeat.class);
            assertThat(pair.client.open(pair.fromServer.get(0))).isInstanceOf(Message.Heartbeat.class);
        }

        @Test
        @DisplayName("F3 Shutdown is delivered and ends both sides cleanly")
        void shutdownEndsBothSidesCleanly() throws IOException {
            pair.client.shutdown();

            assertThat(pair.server.open(pair.lastFromClient())).isInstanceOf(Message.Shutdown.class);
            assertThat(pair.client.state()).isEqualTo(RecordSession.State.SHUTDOWN_SENT);
            assertThat(pair.server.state()).isEqualTo(RecordSession.State.SHUTDOWN_RECEIVED);
            assertThat(pair.server.failureReason()).isNull();
        }

        @Test
        @DisplayName("F4 an Error reason is decoded leniently, with control characters replaced")
        void errorReasonIsDecodedLenientlyAndSanitised() {
            byte[] reason = WireFrames.concat(utf8("bad"), new byte[] {0x00, 0x0A, (byte) 0xFF, (byte) 0xFE}, utf8("é"));

            Message received = pair.server.open(pair.handshake.initiator().sealing().seal(FrameType.ERROR, reason));

            assertThat(received).isEqualTo(new Message.Error("bad??\uFFFD\uFFFDé"));
        }

        @Test
        @DisplayName("F4 an Error reason is capped at 256 characters on both ends")
        void errorReasonIsCapped() throws IOException {
            pair.client.sendError("x".repeat(1_000));

            assertThat(pair.server.open(pair.lastFromClient())).isEqualTo(new Message.Error("x".repeat(256)));
            assertThat(WireFrames.payloadLength(pair.lastFromClient())).isEqualTo(256 + 16);
        }

        @Test
        @DisplayName("F4 the session stays open after an Error frame")
        void sessionStaysOpenAfterAnError() throws IOException {
            pair.client.sendError("retry later");
            pair.server.open(pair.lastFromClient());

            assertThat(pair.server.isOpen()).isTrue();
            assertThat(pair.server.open(pair.clientData("next"))).isEqualTo(new Message.Data(utf8("next")));
        }

        @Test
        @DisplayName("F5 end of stream in an established session is TRUNCATED, not a Shutdown")
        void endOfStreamIsTruncationNotShutdown() {
            assertThat(pair.server.transportClosed()).isEqualTo(FailureReason.TRUNCATED);
            assertThat(pair.server.state()).isNotIn(RecordSession.State.SHUTDOWN_RECEIVED, RecordSession.State.CLOSED);
        }
    }

    @Nested
    @DisplayName("blocking channel")
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Blocking {

        private ChannelTesting.Pair pair;

        @BeforeEach
        void connect() throws Exception {
            pair = ChannelTesting.connectInMemory(development(), development());
        }

        @AfterEach
        void close() {
            pair.close();
        }

        @Test
        @DisplayName("F1 a tensor sent on a channel arrives intact")
        void tensorArrivesIntact() throws IOException {
            Tensor sent = Tensor.of("ids", DType.I64, new long[] {3}, new byte[24]);

            pair.client().sendTensor(sent);

            assertThat(pair.server().receive()).isEqualTo(new Message.TensorMessage(sent));
        }

        @Test
        @DisplayName("F2 heartbeats travel in both directions on a channel")
        void heartbeatsTravelBothWays() throws IOException {
            pair.client().sendHeartbeat();
            pair.server().sendHeartbeat();

            assertThat(pair.server().receive()).isInstanceOf(Message.Heartbeat.class);
            assertThat(pair.client().receive()).isInstanceOf(Message.Heartbeat.class);
        }

        @Test
        @DisplayName("F3 after a Shutdown the receiver's channel is closed and the sender may not send")
        void shutdownClosesTheChannelCleanly() throws IOException {
            pair.client().shutdown();

            assertThat(pair.server().receive()).isInstanceOf(Message.Shutdown.class);
            assertThat(BlockingSecureChannel.recordSession(pair.server()).state()).isEqualTo(RecordSession.State.CLOSED);
            assertThat(BlockingSecureChannel.recordSession(pair.server()).failureReason()).isNull();
            thrownBy(pair.server()::receive, FailureReason.SESSION_CLOSED);
            thrownBy(() -> pair.client().send(utf8("after shutdown")), FailureReason.SESSION_CLOSED);
        }

        @Test
        @DisplayName("F4 an Error frame on a channel is delivered and the channel stays usable")
        void errorFrameIsDelivered() throws IOException {
            pair.client().sendError("model not loaded");
            pair.client().send(utf8("after the error"));

            assertThat(pair.server().receive()).isEqualTo(new Message.Error("model not loaded"));
            assertThat(pair.server().receive()).isEqualTo(new Message.Data(utf8("after the error")));
        }

        @Test
        @DisplayName("F5 a peer that closes without Shutdown is reported as TRUNCATED")
        void closeWithoutShutdownIsTruncated() {
            pair.client().close();

            thrownBy(pair.server()::receive, FailureReason.TRUNCATED);
            assertThat(BlockingSecureChannel.recordSession(pair.server()).state()).isEqualTo(RecordSession.State.FAILED);
            assertThat(BlockingSecureChannel.recordSession(pair.server()).failureReason()).isEqualTo(FailureReason.TRUNCATED);
        }
    }
}
