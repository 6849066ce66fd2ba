package dev.securechannel.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.RecordContexts;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameHeader;
import dev.securechannel.internal.session.FrameSink;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.FrameType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Key update (PROTOCOL.md section 8.3) and the AES-256-GCM key limit (section 8.2) in the
 * session: conformance cases S8-S14 and the configured interval.
 */
class KeyUpdateTest {

    private static final Extensions AES_WITH_KEY_UPDATE = new Extensions(Extensions.AES_256_GCM | Extensions.KEY_UPDATE);
    private static final Extensions AES_ONLY = new Extensions(Extensions.AES_256_GCM);
    private static final Extensions CHACHA_WITH_KEY_UPDATE = new Extensions(Extensions.KEY_UPDATE);
    private static final byte[] HELLO = {'h', 'i'};

    private final byte[] i2r = random(32);
    private final byte[] r2i = random(32);
    private final byte[] sessionId = random(32);

    @ParameterizedTest(name = "plaintext {0}")
    @ValueSource(strings = {"02", "ff", "", "0000", "0100"})
    void s8AKeyUpdateWhosePlaintextIsNotOneByteZeroOrOneEndsTheSession(String plaintext) throws Exception {
        KeyedSessionPair pair = pair(AES_WITH_KEY_UPDATE);
        byte[] forged = new SealingContext(RecordAlgorithm.AES_256_GCM, i2r, sessionId)
                .seal(FrameType.KEY_UPDATE, java.util.HexFormat.of().parseHex(plaintext));

        assertRejected(() -> pair.server.open(forged), FailureReason.MALFORMED_KEY_UPDATE);
        assertThat(FailureReason.MALFORMED_KEY_UPDATE.closeCode()).isEqualTo(1002);
        assertThat(pair.server.state()).isEqualTo(RecordSession.State.FAILED);
        assertRejected(() -> pair.server.open(pair.clientDataFrame(HELLO)), FailureReason.SESSION_CLOSED);
    }

    @Test
    void s9AKeyUpdateWithoutTheExtensionIsAnUnknownMessageType() {
        KeyedSessionPair pair = pair(AES_ONLY);
        byte[] forged = new SealingContext(RecordAlgorithm.AES_256_GCM, i2r, sessionId).seal(FrameType.KEY_UPDATE, new byte[1]);

        assertRejected(() -> pair.server.open(forged), FailureReason.UNKNOWN_MESSAGE_TYPE);
        assertThat(pair.server.state()).isEqualTo(RecordSession.State.FAILED);
    }

    @Test
    void s9UpdateKeyIsRefusedLocallyWithoutTheExtension() {
        KeyedSessionPair pair = pair(AES_ONLY);

        assertThatThrownBy(() -> pair.client.updateKey(false)).isInstanceOf(IllegalStateException.class);
        assertThat(pair.fromClient).isEmpty();
    }

    @Test
    void s10AFrameSealedUnderTheOldKeyAfterTheKeyUpdateFailsItsTag() throws Exception {
        KeyedSessionPair pair = pair(AES_WITH_KEY_UPDATE);
        SealingContext oldKey = new SealingContext(RecordAlgorithm.AES_256_GCM, i2r, sessionId);
        pair.client.updateKey(false);
        pair.deliverToServer(0);

        byte[] stale = oldKey.seal(FrameType.DATA, HELLO);
        assertThat(header(stale).sequence()).isZero();

        assertRejected(() -> pair.server.open(stale), FailureReason.DECRYPTION_FAILED);
        assertThat(FailureReason.DECRYPTION_FAILED.closeCode()).isEqualTo(1008);
    }

    @Test
    void s11AFrameAfterTheKeyUpdateMustCarrySequenceZero() throws Exception {
        KeyedSessionPair pair = pair(AES_WITH_KEY_UPDATE);
        pair.client.updateKey(false);
        pair.client.send(HELLO);
        pair.client.send(HELLO);
        assertThat(pair.server.open(pair.fromClient.get(0))).isNull();

        assertRejected(() -> pair.server.open(pair.fromClient.get(2)), FailureReason.SEQUENCE_GAP);
    }

    @Test
    void s12AnUpdateRequestIsAnsweredByExactlyOneKeyUpdateZeroAndThatAnswerIsNeverAnswered() throws Exception {
        KeyedSessionPair pair = pair(AES_WITH_KEY_UPDATE);
        pair.client.updateKey(true);

        assertThat(pair.deliverToServer(0)).isEmpty();
        assertThat(pair.fromServer).hasSize(1);
        assertThat(header(pair.fromServer.get(0)).type()).isEqualTo(FrameType.KEY_UPDATE);
        pair.server.send(HELLO);
        assertThat(pair.fromServer).hasSize(2);

        int sentByClient = pair.fromClient.size();
        assertThat(pair.deliverToClient(0)).containsExactly(new Message.Data(HELLO));
        assertThat(pair.fromClient).hasSize(sentByClient);
        assertThat(pair.client.keyUpdatesReceived()).isEqualTo(1);
        assertThat(pair.server.keyUpdatesSent()).isEqualTo(1);
        // Both directions run under their next keys and still carry data.
        pair.client.send(HELLO);
        assertThat(pair.deliverToServer(sentByClient)).containsExactly(new Message.Data(HELLO));
    }

    @Test
    void s12AnAnswerOwedWhileAnotherThreadHoldsTheSendLockGoesOutBeforeTheNextFrame() throws Exception {
        KeyedSessionPair pair = pair(AES_WITH_KEY_UPDATE);
        pair.client.updateKey(true);
        // While another thread is inside a send, open() cannot write the answer (it never waits
        // for the send lock), so the answer must precede the server's next frame instead.
        java.util.concurrent.CountDownLatch inSend = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<byte[]> wire = new java.util.concurrent.CopyOnWriteArrayList<>();
        // A server whose sink blocks its first write until released.
        RecordSession slowServer = sessionOver(frame -> {
            wire.add(frame);
            if (wire.size() == 1) {
                inSend.countDown();
                await(release);
            }
        });
        Thread sender = new Thread(() -> {
            try {
                slowServer.send(HELLO);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sender.start();
        assertThat(inSend.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(slowServer.open(pair.fromClient.get(0))).isNull();
        assertThat(wire).hasSize(1);
        release.countDown();
        sender.join(5000);
        slowServer.send(HELLO);

        assertThat(wire).hasSize(3);
        assertThat(header(wire.get(0)).type()).isEqualTo(FrameType.DATA);
        assertThat(header(wire.get(1)).type()).isEqualTo(FrameType.KEY_UPDATE);
        assertThat(header(wire.get(2)).type()).isEqualTo(FrameType.DATA);
        assertThat(header(wire.get(2)).sequence()).isZero();
        assertThat(slowServer.keyUpdatesSent()).isEqualTo(1);
    }

    @Test
    void s13WithKeyUpdateASessionCarriesOnPastTheLastSequenceNumber() throws Exception {
        long last = FrameCodec.MAX_SEQUENCE;
        SealingContext nearTheEnd = RecordContexts.sealingFrom(RecordAlgorithm.CHACHA20_POLY1305, i2r, sessionId, last - 1, 0);
        KeyedSessionPair pair = new KeyedSessionPair(CHACHA_WITH_KEY_UPDATE, nearTheEnd, i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);
        RecordSession receiver = sessionOpeningFrom(CHACHA_WITH_KEY_UPDATE, last - 1);

        pair.client.send(HELLO);
        pair.client.send(HELLO);
        pair.client.send(HELLO);

        assertThat(pair.fromClient).extracting(frame -> header(frame).type())
                .containsExactly(FrameType.DATA, FrameType.KEY_UPDATE, FrameType.DATA, FrameType.DATA);
        assertThat(pair.fromClient).extracting(frame -> header(frame).sequence()).containsExactly(last - 1, last, 0L, 1L);
        for (byte[] frame : pair.fromClient) {
            Message message = receiver.open(frame);
            assertThat(message == null || message.equals(new Message.Data(HELLO))).isTrue();
        }
        assertThat(receiver.keyUpdatesReceived()).isEqualTo(1);
    }

    @Test
    void s13WithoutKeyUpdateTheSenderStopsAtTheLastSequenceNumber() throws Exception {
        SealingContext atTheEnd = RecordContexts.sealingFrom(RecordAlgorithm.CHACHA20_POLY1305, i2r, sessionId,
                FrameCodec.MAX_SEQUENCE, 0);
        KeyedSessionPair pair = new KeyedSessionPair(Extensions.NONE, atTheEnd, i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);

        pair.client.send(HELLO);

        assertRejected(() -> pair.client.send(HELLO), FailureReason.SEQUENCE_EXHAUSTED);
        assertThat(pair.fromClient).hasSize(1);
    }

    @Test
    void s14AnAesGcmSenderUpdatesItsKeyBeforeTwoToTheThirtySixBytes() throws Exception {
        long budget = SealingContext.AES_GCM_MAX_BYTES_PER_KEY;
        SealingContext nearTheLimit = RecordContexts.sealingFrom(RecordAlgorithm.AES_256_GCM, i2r, sessionId, 7, budget - 2);
        KeyedSessionPair pair = new KeyedSessionPair(AES_WITH_KEY_UPDATE, nearTheLimit, i2r, r2i, sessionId,
                new KeyUpdatePolicy(Long.MAX_VALUE, Duration.ofDays(365)));
        RecordSession receiver = sessionOpeningFrom(AES_WITH_KEY_UPDATE, 7);

        pair.client.send(new byte[2]);
        pair.client.send(new byte[1]);

        assertThat(pair.fromClient).extracting(frame -> header(frame).type())
                .containsExactly(FrameType.DATA, FrameType.KEY_UPDATE, FrameType.DATA);
        assertThat(receiver.open(pair.fromClient.get(0))).isEqualTo(new Message.Data(new byte[2]));
        assertThat(receiver.open(pair.fromClient.get(1))).isNull();
        assertThat(receiver.open(pair.fromClient.get(2))).isEqualTo(new Message.Data(new byte[1]));
    }

    @Test
    void s14WithoutKeyUpdateAnAesGcmSenderEndsWithShutdownBeforeTheLimit() throws Exception {
        long budget = SealingContext.AES_GCM_MAX_BYTES_PER_KEY;
        SealingContext nearTheLimit = RecordContexts.sealingFrom(RecordAlgorithm.AES_256_GCM, i2r, sessionId, 0, budget - 2);
        KeyedSessionPair pair = new KeyedSessionPair(AES_ONLY, nearTheLimit, i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);

        pair.client.send(new byte[2]);
        assertRejected(() -> pair.client.send(new byte[1]), FailureReason.KEY_USAGE_EXHAUSTED);

        assertThat(pair.fromClient).extracting(frame -> header(frame).type()).containsExactly(FrameType.DATA, FrameType.SHUTDOWN);
        assertThat(pair.client.state()).isEqualTo(RecordSession.State.SHUTDOWN_SENT);
        assertThat(pair.deliverToServer(0)).containsExactly(new Message.Data(new byte[2]), new Message.Shutdown());
    }

    @Test
    void aSenderUpdatesOnceTheConfiguredByteIntervalHasPassed() throws Exception {
        int chunk = 600 * 1024;
        KeyedSessionPair pair = new KeyedSessionPair(AES_WITH_KEY_UPDATE, i2r, r2i, sessionId,
                new KeyUpdatePolicy(1L << 20, Duration.ofDays(1)));

        pair.client.send(new byte[chunk]);
        pair.client.send(new byte[chunk]);
        pair.client.send(new byte[chunk]);

        assertThat(pair.fromClient).extracting(frame -> header(frame).type())
                .containsExactly(FrameType.DATA, FrameType.DATA, FrameType.KEY_UPDATE, FrameType.DATA);
        assertThat(pair.deliverToServer(0)).hasSize(3);
    }

    @Test
    void aSenderUpdatesOnceTheConfiguredTimeHasPassed() throws Exception {
        KeyedSessionPair pair = new KeyedSessionPair(CHACHA_WITH_KEY_UPDATE, i2r, r2i, sessionId,
                new KeyUpdatePolicy(1L << 40, Duration.ofMinutes(10)));
        pair.client.send(HELLO);
        pair.nanos.addAndGet(Duration.ofMinutes(10).toNanos() - 1);
        pair.client.sendHeartbeat();
        pair.nanos.addAndGet(1);
        pair.client.send(HELLO);
        pair.client.send(HELLO);

        assertThat(pair.fromClient).extracting(frame -> header(frame).type()).containsExactly(
                FrameType.DATA, FrameType.HEARTBEAT, FrameType.KEY_UPDATE, FrameType.DATA, FrameType.DATA);
        assertThat(pair.deliverToServer(0)).hasSize(4);
    }

    @Test
    void withoutKeyUpdateNoIntervalEverSendsAKeyUpdate() throws Exception {
        KeyedSessionPair pair = new KeyedSessionPair(AES_ONLY, i2r, r2i, sessionId,
                new KeyUpdatePolicy(1L << 20, Duration.ofMinutes(1)));
        pair.nanos.addAndGet(Duration.ofHours(2).toNanos());
        pair.client.send(new byte[2 << 20]);
        pair.client.send(HELLO);

        assertThat(pair.fromClient).extracting(frame -> header(frame).type()).containsExactly(FrameType.DATA, FrameType.DATA);
    }

    private KeyedSessionPair pair(Extensions extensions) {
        return new KeyedSessionPair(extensions, i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);
    }

    /** A server-side session over {@code sink} for the pair's keys. */
    private RecordSession sessionOver(FrameSink sink) {
        KeyedSessionPair other = new KeyedSessionPair(AES_WITH_KEY_UPDATE, i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);
        return new RecordSession(other.server.handshake(), sink);
    }

    /** A server-side session whose opening context expects {@code firstSequence} from the client. */
    private RecordSession sessionOpeningFrom(Extensions extensions, long firstSequence) {
        KeyedSessionPair template = new KeyedSessionPair(extensions, i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);
        dev.securechannel.internal.handshake.HandshakeResult server = template.server.handshake();
        dev.securechannel.internal.handshake.HandshakeResult shifted = new dev.securechannel.internal.handshake.HandshakeResult(
                server.role(), server.sessionId(), server.sealing(),
                RecordContexts.openingFrom(RecordAlgorithm.of(extensions), i2r, sessionId, firstSequence),
                server.peerAttestation(), server.localDocument(), server.maxPayloadLength(), server.timings(),
                server.extensions(), server.keyUpdatePolicy());
        return new RecordSession(shifted, frame -> { });
    }

    private static FrameHeader header(byte[] frame) {
        return FrameCodec.decodeHeader(frame, 0, FrameCodec.MAX_PAYLOAD_LENGTH);
    }

    private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, FailureReason reason) {
        assertThatThrownBy(call).isInstanceOf(SecureChannelException.class)
                .satisfies(thrown -> assertThat(((SecureChannelException) thrown).reason()).isEqualTo(reason));
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
