package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static dev.securechannel.internal.handshake.HandshakeFixtures.developmentBuilder;
import static dev.securechannel.internal.handshake.Rejections.assertHandshakeRejects;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.handshake.ExtensionMode;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.protocol.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Extension negotiation (PROTOCOL.md section 8.1), CONFORMANCE cases S1-S7, driven frame by
 * frame with the fixed-key parties: what each side offers and accepts, which record AEAD the
 * session gets, and that every change a relay can make to the extension bits either leaves a
 * secure base version 4 session or fails the handshake. (The byte-exact side of S1-S3 is
 * {@link ProtocolKnownAnswerTest}; over WebSocket, {@code ExtensionNegotiationWebSocketTest}.)
 */
class ExtensionNegotiationTest {

    private static final int AES_AND_KEY_UPDATE = Extensions.AES_256_GCM | Extensions.KEY_UPDATE;

    private static final SessionConfig BASE = HandshakeFixtures.development();
    private static final SessionConfig DEFAULT = HandshakeFixtures.extended();
    private static final SessionConfig AES_ONLY = developmentBuilder().keyUpdate(ExtensionMode.OFF).build();
    private static final SessionConfig REQUIRES_AES = developmentBuilder().aes256Gcm(ExtensionMode.REQUIRE).build();
    private static final SessionConfig REQUIRES_KEY_UPDATE = developmentBuilder().keyUpdate(ExtensionMode.REQUIRE).build();

    private static HandshakeFixtures.Completed handshake(SessionConfig initiatorConfig, SessionConfig responderConfig) {
        return HandshakeFixtures.complete(HandshakeFixtures.initiator(initiatorConfig, INITIATOR),
                HandshakeFixtures.responder(responderConfig, RESPONDER));
    }

    /** Opens {@code frame} as the responder would with {@code keys} under {@code algorithm}. */
    private static byte[] openAtResponder(SessionKeys keys, RecordAlgorithm algorithm, byte[] frame) {
        OpeningContext opening = new OpeningContext(algorithm, keys.initiatorToResponder(), keys.sessionId());
        return opening.open(frame, FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("S1-S3 what is negotiated")
    class Negotiated {

        @Test
        @DisplayName("S1 default peers offer and accept 0x30 and seal records with AES-256-GCM under the extended transcript's keys")
        void defaultPeersNegotiateAesAndKeyUpdate() {
            HandshakeFixtures.Completed done = handshake(DEFAULT, DEFAULT);

            assertThat(WireFrames.flags(done.initiatorHello())).isEqualTo(AES_AND_KEY_UPDATE);
            assertThat(WireFrames.flags(done.responderHello())).isEqualTo(AES_AND_KEY_UPDATE);
            assertThat(WireFrames.flags(done.confirmation())).isZero();
            assertThat(done.initiator().extensions()).isEqualTo(new Extensions(AES_AND_KEY_UPDATE));
            assertThat(done.responder().extensions()).isEqualTo(new Extensions(AES_AND_KEY_UPDATE));

            SessionKeys expected = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER, AES_AND_KEY_UPDATE, AES_AND_KEY_UPDATE);
            assertThat(done.initiator().sessionId()).isEqualTo(expected.sessionId());
            byte[] frame = done.initiator().sealing().seal(FrameType.DATA, utf8("sealed with AES-256-GCM"));
            assertThat(openAtResponder(expected, RecordAlgorithm.AES_256_GCM, frame)).isEqualTo(utf8("sealed with AES-256-GCM"));
            assertThat(done.responder().opening().open(frame, FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH)))
                    .isEqualTo(utf8("sealed with AES-256-GCM"));
        }

        @Test
        @DisplayName("S1 a ChaCha20-Poly1305 opener with the same keys refuses an AES-256-GCM record")
        void aesRecordsAreNotChaChaRecords() {
            HandshakeFixtures.Completed done = handshake(DEFAULT, DEFAULT);
            SessionKeys expected = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER, AES_AND_KEY_UPDATE, AES_AND_KEY_UPDATE);
            byte[] frame = done.initiator().sealing().seal(FrameType.DATA, utf8("sealed with AES-256-GCM"));

            Rejections.thrownBy(() -> openAtResponder(expected, RecordAlgorithm.CHACHA20_POLY1305, frame), FailureReason.DECRYPTION_FAILED);
        }

        @Test
        @DisplayName("S2 a responder without key update accepts 0x10 of the offered 0x30: AES-256-GCM, no key update")
        void responderAcceptsAesOnly() {
            HandshakeFixtures.Completed done = handshake(DEFAULT, AES_ONLY);

            assertThat(WireFrames.flags(done.responderHello())).isEqualTo(Extensions.AES_256_GCM);
            assertThat(done.initiator().extensions()).isEqualTo(done.responder().extensions());
            assertThat(done.initiator().extensions().keyUpdate()).isFalse();
            assertThat(RecordAlgorithm.of(done.initiator().extensions())).isEqualTo(RecordAlgorithm.AES_256_GCM);
            SessionKeys expected = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER, AES_AND_KEY_UPDATE, Extensions.AES_256_GCM);
            assertThat(done.responder().sessionId()).isEqualTo(expected.sessionId());
        }

        @Test
        @DisplayName("S3 an initiator offering nothing (the reference crate) gets base version 4 from a default responder, byte for byte")
        void referenceInitiatorGetsBaseVersionFour() {
            HandshakeFixtures.Completed base = handshake(BASE, BASE);
            HandshakeFixtures.Completed done = handshake(BASE, DEFAULT);

            assertThat(done.responderHello()).isEqualTo(base.responderHello());
            assertThat(done.confirmation()).isEqualTo(base.confirmation());
            assertThat(done.responder().extensions()).isEqualTo(Extensions.NONE);
            assertThat(done.responder().sessionId()).isEqualTo(HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER).sessionId());
            byte[] frame = done.initiator().sealing().seal(FrameType.DATA, utf8("base"));
            assertThat(openAtResponder(HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER), RecordAlgorithm.CHACHA20_POLY1305, frame))
                    .isEqualTo(utf8("base"));
        }

        @Test
        @DisplayName("S3 a base responder (the reference crate) answers an offer with flags 0, and the transcript is the base one")
        void baseResponderDeclinesTheOffer() {
            HandshakeFixtures.Completed done = handshake(DEFAULT, BASE);

            assertThat(WireFrames.flags(done.initiatorHello())).isEqualTo(AES_AND_KEY_UPDATE);
            assertThat(WireFrames.flags(done.responderHello())).isZero();
            assertThat(done.initiator().extensions()).isEqualTo(Extensions.NONE);
            assertThat(done.initiator().sessionId()).isEqualTo(HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER).sessionId());
        }

        @Test
        @DisplayName("S3 resumption (0x40, not built) and the reserved bit 0x80 are never accepted")
        void unbuiltAndReservedBitsAreNeverAccepted() {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(DEFAULT, INITIATOR);
            HandshakeResponder responder = HandshakeFixtures.responder(DEFAULT, RESPONDER);
            responder.start();

            byte[] answer = responder.onFrame(WireFrames.withFlags(Objects.requireNonNull(initiator.start()), 0xFF)).reply();

            assertThat(WireFrames.flags(Objects.requireNonNull(answer))).isEqualTo(AES_AND_KEY_UPDATE);
        }
    }

    @Nested
    @DisplayName("S4-S6 a relay editing the extension bits")
    class Relay {

        @Test
        @DisplayName("S4 a hello 2 accepting a bit hello 1 did not offer is a malformed hello (1002)")
        void unofferedBitInHelloTwoIsMalformed() {
            byte[] acceptsBoth = handshake(DEFAULT, DEFAULT).responderHello();
            HandshakeInitiator offersAesOnly = HandshakeFixtures.initiator(AES_ONLY, INITIATOR);
            offersAesOnly.start();

            SecureChannelException thrown = assertHandshakeRejects(offersAesOnly, acceptsBoth, FailureReason.MALFORMED_HELLO);
            assertThat(thrown.reason().closeCode()).isEqualTo(1002);
        }

        @Test
        @DisplayName("S4 a hello 2 with the reserved bit 0x80 is a malformed hello")
        void reservedBitInHelloTwoIsMalformed() {
            byte[] honest = handshake(DEFAULT, DEFAULT).responderHello();
            HandshakeInitiator initiator = HandshakeFixtures.initiator(DEFAULT, INITIATOR);
            initiator.start();

            assertHandshakeRejects(initiator, WireFrames.withFlags(honest, AES_AND_KEY_UPDATE | 0x80), FailureReason.MALFORMED_HELLO);
        }

        @Test
        @DisplayName("S5 a relay that narrows hello 1's offer to 0x10 makes the confirmation fail (1008)")
        void narrowedOfferFailsTheConfirmation() {
            assertRelayedHandshakeFails(Extensions.AES_256_GCM, -1);
        }

        @Test
        @DisplayName("S5 a relay that adds a bit the responder ignores (0x80) to hello 1 makes the confirmation fail")
        void widenedOfferFailsTheConfirmation() {
            assertRelayedHandshakeFails(AES_AND_KEY_UPDATE | 0x80, -1);
        }

        @Test
        @DisplayName("S6 a relay that clears hello 2's bits makes the confirmation fail (1008)")
        void clearedAcceptanceFailsTheConfirmation() {
            assertRelayedHandshakeFails(-1, 0);
        }

        @Test
        @DisplayName("S6 a relay that narrows hello 2's bits to 0x10 makes the confirmation fail")
        void narrowedAcceptanceFailsTheConfirmation() {
            assertRelayedHandshakeFails(-1, Extensions.AES_256_GCM);
        }

        /**
         * Runs default peers through a relay that rewrites hello 1's flags to {@code helloOneFlags}
         * and hello 2's to {@code helloTwoFlags} (-1: unchanged). The initiator, which cannot tell,
         * confirms; the responder refuses the confirmation, so no session opens on either side.
         */
        private void assertRelayedHandshakeFails(int helloOneFlags, int helloTwoFlags) {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(DEFAULT, INITIATOR);
            HandshakeResponder responder = HandshakeFixtures.responder(DEFAULT, RESPONDER);
            responder.start();
            byte[] helloOne = Objects.requireNonNull(initiator.start());
            byte[] helloTwo = Objects.requireNonNull(responder.onFrame(
                    helloOneFlags < 0 ? helloOne : WireFrames.withFlags(helloOne, helloOneFlags)).reply());
            responder.replySent();

            HandshakeStep confirmed = initiator.onFrame(helloTwoFlags < 0 ? helloTwo : WireFrames.withFlags(helloTwo, helloTwoFlags));

            SecureChannelException thrown = assertHandshakeRejects(responder, Objects.requireNonNull(confirmed.reply()),
                    FailureReason.CONFIRMATION_MISMATCH);
            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }
    }

    @Nested
    @DisplayName("S7 required extensions")
    class Required {

        @Test
        @DisplayName("S7 a responder requiring AES-256-GCM refuses an initiator offering nothing, without answering (1008)")
        void requiringResponderRefusesBaseInitiator() {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(BASE, INITIATOR);
            HandshakeResponder responder = HandshakeFixtures.responder(REQUIRES_AES, RESPONDER);
            responder.start();

            SecureChannelException thrown = assertHandshakeRejects(responder, Objects.requireNonNull(initiator.start()),
                    FailureReason.EXTENSION_REQUIRED);
            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }

        @Test
        @DisplayName("S7 an initiator requiring key update refuses a hello 2 without it and sends no confirmation")
        void requiringInitiatorRefusesResponderWithoutIt() {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(REQUIRES_KEY_UPDATE, INITIATOR);
            HandshakeResponder responder = HandshakeFixtures.responder(AES_ONLY, RESPONDER);
            responder.start();
            byte[] helloTwo = responder.onFrame(Objects.requireNonNull(initiator.start())).reply();

            SecureChannelException thrown = assertHandshakeRejects(initiator, Objects.requireNonNull(helloTwo),
                    FailureReason.EXTENSION_REQUIRED);
            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }

        @Test
        @DisplayName("S7 a relay that clears hello 1's offer cannot push a requiring initiator down to base version 4")
        void strippedOfferIsRefusedByRequiringInitiator() {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(REQUIRES_AES, INITIATOR);
            HandshakeResponder responder = HandshakeFixtures.responder(DEFAULT, RESPONDER);
            responder.start();
            byte[] helloTwo = responder.onFrame(WireFrames.withFlags(Objects.requireNonNull(initiator.start()), 0)).reply();

            assertThat(WireFrames.flags(Objects.requireNonNull(helloTwo))).isZero();
            assertHandshakeRejects(initiator, helloTwo, FailureReason.EXTENSION_REQUIRED);
        }

        @Test
        @DisplayName("S7 REQUIRE implies offer: a requiring side offers and accepts the extension, and peers that both have it agree")
        void requireImpliesOffer() {
            assertThat(SessionConfigInternals.enabledExtensions(REQUIRES_AES).has(Extensions.AES_256_GCM)).isTrue();
            assertThat(SessionConfigInternals.requiredExtensions(REQUIRES_AES)).isEqualTo(new Extensions(Extensions.AES_256_GCM));

            HandshakeFixtures.Completed done = handshake(REQUIRES_AES, REQUIRES_KEY_UPDATE);

            assertThat(done.responder().extensions()).isEqualTo(new Extensions(AES_AND_KEY_UPDATE));
        }

        @Test
        @DisplayName("S7 by default both extensions are offered and none is required; resumption is never offered")
        void defaultsOfferBothAndRequireNone() {
            SessionConfig defaults = SessionConfig.insecureDevelopment();

            assertThat(SessionConfigInternals.enabledExtensions(defaults)).isEqualTo(new Extensions(AES_AND_KEY_UPDATE));
            assertThat(SessionConfigInternals.requiredExtensions(defaults)).isEqualTo(Extensions.NONE);
            assertThat(SessionConfigInternals.enabledExtensions(BASE)).isEqualTo(Extensions.NONE);
        }
    }
}
