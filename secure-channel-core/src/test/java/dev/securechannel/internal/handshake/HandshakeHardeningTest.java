package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.HandshakeFixtures.hello;
import static dev.securechannel.internal.handshake.HandshakeFixtures.nonce;
import static dev.securechannel.internal.handshake.HandshakeFixtures.publicKey;
import static dev.securechannel.internal.handshake.Rejections.assertHandshakeRejects;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.protocol.FrameType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Handshake hardening beyond the reference crate: reflection (CONFORMANCE N8), ignored Hello
 * flag bits (the Hello half of N5), the exact 64 KiB document boundary (N10), freshness across
 * handshakes (N18), and the wiping of ephemeral secrets when a handshake ends either way (the
 * handshake part of E17).
 */
class HandshakeHardeningTest {

    private static final int MOCK_OVERHEAD = 12 + 4 + (4 + 32) + (4 + 32);

    private static HandshakeInitiator waitingInitiator() {
        HandshakeInitiator initiator = HandshakeFixtures.initiator(development(), INITIATOR);
        initiator.start();
        return initiator;
    }

    private static HandshakeResponder waitingResponder() {
        HandshakeResponder responder = HandshakeFixtures.responder(development(), RESPONDER);
        responder.start();
        return responder;
    }

    @Nested
    @DisplayName("N8 reflection")
    class Reflection {

        @Test
        @DisplayName("N8 the initiator's own hello echoed back as message 2 is rejected")
        void ownHelloEchoedAsResponderHelloIsRejected() {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(development(), INITIATOR);
            byte[] echoed = WireFrames.withByte(initiator.start(), WireFrames.PAYLOAD_OFFSET, 2);
            // The echo carries a document that really binds its key and nonce: only the reflection check stops it.
            byte[] document = InsecureMockAttestation.encode(null, nonce(INITIATOR), publicKey(INITIATOR));
            assertThat(WireFrames.payload(echoed)).endsWith(document);

            assertHandshakeRejects(initiator, echoed, FailureReason.REFLECTED_HELLO);
        }

        @Test
        @DisplayName("N8 a responder hello carrying the initiator's public key is rejected")
        void responderHelloWithTheInitiatorsKeyIsRejected() {
            byte[] key = publicKey(INITIATOR);
            byte[] hello = hello(2, key, nonce(9), InsecureMockAttestation.encode(null, nonce(9), key));

            assertHandshakeRejects(waitingInitiator(), hello, FailureReason.REFLECTED_HELLO);
        }

        @Test
        @DisplayName("N8 a responder hello carrying the initiator's nonce is rejected")
        void responderHelloWithTheInitiatorsNonceIsRejected() {
            byte[] key = publicKey(9);
            byte[] hello = hello(2, key, nonce(INITIATOR), InsecureMockAttestation.encode(null, nonce(INITIATOR), key));

            assertHandshakeRejects(waitingInitiator(), hello, FailureReason.REFLECTED_HELLO);
        }

        @Test
        @DisplayName("N8 an initiator hello carrying the responder's own public key or nonce is rejected")
        void initiatorHelloWithTheRespondersKeyOrNonceIsRejected() {
            byte[] ownKey = publicKey(RESPONDER);
            byte[] ownNonce = nonce(RESPONDER);

            assertHandshakeRejects(waitingResponder(),
                    hello(1, ownKey, nonce(9), InsecureMockAttestation.encode(null, nonce(9), ownKey)), FailureReason.REFLECTED_HELLO);
            assertHandshakeRejects(waitingResponder(),
                    hello(1, publicKey(9), ownNonce, InsecureMockAttestation.encode(null, ownNonce, publicKey(9))),
                    FailureReason.REFLECTED_HELLO);
        }
    }

    @Nested
    @DisplayName("N5 Hello flags")
    class HelloFlags {

        @Test
        @DisplayName("N5 flag bits a receiver does not know are ignored: every bit of hello 1 at a base-only responder, "
                + "the low bits of hello 2, every bit of the confirmation")
        void unknownHelloFlagBitsAreIgnored() {
            HandshakeFixtures.Completed plain = HandshakeFixtures.complete();
            HandshakeInitiator initiator = HandshakeFixtures.initiator(development(), INITIATOR);
            HandshakeResponder responder = waitingResponder();

            byte[] responderHello = responder.onFrame(WireFrames.withFlags(initiator.start(), 0xFF)).reply();
            HandshakeStep confirmed = initiator.onFrame(WireFrames.withFlags(responderHello, 0x0F));
            HandshakeStep done = responder.onFrame(WireFrames.withFlags(confirmed.reply(), 0xFF));

            assertThat(responderHello).isEqualTo(plain.responderHello());
            assertThat(confirmed.reply()).isEqualTo(plain.confirmation());
            assertThat(done.isComplete()).isTrue();
            assertThat(done.result().sessionId()).isEqualTo(plain.responder().sessionId());
        }
    }

    @Nested
    @DisplayName("N10 document size boundary")
    class DocumentBoundary {

        @Test
        @DisplayName("N10 a document of exactly 65,536 bytes is accepted")
        void documentOfExactlySixtyFourKibIsAccepted() {
            byte[] userData = new byte[AttestationDocument.MAX_LENGTH - MOCK_OVERHEAD];
            SessionConfig bigDocuments = TestAttestation.developmentWith(TestAttestation.lyingProvider(
                    (nonce, key) -> InsecureMockAttestation.encode(userData, nonce, key)));

            HandshakeFixtures.Completed done = HandshakeFixtures.completeFresh(bigDocuments, bigDocuments);

            assertThat(WireFrames.payloadLength(done.initiatorHello())).isEqualTo(Hello.FIXED_LENGTH + 65_536L);
            assertThat(done.responder().peerAttestation().userData()).hasValueSatisfying(data -> assertThat(data).hasSize(userData.length));
        }

        @Test
        @DisplayName("N10 a document of 65,537 bytes is rejected")
        void documentOfSixtyFourKibPlusOneIsRejected() {
            byte[] key = publicKey(9);
            byte[] document = InsecureMockAttestation.encode(new byte[AttestationDocument.MAX_LENGTH + 1 - MOCK_OVERHEAD], nonce(9), key);
            assertThat(document).hasSize(65_537);
            byte[] lengthField = new byte[4];
            WireFrames.putU32(lengthField, 0, document.length);
            byte[] payload = WireFrames.concat(new byte[] {1}, key, nonce(9), lengthField, document);
            assertThat(payload.length).isLessThanOrEqualTo(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH);

            assertHandshakeRejects(waitingResponder(), WireFrames.frame(FrameType.HELLO.code(), 0, 0, payload),
                    FailureReason.ATTESTATION_DOCUMENT_TOO_LARGE);
        }
    }

    @Nested
    @DisplayName("N18 freshness")
    class Freshness {

        @Test
        @DisplayName("N18 two handshakes between the same configurations use different keys, nonces and session ids")
        void twoHandshakesShareNoKeyMaterial() {
            HandshakeFixtures.Completed first = HandshakeFixtures.completeFresh(development(), development());
            HandshakeFixtures.Completed second = HandshakeFixtures.completeFresh(development(), development());

            assertThat(first.initiator().peerAttestation().publicKey().orElseThrow())
                    .isNotEqualTo(second.initiator().peerAttestation().publicKey().orElseThrow());
            assertThat(first.responder().peerAttestation().publicKey().orElseThrow())
                    .isNotEqualTo(second.responder().peerAttestation().publicKey().orElseThrow());
            assertThat(first.responder().peerAttestation().nonce().orElseThrow())
                    .isNotEqualTo(second.responder().peerAttestation().nonce().orElseThrow());
            assertThat(first.initiator().sessionId()).isNotEqualTo(second.initiator().sessionId());
            assertThat(first.confirmation()).isNotEqualTo(second.confirmation());
        }

        @Test
        @DisplayName("N18 a frame from one session does not open in another between the same configurations")
        void framesDoNotCrossSessions() {
            HandshakeFixtures.Completed first = HandshakeFixtures.completeFresh(development(), development());
            HandshakeFixtures.Completed second = HandshakeFixtures.completeFresh(development(), development());
            byte[] frame = first.initiator().sealing().seal(FrameType.DATA, "hello".getBytes(StandardCharsets.UTF_8));

            thrownBy(() -> second.responder().opening().open(frame, FrameCodec.decodeMessageHeader(frame, 1024)),
                    FailureReason.DECRYPTION_FAILED);
        }
    }

    @Nested
    @DisplayName("E17 ephemeral secrets are wiped")
    class Wiping {

        @Test
        @DisplayName("E17 a completed handshake destroys both ephemeral private keys")
        void completedHandshakeDestroysBothPrivateKeys() {
            X25519KeyPair initiatorKeys = HandshakeFixtures.keyPair(INITIATOR);
            X25519KeyPair responderKeys = HandshakeFixtures.keyPair(RESPONDER);

            HandshakeFixtures.complete(HandshakeFixtures.initiator(development(), initiatorKeys, nonce(INITIATOR)),
                    HandshakeFixtures.responder(development(), responderKeys, nonce(RESPONDER)));

            assertDestroyed(initiatorKeys);
            assertDestroyed(responderKeys);
        }

        @Test
        @DisplayName("E17 an aborted handshake destroys its ephemeral private key")
        void abortedHandshakeDestroysItsPrivateKey() {
            X25519KeyPair keys = HandshakeFixtures.keyPair(INITIATOR);
            HandshakeInitiator initiator = HandshakeFixtures.initiator(development(), keys, nonce(INITIATOR));
            initiator.start();

            initiator.abort();

            assertDestroyed(keys);
            assertThat(initiator.isFailed()).isTrue();
        }

        @Test
        @DisplayName("E17 a rejected frame destroys the receiver's ephemeral private key")
        void rejectedFrameDestroysThePrivateKey() {
            X25519KeyPair keys = HandshakeFixtures.keyPair(RESPONDER);
            HandshakeResponder responder = HandshakeFixtures.responder(development(), keys, nonce(RESPONDER));
            responder.start();

            thrownBy(() -> responder.onFrame(new byte[] {1, 2, 3}), FailureReason.MALFORMED_FRAME);

            assertDestroyed(keys);
        }

        @Test
        @DisplayName("E17 a responder aborted while awaiting the confirmation wipes the session keys it derived")
        void responderAbortedBeforeTheConfirmationWipesItsDerivedKeys() throws ReflectiveOperationException {
            HandshakeResponder responder = waitingResponder();
            responder.onFrame(HandshakeFixtures.complete().initiatorHello());
            responder.replySent();
            SessionKeys derived = derivedKeysOf(responder);
            assertThat(derived.isDestroyed()).isFalse();

            responder.abort();

            assertThat(derived.isDestroyed()).isTrue();
            assertThatThrownBy(derived::initiatorToResponder).isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("E17 a responder that rejects a wrong confirmation wipes the session keys it derived")
        void responderRejectingTheConfirmationWipesItsDerivedKeys() throws ReflectiveOperationException {
            HandshakeFixtures.Completed honest = HandshakeFixtures.complete();
            HandshakeResponder responder = waitingResponder();
            responder.onFrame(honest.initiatorHello());
            responder.replySent();
            SessionKeys derived = derivedKeysOf(responder);

            assertHandshakeRejects(responder, WireFrames.flipBit(honest.confirmation(), 8 * 20), FailureReason.CONFIRMATION_MISMATCH);

            assertThat(derived.isDestroyed()).isTrue();
        }

        @Test
        @DisplayName("E17 session keys wipe themselves and refuse to be read afterwards")
        void sessionKeysWipeThemselves() {
            SessionKeys keys = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER);

            keys.destroy();

            assertThat(keys.isDestroyed()).isTrue();
            assertThatThrownBy(keys::initiatorToResponder).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(keys::responderToInitiator).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(keys::confirmation).isInstanceOf(IllegalStateException.class);
        }

        private void assertDestroyed(X25519KeyPair keys) {
            assertThat(keys.isDestroyed()).isTrue();
            assertThatThrownBy(() -> keys.agree(publicKey(9))).isInstanceOf(IllegalStateException.class);
        }

        /** The keys a responder holds between its hello and the confirmation; private state, hence reflection. */
        private SessionKeys derivedKeysOf(HandshakeResponder responder) throws ReflectiveOperationException {
            Field field = HandshakeResponder.class.getDeclaredField("keys");
            field.setAccessible(true);
            return (SessionKeys) field.get(responder);
        }
    }
}
