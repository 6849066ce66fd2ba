package dev.securechannel.session;

import static dev.securechannel.internal.handshake.Rejections.assertSessionRejects;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record layer of an established {@link RecordSession}, driven frame by frame with no
 * transport (CONFORMANCE E8, E9, E10, E14, N1-N6, N14). Frames are the real sender's, then
 * edited, dropped, reordered or replayed; where a case needs an <em>authentic</em> frame with
 * an unusual header, {@link ReferenceSealer} mints it with the sender's real key, so the
 * rejection is shown to come from the rule under test and not from a failed tag.
 */
class RecordSessionTest {

    private SessionPair pair;

    @BeforeEach
    void establish() {
        pair = new SessionPair();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("E8 unencrypted frames")
    class Unencrypted {

        @Test
        @DisplayName("E8 a sealed Data frame with its ENCRYPTED bit cleared is rejected")
        void sealedFrameWithEncryptedBitClearedIsRejected() {
            byte[] cleared = WireFrames.withFlags(pair.clientData("secret"), FrameFlags.NONE);

            SecureChannelException thrown = assertSessionRejects(pair.server, cleared, FailureReason.UNENCRYPTED_FRAME);

            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = FrameType.class, names = {"DATA", "ERROR", "HEARTBEAT", "SHUTDOWN", "TENSOR"})
        @DisplayName("E8 a plaintext frame of any non-Hello type is rejected")
        void plaintextFrameOfEveryTypeIsRejected(FrameType type) {
            int flags = type == FrameType.TENSOR ? FrameFlags.TENSOR_PAYLOAD : FrameFlags.NONE;
            byte[] plaintext = type == FrameType.TENSOR
                    ? TensorCodec.encode(Tensor.of("t", DType.U8, new long[] {2}, new byte[] {1, 2}))
                    : utf8("in the clear");

            assertSessionRejects(pair.server, WireFrames.frame(type.code(), flags, 0, plaintext), FailureReason.UNENCRYPTED_FRAME);
        }
    }

    @Nested
    @DisplayName("E9 Hello after the handshake")
    class HelloAfterHandshake {

        @Test
        @DisplayName("E9 the replayed confirmation is an unexpected message")
        void replayedConfirmationIsRejected() {
            SecureChannelException thrown = assertSessionRejects(pair.server, pair.handshake.confirmation(),
                    FailureReason.UNEXPECTED_MESSAGE);

            assertThat(thrown.reason().closeCode()).isEqualTo(1002);
        }

        @Test
        @DisplayName("E9 a replayed initiator hello is an unexpected message")
        void replayedInitiatorHelloIsRejected() {
            assertSessionRejects(pair.server, pair.handshake.initiatorHello(), FailureReason.UNEXPECTED_MESSAGE);
        }

        @Test
        @DisplayName("E9 even an authentic, ENCRYPTED-flagged Hello is an unexpected message")
        void authenticEncryptedHelloIsRejected() {
            byte[] sealedHello = pair.forgerToServer().seal(FrameType.HELLO.code(), FrameFlags.ENCRYPTED, 0, utf8("rekey?"));

            assertSessionRejects(pair.server, sealedHello, FailureReason.UNEXPECTED_MESSAGE);
        }
    }

    @Nested
    @DisplayName("E10 control frames are sealed")
    class ControlFramesAreSealed {

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = FrameType.class, names = {"HEARTBEAT", "SHUTDOWN"})
        @DisplayName("E10 Heartbeat and Shutdown carry only an AEAD tag, with the ENCRYPTED flag")
        void controlFrameIsATagWithTheEncryptedFlag(FrameType type) throws IOException {
            byte[] frame = sendControl(type);

            assertThat(WireFrames.type(frame)).isEqualTo(type.code());
            assertThat(WireFrames.flags(frame)).isEqualTo(FrameFlags.ENCRYPTED);
            assertThat(WireFrames.payloadLength(frame)).isEqualTo(16);
            assertThat(pair.server.open(frame)).isInstanceOf(type == FrameType.HEARTBEAT ? Message.Heartbeat.class : Message.Shutdown.class);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = FrameType.class, names = {"HEARTBEAT", "SHUTDOWN"})
        @DisplayName("E10 a Heartbeat or Shutdown with one tag bit flipped fails authentication")
        void controlFrameWithFlippedTagBitIsRejected(FrameType type) throws IOException {
            byte[] frame = sendControl(type);

            assertSessionRejects(pair.server, WireFrames.flipBit(frame, frame.length * 8 - 1), FailureReason.DECRYPTION_FAILED);
        }

        private byte[] sendControl(FrameType type) throws IOException {
            if (type == FrameType.HEARTBEAT) {
                pair.client.sendHeartbeat();
            } else {
                pair.client.shutdown();
            }
            return pair.lastFromClient();
        }
    }

    @Test
    @DisplayName("E14 a 100,000-byte payload is delivered intact")
    void hundredThousandBytePayloadIsDelivered() {
        byte[] payload = new byte[100_000];
        new Random(14).nextBytes(payload);

        assertThat(pair.server.open(pair.clientData(payload))).isEqualTo(new Message.Data(payload));
    }

    @Nested
    @DisplayName("N1 sequence gaps")
    class SequenceGaps {

        @Test
        @DisplayName("N1 a deleted frame is detected when the next one arrives")
        void deletedFrameIsDetectedAtTheNextFrame() {
            byte[] first = pair.clientData("one");
            byte[] deleted = pair.clientData("two");
            byte[] third = pair.clientData("three");
            assertThat(pair.server.open(first)).isEqualTo(new Message.Data(utf8("one")));

            SecureChannelException thrown = assertSessionRejects(pair.server, third, FailureReason.SEQUENCE_GAP);

            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
            thrownBy(() -> pair.server.open(deleted), FailureReason.SESSION_CLOSED);
        }

        @Test
        @DisplayName("N1 deleting the very first frame is detected")
        void deletedFirstFrameIsDetected() {
            pair.clientData("lost");

            assertSessionRejects(pair.server, pair.clientData("second"), FailureReason.SEQUENCE_GAP);
        }

        @Test
        @DisplayName("N1 reordered frames are rejected")
        void reorderedFramesAreRejected() {
            byte[] first = pair.clientData("one");
            byte[] second = pair.clientData("two");

            assertSessionRejects(pair.server, second, FailureReason.SEQUENCE_GAP);
            thrownBy(() -> pair.server.open(first), FailureReason.SESSION_CLOSED);
        }

        @Test
        @DisplayName("N1 an authentic frame that skips a sequence number is still a gap")
        void authenticFrameSkippingASequenceIsRejected() {
            byte[] skipping = pair.forgerToServer().seal(FrameType.DATA.code(), FrameFlags.ENCRYPTED, 1, utf8("skips 0"));

            assertSessionRejects(pair.server, skipping, FailureReason.SEQUENCE_GAP);
        }

        @Test
        @DisplayName("N1 a header sequence rewritten to 999 is a gap, found before any decryption")
        void rewrittenSequenceIsRejected() {
            assertSessionRejects(pair.server, WireFrames.withSequence(pair.clientData("x"), 999), FailureReason.SEQUENCE_GAP);
        }
    }

    @Nested
    @DisplayName("N2 the first failure poisons the session")
    class Poisoning {

        @Test
        @DisplayName("N2 after a frame with one flipped ciphertext bit, the genuine frame is refused too")
        void flippedCiphertextGivesTheForgerNoSecondTry() {
            byte[] genuine = pair.clientData("transfer 10 EUR");

            SecureChannelException thrown = assertSessionRejects(pair.server,
                    WireFrames.flipBit(genuine, WireFrames.PAYLOAD_OFFSET * 8 + 3), FailureReason.DECRYPTION_FAILED);

            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
            thrownBy(() -> pair.server.open(genuine), FailureReason.SESSION_CLOSED);
        }

        @Test
        @DisplayName("N2 a replayed frame poisons the session")
        void replayPoisonsTheSession() {
            byte[] first = pair.clientData("once");
            byte[] second = pair.clientData("twice");
            pair.server.open(first);

            SecureChannelException thrown = assertSessionRejects(pair.server, first, FailureReason.SEQUENCE_REPLAY);

            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
            thrownBy(() -> pair.server.open(second), FailureReason.SESSION_CLOSED);
        }

        @Test
        @DisplayName("N2 an unencrypted frame poisons the session")
        void unencryptedFramePoisonsTheSession() {
            byte[] genuine = pair.clientData("hello");

            assertSessionRejects(pair.server, WireFrames.withFlags(genuine, 0), FailureReason.UNENCRYPTED_FRAME);
            thrownBy(() -> pair.server.open(genuine), FailureReason.SESSION_CLOSED);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.securechannel.session.RecordSessionTest#badTensors")
        @DisplayName("N2 an authentic Tensor frame with a bad tensor inside poisons the session")
        void badInnerTensorPoisonsTheSession(FailureReason reason, byte[] plaintext) {
            SealingContext client = pair.handshake.initiator().sealing();
            byte[] bad = client.seal(FrameType.TENSOR, plaintext);
            byte[] next = client.seal(FrameType.DATA, utf8("after"));

            SecureChannelException thrown = assertSessionRejects(pair.server, bad, reason);

            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
            thrownBy(() -> pair.server.open(next), FailureReason.SESSION_CLOSED);
        }
    }

    /** Tensor sub-frames that each break one rule of PROTOCOL.md section 5. */
    static Stream<Arguments> badTensors() {
        byte[] valid = TensorCodec.encode(Tensor.of("t", DType.U8, new long[] {4}, new byte[] {1, 2, 3, 4}));
        // Layout: ndims(0-1) dtype(2) dim(3-6) name_len(7-8) name(9) padding(10-15) data(16-19).
        assertThat(valid).hasSize(20);
        return Stream.of(
                Arguments.of(FailureReason.INVALID_PADDING, WireFrames.withByte(valid, 12, 1)),
                Arguments.of(FailureReason.SHAPE_OVERFLOW, WireFrames.withByte(valid, 0, 33)),
                Arguments.of(FailureReason.UNKNOWN_DTYPE, WireFrames.withByte(valid, 2, 8)),
                Arguments.of(FailureReason.INVALID_TENSOR_NAME, WireFrames.withByte(valid, 9, 0xFF)),
                Arguments.of(FailureReason.TENSOR_DATA_SIZE_MISMATCH, Arrays.copyOf(valid, 19)),
                Arguments.of(FailureReason.INCOMPLETE_TENSOR_HEADER, Arrays.copyOf(valid, 2)));
    }

    @Nested
    @DisplayName("N3 frames after Shutdown")
    class AfterShutdown {

        @Test
        @DisplayName("N3 an authentic frame after the peer's Shutdown never reaches the application")
        void frameAfterShutdownIsRefused() throws IOException {
            pair.client.shutdown();
            assertThat(pair.server.open(pair.lastFromClient())).isInstanceOf(Message.Shutdown.class);
            byte[] late = pair.handshake.initiator().sealing().seal(FrameType.DATA, utf8("too late"));

            thrownBy(() -> pair.server.open(late), FailureReason.SESSION_CLOSED);
            assertThat(pair.server.state()).isEqualTo(RecordSession.State.SHUTDOWN_RECEIVED);
        }

        @Test
        @DisplayName("N3 neither side may send after a Shutdown")
        void nothingIsSentAfterShutdown() throws IOException {
            pair.client.shutdown();
            pair.server.open(pair.lastFromClient());

            thrownBy(() -> pair.client.send(utf8("x")), FailureReason.SESSION_CLOSED);
            thrownBy(() -> pair.server.send(utf8("x")), FailureReason.SESSION_CLOSED);
            assertThat(pair.fromClient).hasSize(1);
            assertThat(pair.fromServer).isEmpty();
        }
    }

    @Nested
    @DisplayName("N4 truncation")
    class Truncation {

        @Test
        @DisplayName("N4 a transport that closes without a Shutdown is reported as truncation")
        void closeWithoutShutdownIsTruncation() {
            pair.server.open(pair.clientData("partial answer"));

            assertThat(pair.server.transportClosed()).isEqualTo(FailureReason.TRUNCATED);
            assertThat(pair.server.state()).isEqualTo(RecordSession.State.FAILED);
            assertThat(pair.server.failureReason()).isEqualTo(FailureReason.TRUNCATED);
        }

        @Test
        @DisplayName("N4 a transport that closes after the peer's Shutdown is a clean end")
        void closeAfterShutdownIsClean() throws IOException {
            pair.client.shutdown();
            pair.server.open(pair.lastFromClient());

            assertThat(pair.server.transportClosed()).isNull();
            assertThat(pair.server.state()).isEqualTo(RecordSession.State.CLOSED);
        }
    }

    @Nested
    @DisplayName("N5-N6 flags")
    class Flags {

        @ParameterizedTest(name = "Data flags {0}")
        @ValueSource(ints = {0x11, 0x21, 0x41, 0x81, 0xF1, 0x05, 0x09})
        @DisplayName("N5 an authentic Data frame with reserved or unknown flag bits is rejected")
        void dataWithUnknownFlagBitsIsRejected(int flags) {
            byte[] frame = pair.forgerToServer().seal(FrameType.DATA.code(), flags, 0, utf8("flagged"));

            assertSessionRejects(pair.server, frame, FailureReason.INVALID_FLAGS);
        }

        @ParameterizedTest(name = "Tensor flags {0}")
        @ValueSource(ints = {0x13, 0x23, 0x43, 0x83, 0xF3})
        @DisplayName("N5 an authentic Tensor frame with unknown flag bits is rejected")
        void tensorWithUnknownFlagBitsIsRejected(int flags) {
            byte[] frame = pair.forgerToServer().seal(FrameType.TENSOR.code(), flags, 0, validTensor());

            assertSessionRejects(pair.server, frame, FailureReason.INVALID_FLAGS);
        }

        @Test
        @DisplayName("N6 an authentic Tensor frame without TENSOR_PAYLOAD is rejected")
        void tensorWithoutTensorFlagIsRejected() {
            byte[] frame = pair.forgerToServer().seal(FrameType.TENSOR.code(), FrameFlags.ENCRYPTED, 0, validTensor());

            assertSessionRejects(pair.server, frame, FailureReason.INVALID_FLAGS);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = FrameType.class, names = {"DATA", "ERROR", "HEARTBEAT", "SHUTDOWN"})
        @DisplayName("N6 an authentic non-Tensor frame with TENSOR_PAYLOAD is rejected")
        void nonTensorWithTensorFlagIsRejected(FrameType type) {
            byte[] frame = pair.forgerToServer().seal(type.code(), FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD, 0, validTensor());

            assertSessionRejects(pair.server, frame, FailureReason.INVALID_FLAGS);
        }

        @Test
        @DisplayName("N5 the reference sealer's honest flags are accepted, so the rejections above are about flags")
        void honestFlagsFromTheReferenceSealerAreAccepted() {
            ReferenceSealer forger = pair.forgerToServer();

            assertThat(pair.server.open(forger.seal(FrameType.DATA.code(), FrameFlags.ENCRYPTED, 0, utf8("ok"))))
                    .isEqualTo(new Message.Data(utf8("ok")));
            assertThat(pair.server.open(forger.seal(FrameType.TENSOR.code(), FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD, 1,
                    validTensor()))).isInstanceOf(Message.TensorMessage.class);
        }

        private byte[] validTensor() {
            return TensorCodec.encode(Tensor.of("t", DType.U8, new long[] {2}, new byte[] {1, 2}));
        }
    }

    @Nested
    @DisplayName("N14 floods")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class Floods {

        @Test
        @DisplayName("N14 10,000 Heartbeat and Error frames are each delivered, and the session carries on")
        void heartbeatAndErrorFloodIsDeliveredInOrder() throws IOException {
            for (int i = 0; i < 10_000; i++) {
                if (i % 2 == 0) {
                    pair.client.sendHeartbeat();
                    assertThat(pair.server.open(pair.lastFromClient())).isInstanceOf(Message.Heartbeat.class);
                } else {
                    pair.client.sendError("overloaded " + i);
                    assertThat(pair.server.open(pair.lastFromClient())).isEqualTo(new Message.Error("overloaded " + i));
                }
            }

            assertThat(pair.server.framesReceived()).isEqualTo(10_000);
            assertThat(pair.server.open(pair.clientData("still here"))).isEqualTo(new Message.Data(utf8("still here")));
        }

        @Test
        @DisplayName("N14 Error frames with 1 MiB reasons are delivered capped to 256 characters")
        void hugeErrorReasonsAreCapped() {
            SealingContext client = pair.handshake.initiator().sealing();
            byte[] reason = new byte[1024 * 1024];
            Arrays.fill(reason, (byte) 'e');
            for (int i = 0; i < 8; i++) {
                Message message = pair.server.open(client.seal(FrameType.ERROR, reason));

                assertThat(message).isInstanceOfSatisfying(Message.Error.class,
                        error -> assertThat(error.reason()).hasSize(256).matches("e+"));
            }
        }

        @Test
        @DisplayName("N14 a flood of 10,000 Heartbeats with guessed tags ends at the first; none is delivered")
        void forgedHeartbeatFloodEndsAtTheFirstForgery() {
            Random random = new Random(14);
            byte[][] forged = new byte[10_000][];
            for (int i = 0; i < forged.length; i++) {
                byte[] guessedTag = new byte[16];
                random.nextBytes(guessedTag);
                forged[i] = WireFrames.frame(FrameType.HEARTBEAT.code(), FrameFlags.ENCRYPTED, i, guessedTag);
            }

            assertSessionRejects(pair.server, forged[0], FailureReason.DECRYPTION_FAILED);
            for (int i = 1; i < forged.length; i++) {
                int index = i;
                thrownBy(() -> pair.server.open(forged[index]), FailureReason.SESSION_CLOSED);
            }
            assertThat(pair.server.framesReceived()).isZero();
        }
    }
}
