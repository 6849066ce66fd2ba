package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.handshake.HandshakeFixtures;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.TestAttestation;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * CONFORMANCE N21: the message and the peer message of every exception the handshake, the
 * session and the channel throw never contain key material, the session id, the confirmation
 * or plaintext, whether as lower- or upper-case hex, Base64 or raw bytes, whole or as any
 * 8-byte slice. Every scenario uses the fixed-key parties, so all of their secrets are known
 * and each scenario feeds them to the code under test in the way most likely to be echoed (a
 * rejected frame that contains the plaintext, a confirmation that contains the hash, a
 * provider whose own exception names the public key).
 */
class ExceptionHygieneTest {

    private static final int WINDOW = 8;
    private static final byte[] PLAINTEXT = "TOP SECRET PROMPT: diagnosis for patient 4711 is confidential"
            .getBytes(StandardCharsets.UTF_8);

    private final SessionKeys keys = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER);
    private final Map<String, byte[]> secrets = Map.of(
            "initiator private key", HandshakeFixtures.privateKey(INITIATOR),
            "responder private key", HandshakeFixtures.privateKey(RESPONDER),
            "initiator public key", HandshakeFixtures.publicKey(INITIATOR),
            "responder public key", HandshakeFixtures.publicKey(RESPONDER),
            "shared secret", Objects.requireNonNull(HandshakeFixtures.keyPair(INITIATOR).agree(HandshakeFixtures.publicKey(RESPONDER))),
            "k_i2r", keys.initiatorToResponder(),
            "k_r2i", keys.responderToInitiator(),
            "session id", keys.sessionId(),
            "confirmation", keys.confirmation(),
            "plaintext", PLAINTEXT);

    /** One way to make the code under test throw. */
    private record Scenario(String name, ThrowingCallable action) {
    }

    @TestFactory
    @DisplayName("N21 no exception text reveals keys, session id or plaintext")
    Stream<DynamicTest> noExceptionRevealsASecret() {
        return scenarios().stream().map(scenario -> DynamicTest.dynamicTest("N21 " + scenario.name(), () -> {
            SecureChannelException thrown = assertTimeoutPreemptively(ChannelTesting.WAIT.multipliedBy(2),
                    () -> catchThrowableOfType(SecureChannelException.class, scenario.action()));
            assertThat(thrown).as("the scenario must throw").isNotNull();
            assertRevealsNothing(thrown.getMessage());
            assertRevealsNothing(thrown.reason().peerMessage());
            assertRevealsNothing(thrown.toString());
        }));
    }

    private List<Scenario> scenarios() {
        List<Scenario> scenarios = new ArrayList<>();
        HandshakeFixtures.Completed honest = HandshakeFixtures.complete();

        // Record layer: every frame below carries the plaintext or depends on the keys.
        scenarios.add(new Scenario("tampered ciphertext", () -> {
            SessionPair pair = new SessionPair();
            pair.server.open(WireFrames.flipBit(pair.clientData(PLAINTEXT), WireFrames.PAYLOAD_OFFSET * 8));
        }));
        scenarios.add(new Scenario("replay", () -> {
            SessionPair pair = new SessionPair();
            byte[] frame = pair.clientData(PLAINTEXT);
            pair.server.open(frame);
            pair.server.open(frame);
        }));
        scenarios.add(new Scenario("sequence gap", () -> {
            SessionPair pair = new SessionPair();
            pair.clientData(PLAINTEXT);
            pair.server.open(pair.clientData(PLAINTEXT));
        }));
        scenarios.add(new Scenario("plaintext in an unencrypted frame", () -> new SessionPair().server.open(
                WireFrames.frame(FrameType.DATA.code(), FrameFlags.NONE, 0, PLAINTEXT))));
        scenarios.add(new Scenario("confirmation replayed into the session", () -> new SessionPair().server.open(honest.confirmation())));
        scenarios.add(new Scenario("invalid flags on an authentic frame", () -> {
            SessionPair pair = new SessionPair();
            pair.server.open(pair.forgerToServer().seal(FrameType.DATA.code(), 0x41, 0, PLAINTEXT));
        }));
        scenarios.add(new Scenario("tensor named with the plaintext, bad padding", () -> {
            SessionPair pair = new SessionPair();
            byte[] tensor = TensorCodec.encode(Tensor.of(new String(PLAINTEXT, StandardCharsets.UTF_8), DType.U8, new long[] {1}, new byte[1]));
            tensor[tensor.length - 2] = 1; // the last padding byte: 70 header bytes are padded to 72
            pair.server.open(pair.handshake.initiator().sealing().seal(FrameType.TENSOR, tensor));
        }));
        scenarios.add(new Scenario("tensor whose data is the plaintext, wrong size", () -> {
            SessionPair pair = new SessionPair();
            byte[] header = TensorCodec.encodeHeader(Tensor.of("t", DType.U8, new long[] {1}, new byte[1]));
            pair.server.open(pair.handshake.initiator().sealing().seal(FrameType.TENSOR, WireFrames.concat(header, PLAINTEXT)));
        }));
        scenarios.add(new Scenario("oversized header", () -> new SessionPair().server.open(
                WireFrames.header(FrameType.DATA.code(), FrameFlags.ENCRYPTED, 0, 0x7FFF_FFFFL))));
        scenarios.add(new Scenario("open after a failure", () -> {
            SessionPair pair = new SessionPair();
            byte[] frame = pair.clientData(PLAINTEXT);
            catchThrowableOfType(SecureChannelException.class, () -> pair.server.open(WireFrames.withFlags(frame, 0)));
            pair.server.open(frame);
        }));
        scenarios.add(new Scenario("send after a failure", () -> {
            SessionPair pair = new SessionPair();
            pair.server.fail(FailureReason.DECRYPTION_FAILED);
            pair.server.send(PLAINTEXT);
        }));

        // Handshake: frames that embed the keys, nonces and confirmation.
        scenarios.add(new Scenario("flipped confirmation", () -> {
            HandshakeResponder responder = HandshakeFixtures.responder(development(), RESPONDER);
            responder.start();
            responder.onFrame(honest.initiatorHello());
            responder.onFrame(WireFrames.flipBit(honest.confirmation(), 8 * 40));
        }));
        scenarios.add(new Scenario("confirmation with a trailing byte", () -> {
            HandshakeResponder responder = HandshakeFixtures.responder(development(), RESPONDER);
            responder.start();
            responder.onFrame(honest.initiatorHello());
            responder.onFrame(WireFrames.appendToPayload(honest.confirmation(), (byte) 0));
        }));
        scenarios.add(new Scenario("hello with a wrong sequence", () -> waitingResponder().onFrame(WireFrames.withSequence(honest.initiatorHello(), 7))));
        scenarios.add(new Scenario("hello with a trailing byte", () -> waitingResponder().onFrame(
                WireFrames.appendToPayload(honest.initiatorHello(), (byte) 0))));
        scenarios.add(new Scenario("hello whose document binds another key", () -> waitingResponder().onFrame(HandshakeFixtures.hello(1,
                HandshakeFixtures.publicKey(INITIATOR), HandshakeFixtures.nonce(INITIATOR),
                InsecureMockAttestation.encode(null, HandshakeFixtures.nonce(INITIATOR), HandshakeFixtures.publicKey(RESPONDER))))));
        scenarios.add(new Scenario("reflected hello", () -> {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(development(), INITIATOR);
            initiator.onFrame(WireFrames.withByte(Objects.requireNonNull(initiator.start()), WireFrames.PAYLOAD_OFFSET, 2));
        }));
        scenarios.add(new Scenario("non-contributory key", () -> {
            HandshakeResponder responder = waitingResponder();
            responder.onFrame(HandshakeFixtures.hello(1, new byte[32],
                    HandshakeFixtures.nonce(INITIATOR), InsecureMockAttestation.encode(null, HandshakeFixtures.nonce(INITIATOR), new byte[32])));
            responder.replySent();
        }));
        scenarios.add(new Scenario("provider whose own exception names the key", () -> {
            SessionConfig careless = TestAttestation.developmentWith(TestAttestation.provider(true, (nonce, key) -> {
                throw new IOException("cannot attest key " + HexFormat.of().formatHex(key) + " with nonce " + HexFormat.of().formatHex(nonce));
            }));
            HandshakeFixtures.initiator(careless, INITIATOR).start();
        }));
        scenarios.add(new Scenario("verifier whose own exception names the document", () -> {
            SessionConfig careless = TestAttestation.developmentWith(TestAttestation.verifier(true, document -> {
                throw new IllegalArgumentException("bad document " + HexFormat.of().formatHex(document.bytes()));
            }), dev.securechannel.attestation.ExpectedMeasurements.none());
            HandshakeResponder responder = HandshakeFixtures.responder(careless, RESPONDER);
            responder.start();
            responder.onFrame(honest.initiatorHello());
        }));

        // Blocking channel: failures reported through SecureChannel.
        scenarios.add(new Scenario("channel receiving a tampered frame", () -> {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            var accepted = ChannelTesting.async(() -> SecureChannel.accept(duplex.second(), development()));
            RawPeer attacker = RawPeer.initiate(duplex.first(), development());
            try (SecureChannel server = ChannelTesting.await(accepted)) {
                attacker.sendRaw(WireFrames.flipBit(attacker.seal(FrameType.DATA, PLAINTEXT), WireFrames.PAYLOAD_OFFSET * 8));
                server.receive();
            }
        }));
        scenarios.add(new Scenario("channel whose peer vanished", () -> {
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), development())) {
                pair.client().send(PLAINTEXT);
                pair.client().close();
                pair.server().receive();
                pair.server().receive();
            }
        }));
        scenarios.add(new Scenario("handshake timeout", () -> SecureChannel.accept(InMemoryDuplex.create().second(),
                SessionConfig.builder().securityProfile(SecurityProfile.DEVELOPMENT)
                        .attestationProvider(new dev.securechannel.attestation.InsecureMockAttestationProvider())
                        .attestationVerifier(new dev.securechannel.attestation.InsecureMockAttestationVerifier())
                        .handshakeTimeout(Duration.ofMillis(50)).build())));
        return scenarios;
    }

    private static HandshakeResponder waitingResponder() {
        HandshakeResponder responder = HandshakeFixtures.responder(development(), RESPONDER);
        responder.start();
        return responder;
    }

    private void assertRevealsNothing(String text) {
        secrets.forEach((name, secret) -> {
            for (String form : forms(secret)) {
                assertThat(text).as("\"%s\" must not reveal the %s", text, name).doesNotContain(form);
            }
        });
    }

    /** Hex (both cases), Base64 and raw forms of the whole secret and of every 8-byte slice. */
    private static List<String> forms(byte[] secret) {
        List<String> forms = new ArrayList<>();
        forms.add(Base64.getEncoder().encodeToString(secret));
        for (int offset = 0; offset + WINDOW <= secret.length; offset++) {
            byte[] slice = Arrays.copyOfRange(secret, offset, offset + WINDOW);
            String hex = HexFormat.of().formatHex(slice);
            forms.add(hex);
            forms.add(hex.toUpperCase(Locale.ROOT));
            forms.add(new String(slice, StandardCharsets.ISO_8859_1));
            forms.add(new String(slice, StandardCharsets.UTF_8));
        }
        return forms;
    }
}
