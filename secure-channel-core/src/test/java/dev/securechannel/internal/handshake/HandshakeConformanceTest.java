package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.HandshakeFixtures.hello;
import static dev.securechannel.internal.handshake.HandshakeFixtures.initiator;
import static dev.securechannel.internal.handshake.HandshakeFixtures.nonce;
import static dev.securechannel.internal.handshake.HandshakeFixtures.publicKey;
import static dev.securechannel.internal.handshake.HandshakeFixtures.responder;
import static dev.securechannel.internal.handshake.Rejections.assertDeferredRejection;
import static dev.securechannel.internal.handshake.Rejections.assertHandshakeRejects;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.handshake.Role;
import dev.securechannel.internal.crypto.Hkdf;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.Sha256;
import dev.securechannel.internal.crypto.Transcript;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.session.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The handshake of PROTOCOL.md sections 2 and 3, driven frame by frame without any transport:
 * CONFORMANCE cases C1-C9 and C14-C19 (the transport-bound cases C10-C13 and C22 live in
 * {@code SecureChannelInMemoryTest} and {@code TcpSecureChannelTest}, the fuzz cases C20 and
 * C21 in {@link HandshakeFuzzTest}).
 *
 * <p>Both parties use fixed keys and nonces, so each crafted frame is a one-byte edit of a
 * frame an honest peer sends, and expected keys are computed independently of the state
 * machines.
 */
class HandshakeConformanceTest {

    private static final int MOCK_DOCUMENT_LENGTH = 12 + 4 + 4 + 32 + 4 + 32;
    private static final int HELLO_PAYLOAD_LENGTH = Hello.FIXED_LENGTH + MOCK_DOCUMENT_LENGTH;

    /** The frames an honest fixed-key initiator and responder exchange; each test edits one. */
    private HandshakeFixtures.Completed honest;

    @BeforeEach
    void runHonestHandshake() {
        honest = HandshakeFixtures.complete();
    }

    private static HandshakeResponder waitingResponder() {
        HandshakeResponder responder = responder(development(), RESPONDER);
        assertThat(responder.start()).isNull();
        return responder;
    }

    private static HandshakeInitiator waitingInitiator() {
        HandshakeInitiator initiator = initiator(development(), INITIATOR);
        assertThat(initiator.start()).isNotNull();
        return initiator;
    }

    private HandshakeResponder responderAwaitingConfirmation() {
        HandshakeResponder responder = waitingResponder();
        assertThat(responder.onFrame(honest.initiatorHello()).reply()).isEqualTo(honest.responderHello());
        return responder;
    }

    @Nested
    @DisplayName("C1 happy path")
    class HappyPath {

        @Test
        @DisplayName("C1 exactly three Hello frames with sequences 0, 0, 1 and message numbers 1, 2, 3")
        void threeHelloFramesWithSequencesZeroZeroOne() {
            List<byte[]> frames = List.of(honest.initiatorHello(), honest.responderHello(), honest.confirmation());

            assertThat(frames).extracting(WireFrames::type).containsOnly(FrameType.HELLO.code());
            assertThat(frames).extracting(WireFrames::flags).containsOnly(0);
            assertThat(frames).extracting(WireFrames::sequence).containsExactly(0L, 0L, 1L);
            assertThat(frames).extracting(frame -> (int) frame[WireFrames.PAYLOAD_OFFSET]).containsExactly(1, 2, 3);
            assertThat(WireFrames.payloadLength(honest.initiatorHello())).isEqualTo(HELLO_PAYLOAD_LENGTH);
            assertThat(WireFrames.payloadLength(honest.confirmation())).isEqualTo(Hello.CONFIRMATION_LENGTH);
        }

        @Test
        @DisplayName("C1 both sides are established and Data flows both ways")
        void bothSidesEstablishedAndDataFlowsBothWays() {
            assertThat(honest.initiator().role()).isEqualTo(Role.INITIATOR);
            assertThat(honest.responder().role()).isEqualTo(Role.RESPONDER);
            List<byte[]> toResponder = new ArrayList<>();
            List<byte[]> toInitiator = new ArrayList<>();
            RecordSession client = new RecordSession(honest.initiator(), toResponder::add);
            RecordSession server = new RecordSession(honest.responder(), toInitiator::add);

            sendQuietly(client, "ping");
            sendQuietly(server, "pong");

            assertThat(server.open(toResponder.get(0))).isEqualTo(new Message.Data(utf8("ping")));
            assertThat(client.open(toInitiator.get(0))).isEqualTo(new Message.Data(utf8("pong")));
        }
    }

    @Nested
    @DisplayName("C2 wrong handshake sequence")
    class WrongSequence {

        @Test
        @DisplayName("C2 initiator hello with sequence 99 is rejected by the responder")
        void initiatorHelloWithSequence99IsRejected() {
            SecureChannelException thrown = assertHandshakeRejects(waitingResponder(),
                    WireFrames.withSequence(honest.initiatorHello(), 99), FailureReason.UNEXPECTED_SEQUENCE);

            assertThat(thrown).hasMessageStartingWith("unexpected handshake sequence");
        }

        @Test
        @DisplayName("C2 responder hello with sequence 99 is rejected by the initiator")
        void responderHelloWithSequence99IsRejected() {
            assertHandshakeRejects(waitingInitiator(), WireFrames.withSequence(honest.responderHello(), 99),
                    FailureReason.UNEXPECTED_SEQUENCE);
        }

        @Test
        @DisplayName("C2 confirmation with sequence 0 instead of 1 is rejected")
        void confirmationWithSequenceZeroIsRejected() {
            assertHandshakeRejects(responderAwaitingConfirmation(), WireFrames.withSequence(honest.confirmation(), 0),
                    FailureReason.UNEXPECTED_SEQUENCE);
        }
    }

    @Nested
    @DisplayName("C3 non-Hello frame during the handshake")
    class NonHelloFrame {

        @Test
        @DisplayName("C3 a Data-typed initiator hello is an unexpected message")
        void dataTypedInitiatorHelloIsRejected() {
            assertHandshakeRejects(waitingResponder(), WireFrames.withType(honest.initiatorHello(), FrameType.DATA.code()),
                    FailureReason.UNEXPECTED_MESSAGE);
        }

        @Test
        @DisplayName("C3 a Data-typed responder hello is an unexpected message")
        void dataTypedResponderHelloIsRejected() {
            assertHandshakeRejects(waitingInitiator(), WireFrames.withType(honest.responderHello(), FrameType.DATA.code()),
                    FailureReason.UNEXPECTED_MESSAGE);
        }

        @Test
        @DisplayName("C3 a sealed Data frame instead of the confirmation is an unexpected message")
        void sealedDataFrameInsteadOfConfirmationIsRejected() {
            byte[] sealed = HandshakeFixtures.complete().initiator().sealing().seal(FrameType.DATA, utf8("early data"));

            assertHandshakeRejects(responderAwaitingConfirmation(), sealed, FailureReason.UNEXPECTED_MESSAGE);
        }
    }

    @Nested
    @DisplayName("C4 wrong message number")
    class WrongMessageNumber {

        @Test
        @DisplayName("C4 message number 2 where the responder expects 1")
        void messageTwoWhereOneIsExpected() {
            assertHandshakeRejects(waitingResponder(), honest.responderHello(), FailureReason.UNEXPECTED_MESSAGE);
        }

        @Test
        @DisplayName("C4 message number 3 before 2 at the initiator")
        void messageThreeBeforeTwo() {
            byte[] renumbered = WireFrames.withByte(honest.responderHello(), WireFrames.PAYLOAD_OFFSET, 3);

            assertHandshakeRejects(waitingInitiator(), renumbered, FailureReason.UNEXPECTED_MESSAGE);
        }

        @Test
        @DisplayName("C4 a confirmation renumbered as message 2 is rejected by the responder")
        void confirmationRenumberedAsTwo() {
            byte[] renumbered = WireFrames.withByte(honest.confirmation(), WireFrames.PAYLOAD_OFFSET, 2);

            assertHandshakeRejects(responderAwaitingConfirmation(), renumbered, FailureReason.UNEXPECTED_MESSAGE);
        }

        @Test
        @DisplayName("C4 message numbers 0 and 4 are never expected")
        void messageNumbersOutsideOneToThree() {
            assertHandshakeRejects(waitingResponder(), WireFrames.withByte(honest.initiatorHello(), WireFrames.PAYLOAD_OFFSET, 0),
                    FailureReason.UNEXPECTED_MESSAGE);
            assertHandshakeRejects(waitingResponder(), WireFrames.withByte(honest.initiatorHello(), WireFrames.PAYLOAD_OFFSET, 4),
                    FailureReason.UNEXPECTED_MESSAGE);
        }
    }

    @Nested
    @DisplayName("C5 truncated hello or header")
    class Truncated {

        @Test
        @DisplayName("C5 an initiator hello with an 11-byte payload is too short")
        void elevenBytePayloadIsTooShort() {
            SecureChannelException thrown = assertHandshakeRejects(waitingResponder(),
                    WireFrames.truncatePayload(honest.initiatorHello(), 11), FailureReason.MALFORMED_HELLO);

            assertThat(thrown).hasMessageContaining("hello too short");
        }

        @Test
        @DisplayName("C5 a responder hello one byte short of the fixed 69 bytes is too short")
        void sixtyEightBytePayloadIsTooShort() {
            assertHandshakeRejects(waitingInitiator(), WireFrames.truncatePayload(honest.responderHello(), Hello.FIXED_LENGTH - 1),
                    FailureReason.MALFORMED_HELLO);
        }

        @Test
        @DisplayName("C5 a three-byte header fragment cf4d02 is a malformed frame")
        void headerFragmentIsMalformed() {
            byte[] fragment = {(byte) 0xCF, 0x4D, 0x02};

            assertHandshakeRejects(waitingResponder(), fragment, FailureReason.MALFORMED_FRAME);
            assertHandshakeRejects(waitingInitiator(), fragment, FailureReason.MALFORMED_FRAME);
        }

        @Test
        @DisplayName("C5 a hello whose bytes end before its declared length is a malformed frame")
        void helloShorterThanDeclaredIsMalformed() {
            byte[] cut = Arrays.copyOf(honest.initiatorHello(), honest.initiatorHello().length - 1);

            assertHandshakeRejects(waitingResponder(), cut, FailureReason.MALFORMED_FRAME);
        }
    }

    @Nested
    @DisplayName("C6 trailing bytes after the document")
    class TrailingBytes {

        @Test
        @DisplayName("C6 initiator hello with one trailing byte")
        void initiatorHelloWithTrailingByte() {
            SecureChannelException thrown = assertHandshakeRejects(waitingResponder(),
                    WireFrames.appendToPayload(honest.initiatorHello(), (byte) 0), FailureReason.MALFORMED_HELLO);

            assertThat(thrown).hasMessageContaining("expected " + HELLO_PAYLOAD_LENGTH + " bytes, got " + (HELLO_PAYLOAD_LENGTH + 1));
        }

        @Test
        @DisplayName("C6 responder hello with one trailing byte")
        void responderHelloWithTrailingByte() {
            assertHandshakeRejects(waitingInitiator(), WireFrames.appendToPayload(honest.responderHello(), (byte) 0),
                    FailureReason.MALFORMED_HELLO);
        }
    }

    @Nested
    @DisplayName("C7 confirmation length")
    class ConfirmationLength {

        @Test
        @DisplayName("C7 a 34-byte confirmation is rejected")
        void thirtyFourByteConfirmationIsRejected() {
            SecureChannelException thrown = assertHandshakeRejects(responderAwaitingConfirmation(),
                    WireFrames.appendToPayload(honest.confirmation(), (byte) 0), FailureReason.MALFORMED_HELLO);

            assertThat(thrown).hasMessageContaining("expected 33 bytes, got 34");
        }

        @Test
        @DisplayName("C7 a 32-byte confirmation is rejected")
        void thirtyTwoByteConfirmationIsRejected() {
            assertHandshakeRejects(responderAwaitingConfirmation(), WireFrames.truncatePayload(honest.confirmation(), 32),
                    FailureReason.MALFORMED_HELLO);
        }
    }

    @Nested
    @DisplayName("C8 document length field")
    class DocumentLength {

        private static final int DOCUMENT_LENGTH_OFFSET = WireFrames.PAYLOAD_OFFSET + 65;

        private byte[] withDocumentLength(byte[] hello, long length) {
            byte[] copy = hello.clone();
            WireFrames.putU32(copy, DOCUMENT_LENGTH_OFFSET, length);
            return copy;
        }

        @Test
        @DisplayName("C8 doc_len of 64 KiB + 1 is too large, whatever follows")
        void documentLengthOverSixtyFourKibIsTooLarge() {
            SecureChannelException thrown = assertHandshakeRejects(waitingResponder(),
                    withDocumentLength(honest.initiatorHello(), 65_537), FailureReason.ATTESTATION_DOCUMENT_TOO_LARGE);

            assertThat(thrown.reason().closeCode()).isEqualTo(1009);
        }

        @Test
        @DisplayName("C8 doc_len 0xFFFFFFFF is too large")
        void maximalDocumentLengthIsTooLarge() {
            assertHandshakeRejects(waitingInitiator(), withDocumentLength(honest.responderHello(), 0xFFFF_FFFFL),
                    FailureReason.ATTESTATION_DOCUMENT_TOO_LARGE);
        }

        @Test
        @DisplayName("C8 doc_len one larger than the bytes present is a length mismatch")
        void documentLengthBeyondTheBytesPresentIsRejected() {
            SecureChannelException thrown = assertHandshakeRejects(waitingResponder(),
                    withDocumentLength(honest.initiatorHello(), MOCK_DOCUMENT_LENGTH + 1), FailureReason.MALFORMED_HELLO);

            assertThat(thrown).hasMessageContaining("expected " + (HELLO_PAYLOAD_LENGTH + 1) + " bytes, got " + HELLO_PAYLOAD_LENGTH);
        }
    }

    @Nested
    @DisplayName("C9 handshake read bound")
    class HandshakeReadBound {

        @Test
        @DisplayName("C9 a Hello header declaring 32 MiB overflows the handshake buffer at once")
        void helloDeclaringThirtyTwoMibOverflows() {
            byte[] header = WireFrames.header(FrameType.HELLO.code(), 0, 0, FrameCodec.MAX_PAYLOAD_LENGTH);

            SecureChannelException thrown = assertHandshakeRejects(waitingResponder(), header, FailureReason.HANDSHAKE_BUFFER_OVERFLOW);
            assertHandshakeRejects(waitingInitiator(), header, FailureReason.HANDSHAKE_BUFFER_OVERFLOW);

            assertThat(thrown.reason().closeCode()).isEqualTo(1009);
        }

        @Test
        @DisplayName("C9 one byte over 64 KiB + 1024 overflows; exactly that much is within the bound")
        void boundIsSixtyFourKibPlusOneKib() {
            int bound = Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH;
            assertThat(bound).isEqualTo(64 * 1024 + 1024);

            assertHandshakeRejects(waitingResponder(), WireFrames.header(FrameType.HELLO.code(), 0, 0, bound + 1L),
                    FailureReason.HANDSHAKE_BUFFER_OVERFLOW);
            // Within the bound the header passes; the missing payload is what fails.
            assertHandshakeRejects(waitingResponder(), WireFrames.header(FrameType.HELLO.code(), 0, 0, bound),
                    FailureReason.MALFORMED_FRAME);
        }
    }

    @Nested
    @DisplayName("C14 confirmation hash")
    class ConfirmationHash {

        @Test
        @DisplayName("C14 a confirmation with any one of its 256 hash bits flipped is rejected")
        void confirmationWithOneFlippedBitIsRejected() {
            int firstHashBit = (WireFrames.PAYLOAD_OFFSET + 1) * 8;
            for (int bit = firstHashBit; bit < firstHashBit + 256; bit++) {
                SecureChannelException thrown = assertHandshakeRejects(responderAwaitingConfirmation(),
                        WireFrames.flipBit(honest.confirmation(), bit), FailureReason.CONFIRMATION_MISMATCH);

                assertThat(thrown.reason().closeCode()).isEqualTo(1008);
                assertThat(thrown).hasMessage("confirmation hash mismatch");
            }
        }

        @Test
        @DisplayName("C14 the unmodified confirmation completes the handshake")
        void unmodifiedConfirmationCompletes() {
            HandshakeStep step = responderAwaitingConfirmation().onFrame(honest.confirmation());

            assertThat(step.isComplete()).isTrue();
            assertThat(step.reply()).isNull();
        }
    }

    @Nested
    @DisplayName("C15 non-contributory key")
    class NonContributoryKey {

        private final byte[] zero = new byte[32];
        private final byte[] one = HexFormat.of().parseHex("0100000000000000000000000000000000000000000000000000000000000000");

        private byte[] liarHello(int messageNumber, byte[] publicKey) {
            byte[] liarNonce = nonce(99);
            return hello(messageNumber, publicKey, liarNonce, InsecureMockAttestation.encode(null, liarNonce, publicKey));
        }

        @Test
        @DisplayName("C15 an all-zero initiator public key is rejected by the responder's deferred key derivation")
        void allZeroInitiatorKeyIsRejected() {
            assertDeferredRejection(waitingResponder(), liarHello(1, zero), FailureReason.NON_CONTRIBUTORY_KEY);
        }

        @Test
        @DisplayName("C15 an all-zero responder public key is rejected by the initiator")
        void allZeroResponderKeyIsRejected() {
            assertHandshakeRejects(waitingInitiator(), liarHello(2, zero), FailureReason.NON_CONTRIBUTORY_KEY);
        }

        @Test
        @DisplayName("C15 the low-order point u = 1 gives an all-zero secret and is rejected")
        void lowOrderPointOneIsRejected() {
            assertDeferredRejection(waitingResponder(), liarHello(1, one), FailureReason.NON_CONTRIBUTORY_KEY);
            assertHandshakeRejects(waitingInitiator(), liarHello(2, one), FailureReason.NON_CONTRIBUTORY_KEY);
        }
    }

    @Nested
    @DisplayName("C16-C19 key schedule")
    class KeySchedule {

        private final SessionKeys expected = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER);

        private byte[] open(OpeningContext opening, byte[] frame) {
            return opening.open(frame, FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH));
        }

        @Test
        @DisplayName("C16 the initiator seals with k_i2r, which the responder opens")
        void initiatorSendKeyIsResponderReceiveKey() {
            byte[] frame = honest.initiator().sealing().seal(FrameType.DATA, utf8("to responder"));

            assertThat(open(new OpeningContext(expected.initiatorToResponder(), expected.sessionId()), frame)).isEqualTo(utf8("to responder"));
            assertThat(open(honest.responder().opening(), frame)).isEqualTo(utf8("to responder"));
        }

        @Test
        @DisplayName("C16 the responder seals with k_r2i, which the initiator opens")
        void responderSendKeyIsInitiatorReceiveKey() {
            byte[] frame = honest.responder().sealing().seal(FrameType.DATA, utf8("to initiator"));

            assertThat(open(new OpeningContext(expected.responderToInitiator(), expected.sessionId()), frame)).isEqualTo(utf8("to initiator"));
            assertThat(open(honest.initiator().opening(), frame)).isEqualTo(utf8("to initiator"));
        }

        @Test
        @DisplayName("C16 send and receive keys differ, so a frame reflected to its sender does not open")
        void sendKeyDiffersFromReceiveKey() {
            assertThat(expected.initiatorToResponder()).isNotEqualTo(expected.responderToInitiator());
            byte[] frame = honest.initiator().sealing().seal(FrameType.DATA, utf8("reflected"));

            thrownBy(() -> open(honest.initiator().opening(), frame), FailureReason.DECRYPTION_FAILED);
        }

        @Test
        @DisplayName("C17 the same inputs give the same hellos, confirmation and session id")
        void handshakeIsDeterministicForFixedInputs() {
            HandshakeFixtures.Completed again = HandshakeFixtures.complete();

            assertThat(again.initiatorHello()).isEqualTo(honest.initiatorHello());
            assertThat(again.responderHello()).isEqualTo(honest.responderHello());
            assertThat(again.confirmation()).isEqualTo(honest.confirmation());
            assertThat(again.responder().sessionId()).isEqualTo(honest.responder().sessionId());
        }

        @Test
        @DisplayName("C17 the transcript does not depend on which public key is passed first")
        void transcriptIsIndependentOfPublicKeyOrder() {
            byte[] docI = Sha256.hash(HandshakeFixtures.mockDocument(INITIATOR));
            byte[] docR = Sha256.hash(HandshakeFixtures.mockDocument(RESPONDER));

            assertThat(Transcript.hash(docI, docR, publicKey(INITIATOR), publicKey(RESPONDER), nonce(1), nonce(2), 4))
                    .isEqualTo(Transcript.hash(docI, docR, publicKey(RESPONDER), publicKey(INITIATOR), nonce(1), nonce(2), 4));
        }

        @Test
        @DisplayName("C17 the transcript changes with either nonce, either attestation hash and the version")
        void transcriptChangesWithEveryBoundInput() {
            byte[] docI = Sha256.hash(HandshakeFixtures.mockDocument(INITIATOR));
            byte[] docR = Sha256.hash(HandshakeFixtures.mockDocument(RESPONDER));
            byte[] pkI = publicKey(INITIATOR);
            byte[] pkR = publicKey(RESPONDER);
            byte[] base = Transcript.hash(docI, docR, pkI, pkR, nonce(1), nonce(2), 4);

            assertThat(base).isEqualTo(HandshakeFixtures.expectedTranscript(INITIATOR, RESPONDER));
            assertThat(List.of(
                    Transcript.hash(docI, docR, pkI, pkR, nonce(3), nonce(2), 4),
                    Transcript.hash(docI, docR, pkI, pkR, nonce(1), nonce(3), 4),
                    Transcript.hash(flip(docI), docR, pkI, pkR, nonce(1), nonce(2), 4),
                    Transcript.hash(docI, flip(docR), pkI, pkR, nonce(1), nonce(2), 4),
                    Transcript.hash(docI, docR, pkI, pkR, nonce(1), nonce(2), 3)))
                    .allSatisfy(changed -> assertThat(changed).isNotEqualTo(base));
        }

        @Test
        @DisplayName("C17 the v4 labelled transcript differs from the legacy unlabelled hash")
        void transcriptDiffersFromLegacyUnlabelledHash() {
            byte[] docI = Sha256.hash(HandshakeFixtures.mockDocument(INITIATOR));
            byte[] docR = Sha256.hash(HandshakeFixtures.mockDocument(RESPONDER));
            byte[] pkI = publicKey(INITIATOR);
            byte[] pkR = publicKey(RESPONDER);
            boolean initiatorLow = Arrays.compareUnsigned(pkI, pkR) <= 0;
            byte[] combined = xor(nonce(1), nonce(2));
            for (int version : new int[] {3, 4}) {
                byte[] legacy = Sha256.hash(WireFrames.concat(docI, docR, initiatorLow ? pkI : pkR, initiatorLow ? pkR : pkI,
                        combined, new byte[] {(byte) version}));

                assertThat(HandshakeFixtures.expectedTranscript(INITIATOR, RESPONDER)).isNotEqualTo(legacy);
            }
        }

        @Test
        @DisplayName("C17 a different responder nonce gives a different session id")
        void differentNonceGivesDifferentSessionId() {
            HandshakeFixtures.Completed other = HandshakeFixtures.complete(initiator(development(), INITIATOR),
                    responder(development(), HandshakeFixtures.keyPair(RESPONDER), nonce(3)));

            assertThat(other.responder().sessionId()).isNotEqualTo(honest.responder().sessionId());
        }

        @Test
        @DisplayName("C18 both sides hold session_id = HKDF(salt 0, transcript, \"cmt-session-id\")")
        void bothSidesDeriveTheSameSessionId() {
            byte[] transcript = HandshakeFixtures.expectedTranscript(INITIATOR, RESPONDER);
            byte[] sessionId = Hkdf.expand(Hkdf.extract(new byte[32], transcript), ascii("cmt-session-id"), 32);

            assertThat(honest.initiator().sessionId()).isEqualTo(sessionId);
            assertThat(honest.responder().sessionId()).isEqualTo(sessionId);
        }

        @Test
        @DisplayName("C18 the session id is in the AAD: the right key under another session id does not open")
        void sessionIdIsBoundIntoEveryFrame() {
            byte[] otherSessionId = flip(expected.sessionId());
            byte[] forged = new SealingContext(expected.initiatorToResponder(), otherSessionId).seal(FrameType.DATA, utf8("x"));

            thrownBy(() -> open(honest.responder().opening(), forged), FailureReason.DECRYPTION_FAILED);
        }

        @Test
        @DisplayName("C19 the confirmation is SHA-256(\"cmt-confirmation\" | session_id | k_i2r | k_r2i)")
        void confirmationBindsSessionIdAndBothKeys() {
            byte[] hash = Sha256.hash(WireFrames.concat(ascii("cmt-confirmation"), expected.sessionId(),
                    expected.initiatorToResponder(), expected.responderToInitiator()));

            assertThat(WireFrames.payload(honest.confirmation())).isEqualTo(WireFrames.concat(new byte[] {3}, hash));
            assertThat(expected.confirmation()).isEqualTo(hash);
        }

        @Test
        @DisplayName("C19 a confirmation over the keys in swapped order is rejected")
        void confirmationWithKeysSwappedIsRejected() {
            byte[] swapped = Sha256.hash(WireFrames.concat(ascii("cmt-confirmation"), expected.sessionId(),
                    expected.responderToInitiator(), expected.initiatorToResponder()));

            assertHandshakeRejects(responderAwaitingConfirmation(), HandshakeFixtures.confirmation(swapped),
                    FailureReason.CONFIRMATION_MISMATCH);
        }

        @Test
        @DisplayName("C19 traffic decrypts in both directions after the confirmation")
        void trafficDecryptsInBothDirections() {
            for (int i = 0; i < 3; i++) {
                byte[] up = honest.initiator().sealing().seal(FrameType.DATA, utf8("up " + i));
                byte[] down = honest.responder().sealing().seal(FrameType.DATA, utf8("down " + i));

                assertThat(open(honest.responder().opening(), up)).isEqualTo(utf8("up " + i));
                assertThat(open(honest.initiator().opening(), down)).isEqualTo(utf8("down " + i));
            }
        }
    }

    private static byte[] flip(byte[] value) {
        byte[] copy = value.clone();
        copy[0] ^= 1;
        return copy;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void sendQuietly(RecordSession session, String text) {
        try {
            session.send(utf8(text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
