package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static dev.securechannel.session.ChannelTesting.assertEndOfStream;
import static dev.securechannel.session.ChannelTesting.assertReceiveRejects;
import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Post-handshake attacks on a blocking {@link SecureChannel} over an {@link InMemoryDuplex}:
 * a {@link RawPeer} completes a real handshake as the client, then writes crafted frames.
 * Each rejection is checked in full: the reason reaches the server's caller, no message is
 * returned, the server's session is failed, and the attacker's end sees the transport close
 * (CONFORMANCE E8, E9, N1, N2, N3, N5, N6, N14 at the blocking level).
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecureChannelAttackTest {

    private SecureChannel server;
    private RawPeer attacker;

    @BeforeEach
    void connectAttacker() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> accepted = async(() -> SecureChannel.accept(duplex.second(), development()));
        attacker = RawPeer.initiate(duplex.first(), development());
        server = await(accepted);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void assertRejects(FailureReason reason) throws IOException {
        assertReceiveRejects(server, reason, attacker.transport());
    }

    @Test
    @DisplayName("E8 an unencrypted Data frame closes the channel with UNENCRYPTED_FRAME")
    void unencryptedFrameIsRejected() throws IOException {
        attacker.sendRaw(WireFrames.frame(FrameType.DATA.code(), FrameFlags.NONE, 0, utf8("plaintext")));

        assertRejects(FailureReason.UNENCRYPTED_FRAME);
    }

    @Test
    @DisplayName("E9 a Hello after the handshake closes the channel with UNEXPECTED_MESSAGE")
    void helloAfterTheHandshakeIsRejected() throws IOException {
        attacker.sendRaw(WireFrames.frame(FrameType.HELLO.code(), 0, 0, new byte[] {1}));

        assertRejects(FailureReason.UNEXPECTED_MESSAGE);
    }

    @Test
    @DisplayName("N1 a frame deleted in transit is detected at the next one")
    void deletedFrameIsDetected() throws IOException {
        attacker.sendRaw(attacker.seal(FrameType.DATA, utf8("one")));
        attacker.seal(FrameType.DATA, utf8("two: deleted by the relay"));
        attacker.sendRaw(attacker.seal(FrameType.DATA, utf8("three")));

        assertThat(server.receive()).isEqualTo(new Message.Data(utf8("one")));
        assertRejects(FailureReason.SEQUENCE_GAP);
    }

    @Test
    @DisplayName("N2 a frame with one flipped ciphertext bit closes the channel; the genuine frame behind it is never delivered")
    void tamperedFrameIsRejected() throws IOException {
        byte[] genuine = attacker.seal(FrameType.DATA, utf8("genuine"));
        attacker.sendRaw(WireFrames.flipBit(genuine, WireFrames.PAYLOAD_OFFSET * 8));
        attacker.sendRaw(genuine);

        assertRejects(FailureReason.DECRYPTION_FAILED);
    }

    @Test
    @DisplayName("N2 a replayed frame closes the channel with SEQUENCE_REPLAY")
    void replayedFrameIsRejected() throws IOException {
        byte[] frame = attacker.seal(FrameType.DATA, utf8("pay once"));
        attacker.sendRaw(frame);
        attacker.sendRaw(frame);

        assertThat(server.receive()).isEqualTo(new Message.Data(utf8("pay once")));
        assertRejects(FailureReason.SEQUENCE_REPLAY);
    }

    @Test
    @DisplayName("N2 an authentic Tensor frame with non-zero padding closes the channel")
    void badInnerTensorIsRejected() throws IOException {
        byte[] tensor = TensorCodec.encode(Tensor.of("t", DType.U8, new long[] {4}, new byte[] {1, 2, 3, 4}));
        attacker.sendRaw(attacker.seal(FrameType.TENSOR, WireFrames.withByte(tensor, 12, 7)));

        assertRejects(FailureReason.INVALID_PADDING);
    }

    @Test
    @DisplayName("N3 frames after a Shutdown never reach the application")
    void framesAfterShutdownAreNotDelivered() throws IOException {
        attacker.sendRaw(attacker.seal(FrameType.SHUTDOWN, new byte[0]));
        attacker.sendRaw(attacker.seal(FrameType.DATA, utf8("after shutdown")));

        assertThat(server.receive()).isInstanceOf(Message.Shutdown.class);
        thrownBy(server::receive, FailureReason.SESSION_CLOSED);
        assertEndOfStream(attacker.transport());
    }

    @Test
    @DisplayName("N5 a Data frame with an unknown flag bit closes the channel with INVALID_FLAGS")
    void unknownFlagBitIsRejected() throws IOException {
        attacker.sendRaw(WireFrames.withFlags(attacker.seal(FrameType.DATA, utf8("x")), FrameFlags.ENCRYPTED | 0x40));

        assertRejects(FailureReason.INVALID_FLAGS);
    }

    @Test
    @DisplayName("N6 a Tensor frame stripped of TENSOR_PAYLOAD closes the channel with INVALID_FLAGS")
    void tensorWithoutTensorFlagIsRejected() throws IOException {
        byte[] tensor = attacker.sealTensor(Tensor.of("t", DType.U8, new long[] {1}, new byte[] {9}));
        attacker.sendRaw(WireFrames.withFlags(tensor, FrameFlags.ENCRYPTED));

        assertRejects(FailureReason.INVALID_FLAGS);
    }

    @Test
    @DisplayName("N14 a flood of 10,000 Heartbeats is delivered one by one, then data still flows")
    void heartbeatFloodIsDelivered() throws IOException {
        for (int i = 0; i < 10_000; i++) {
            attacker.sendRaw(attacker.seal(FrameType.HEARTBEAT, new byte[0]));
        }
        attacker.sendRaw(attacker.seal(FrameType.DATA, utf8("after the flood")));

        for (int i = 0; i < 10_000; i++) {
            assertThat(server.receive()).isInstanceOf(Message.Heartbeat.class);
        }
        assertThat(server.receive()).isEqualTo(new Message.Data(utf8("after the flood")));
        assertThat(BlockingSecureChannel.recordSession(server).framesReceived()).isEqualTo(10_001);
    }

    @Test
    @DisplayName("N2 the client side rejects a tampered frame from a hostile server the same way")
    void clientRejectsATamperedFrameFromAHostileServer() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> connected = async(() -> SecureChannel.connect(duplex.first(), development()));
        RawPeer hostileServer = RawPeer.respond(duplex.second(), development());
        try (SecureChannel client = await(connected)) {
            hostileServer.sendRaw(WireFrames.flipBit(hostileServer.seal(FrameType.DATA, utf8("answer")), 8 * 20));

            assertReceiveRejects(client, FailureReason.DECRYPTION_FAILED, hostileServer.transport());
        }
    }
}
