package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.Rejections.assertHandshakeClosed;
import static dev.securechannel.internal.handshake.Rejections.assertHandshakeRejects;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static dev.securechannel.internal.handshake.TestAttestation.developmentWith;
import static dev.securechannel.internal.handshake.TestAttestation.lyingProvider;
import static dev.securechannel.internal.handshake.TestAttestation.measuringVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.session.ChannelTesting;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attestation binding and measurement policy in real handshakes (CONFORMANCE D1-D9, D13,
 * D14): test-only providers bind the wrong values or fail, test-only verifiers report
 * measurements. Each binding case runs in both directions: the responder checking the
 * initiator before it answers, and the initiator checking the responder's hello. The
 * configuration-time policy cases D10-D12 are in {@link SessionConfigPolicyTest}.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AttestationBindingTest {

    private static final byte[] LAUNCH_DIGEST = bytes(48, 0x11);
    private static final byte[] OTHER_DIGEST = bytes(48, 0x22);

    /**
     * Runs a handshake where the side {@code checker} uses {@code checkerConfig} and its peer
     * {@code peerConfig}, and asserts that the checker rejects the peer's hello with {@code reason}.
     */
    private static SecureChannelException rejectedBy(Role checker, SessionConfig checkerConfig, SessionConfig peerConfig,
                                                     FailureReason reason) {
        HandshakeInitiator initiator = new HandshakeInitiator(checker == Role.INITIATOR ? checkerConfig : peerConfig);
        HandshakeResponder responder = new HandshakeResponder(checker == Role.RESPONDER ? checkerConfig : peerConfig);
        byte[] initiatorHello = initiator.start();
        responder.start();
        if (checker == Role.RESPONDER) {
            return assertHandshakeRejects(responder, initiatorHello, reason);
        }
        byte[] responderHello = responder.onFrame(initiatorHello).reply();
        return assertHandshakeRejects(initiator, responderHello, reason);
    }

    /** A development configuration whose provider writes {@code binder}'s document. */
    private static SessionConfig liar(TestAttestation.Binder binder) {
        return developmentWith(lyingProvider(binder));
    }

    @Nested
    @DisplayName("D1-D4 binding of the hello's key and nonce")
    class Binding {

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D1 a document without a public key is rejected, naming public_key")
        void documentWithoutPublicKeyIsRejected(Role checker) {
            SecureChannelException thrown = rejectedBy(checker, development(),
                    liar((nonce, key) -> InsecureMockAttestation.encode(null, nonce, null)), FailureReason.PUBLIC_KEY_MISSING);

            assertThat(thrown.getMessage()).contains("public_key");
            assertThat(thrown.reason().peerMessage()).contains("public_key");
            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D1 a verifier that reports no public key is a failure too")
        void verifiedAttestationWithoutPublicKeyIsRejected(Role checker) {
            SessionConfig stripping = developmentWith(TestAttestation.verifier(true,
                    document -> TestAttestation.withoutPublicKey(InsecureMockAttestation.decode(document))), ExpectedMeasurements.none());

            rejectedBy(checker, stripping, development(), FailureReason.PUBLIC_KEY_MISSING);
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D2 a document without a nonce is rejected, naming the nonce")
        void documentWithoutNonceIsRejected(Role checker) {
            SecureChannelException thrown = rejectedBy(checker, development(),
                    liar((nonce, key) -> InsecureMockAttestation.encode(null, null, key)), FailureReason.NONCE_MISSING);

            assertThat(thrown.getMessage()).contains("nonce");
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D3 a document whose nonce differs from the hello's by one bit is rejected")
        void documentWithOneBitNonceMismatchIsRejected(Role checker) {
            SecureChannelException thrown = rejectedBy(checker, development(),
                    liar((nonce, key) -> InsecureMockAttestation.encode(null, flipLastBit(nonce), key)), FailureReason.NONCE_MISMATCH);

            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D3 replayed evidence from an earlier handshake (stale nonce) is rejected")
        void replayedEvidenceFromAnEarlierHandshakeIsRejected(Role checker) {
            byte[] staleNonce = HandshakeFixtures.nonce(42);
            rejectedBy(checker, development(),
                    liar((nonce, key) -> InsecureMockAttestation.encode(null, staleNonce, key)), FailureReason.NONCE_MISMATCH);
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D4 a document binding another public key is rejected")
        void documentWithAnotherPublicKeyIsRejected(Role checker) {
            byte[] otherKey = HandshakeFixtures.publicKey(42);
            rejectedBy(checker, development(),
                    liar((nonce, key) -> InsecureMockAttestation.encode(null, nonce, otherKey)), FailureReason.PUBLIC_KEY_MISMATCH);
        }
    }

    @Nested
    @DisplayName("D5 verifier rejection")
    class VerifierRejection {

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D5 a document with a bad marker fails with the generic reason")
        void badMarkerIsRejected(Role checker) {
            SecureChannelException thrown = rejectedBy(checker, development(),
                    liar((nonce, key) -> "NOT_A_MOCK_DOCUMENT".getBytes(StandardCharsets.US_ASCII)),
                    FailureReason.ATTESTATION_VERIFICATION_FAILED);

            assertThat(thrown.reason().peerMessage()).isEqualTo("attestation verification failed");
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D5 a truncated mock document fails with the generic reason")
        void truncatedDocumentIsRejected(Role checker) {
            rejectedBy(checker, development(), liar((nonce, key) -> {
                byte[] whole = InsecureMockAttestation.encode(null, nonce, key);
                return Arrays.copyOf(whole, whole.length - 1);
            }), FailureReason.ATTESTATION_VERIFICATION_FAILED);
        }

        @Test
        @DisplayName("D5 a verifier's own exception is reported generically, without its detail")
        void verifierExceptionDetailIsNotPassedOn() {
            SessionConfig throwing = developmentWith(TestAttestation.verifier(true, document -> {
                throw new IllegalStateException("VCEK chain broken at serial 0xDEADBEEF");
            }), ExpectedMeasurements.none());

            SecureChannelException thrown = rejectedBy(Role.RESPONDER, throwing, development(),
                    FailureReason.ATTESTATION_VERIFICATION_FAILED);

            assertThat(thrown.getMessage()).doesNotContain("DEADBEEF").doesNotContain("VCEK");
            assertThat(thrown.reason().peerMessage()).isEqualTo("attestation verification failed");
        }

        @Test
        @DisplayName("D5 over a transport, the rejected peer sees only the connection close")
        void rejectedPeerLearnsNothingButTheClose() throws Exception {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            SessionConfig badMarker = liar((nonce, key) -> "NOT_A_MOCK_DOCUMENT".getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<SecureChannel> server = ChannelTesting.async(() -> SecureChannel.accept(duplex.second(), development()));

            SecureChannelException clientSide = thrownBy(() -> SecureChannel.connect(duplex.first(), badMarker),
                    FailureReason.CONNECTION_CLOSED);
            SecureChannelException serverSide = ChannelTesting.awaitFailure(server, FailureReason.ATTESTATION_VERIFICATION_FAILED);

            assertThat(clientSide.getMessage()).doesNotContain("MOCK").doesNotContain("verification");
            assertThat(serverSide.getMessage()).startsWith("attestation verification failed");
        }
    }

    @Nested
    @DisplayName("D6-D9 expected measurements")
    class Measurements {

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D6 a measurement that differs from the expected one is rejected")
        void measurementMismatchIsRejected(Role checker) {
            SessionConfig expectsOther = developmentWith(measuringVerifier(true, Map.of(0, LAUNCH_DIGEST)),
                    ExpectedMeasurements.of(Map.of(0, OTHER_DIGEST)));

            SecureChannelException thrown = rejectedBy(checker, expectsOther, development(), FailureReason.MEASUREMENT_MISMATCH);

            assertThat(thrown.getMessage()).contains("mismatch");
            assertThat(thrown.reason().closeCode()).isEqualTo(1008);
        }

        @ParameterizedTest(name = "checked by the {0}")
        @EnumSource(Role.class)
        @DisplayName("D7 an expected index missing from the peer's measurements is rejected, naming it")
        void missingMeasurementIndexIsRejected(Role checker) {
            SessionConfig expectsIndexFive = developmentWith(measuringVerifier(true, Map.of(0, LAUNCH_DIGEST)),
                    ExpectedMeasurements.of(Map.of(5, LAUNCH_DIGEST)));

            SecureChannelException thrown = rejectedBy(checker, expectsIndexFive, development(), FailureReason.MEASUREMENT_MISSING);

            assertThat(thrown.getMessage()).contains("measurement[5]");
        }

        @Test
        @DisplayName("D8 expected measurements that are a subset of the actual ones pass")
        void subsetOfActualMeasurementsPasses() {
            SessionConfig expectsSubset = developmentWith(measuringVerifier(true, Map.of(0, LAUNCH_DIGEST, 1, OTHER_DIGEST)),
                    ExpectedMeasurements.of(Map.of(0, LAUNCH_DIGEST)));

            HandshakeFixtures.Completed done = HandshakeFixtures.completeFresh(expectsSubset, expectsSubset);

            assertThat(done.initiator().peerAttestation().measurement(1)).contains(OTHER_DIGEST);
        }

        @Test
        @DisplayName("D8 an empty expected set passes whatever the peer measures")
        void emptyExpectedSetPasses() {
            SessionConfig measuresButExpectsNothing = developmentWith(measuringVerifier(true, Map.of(0, LAUNCH_DIGEST)),
                    ExpectedMeasurements.none());

            HandshakeFixtures.Completed done = HandshakeFixtures.completeFresh(measuresButExpectsNothing, measuresButExpectsNothing);

            assertThat(done.responder().peerAttestation().measurementIndices()).containsExactly(0);
        }

        @Test
        @DisplayName("D9 matching measurements complete a production-profile handshake")
        void matchingMeasurementsCompleteAProductionHandshake() {
            SessionConfig production = production();

            HandshakeFixtures.Completed done = HandshakeFixtures.completeFresh(production, production);

            assertThat(production.securityProfile()).isEqualTo(SecurityProfile.PRODUCTION);
            assertThat(done.initiator().peerAttestation().isInsecure()).isFalse();
            assertThat(done.responder().peerAttestation().measurement(0)).contains(LAUNCH_DIGEST);
        }

        @Test
        @DisplayName("D9 a production-profile channel carries data after matching measurements")
        void productionChannelCarriesData() throws Exception {
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(production(), production())) {
                pair.client().send("hello".getBytes(StandardCharsets.UTF_8));

                assertThat(pair.server().receive()).isEqualTo(new Message.Data("hello".getBytes(StandardCharsets.UTF_8)));
            }
        }

        private SessionConfig production() {
            return SessionConfig.builder()
                    .attestationProvider(TestAttestation.secureMockProvider())
                    .attestationVerifier(measuringVerifier(false, Map.of(0, LAUNCH_DIGEST, 1, OTHER_DIGEST)))
                    .expectedMeasurements(ExpectedMeasurements.of(Map.of(0, LAUNCH_DIGEST)))
                    .build();
        }
    }

    @Nested
    @DisplayName("D13 mutual attestation")
    class Mutual {

        @Test
        @DisplayName("D13 each side exposes the peer's verified attestation with its public key and nonce")
        void eachSideExposesThePeersAttestation() {
            HandshakeFixtures.Completed done = HandshakeFixtures.complete();

            VerifiedAttestation ofResponder = done.initiator().peerAttestation();
            VerifiedAttestation ofInitiator = done.responder().peerAttestation();

            assertThat(ofResponder.publicKey()).contains(HandshakeFixtures.publicKey(HandshakeFixtures.RESPONDER));
            assertThat(ofResponder.nonce()).contains(HandshakeFixtures.nonce(HandshakeFixtures.RESPONDER));
            assertThat(ofInitiator.publicKey()).contains(HandshakeFixtures.publicKey(HandshakeFixtures.INITIATOR));
            assertThat(ofInitiator.nonce()).contains(HandshakeFixtures.nonce(HandshakeFixtures.INITIATOR));
            assertThat(ofInitiator.documentHash()).isEqualTo(new AttestationDocument(HandshakeFixtures.mockDocument(HandshakeFixtures.INITIATOR)).sha256());
        }

        @Test
        @DisplayName("D13 both blocking channels expose the peer's attestation")
        void bothChannelsExposeThePeersAttestation() throws Exception {
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), development())) {
                assertThat(pair.client().peerAttestation().publicKey()).isPresent();
                assertThat(pair.server().peerAttestation().publicKey()).isPresent();
                assertThat(pair.client().peerAttestation().publicKey().get())
                        .isNotEqualTo(pair.server().peerAttestation().publicKey().get());
            }
        }
    }

    @Nested
    @DisplayName("D14 attestation generation failure")
    class GenerationFailure {

        private final SessionConfig failing = developmentWith(TestAttestation.provider(true, (nonce, key) -> {
            throw new IOException("TPM busy at handle 0x81000001");
        }));

        @Test
        @DisplayName("D14 an initiator whose provider fails does not start, with the generic reason")
        void initiatorWithFailingProviderDoesNotStart() {
            HandshakeInitiator initiator = new HandshakeInitiator(failing);

            SecureChannelException thrown = thrownBy(initiator::start, FailureReason.ATTESTATION_GENERATION_FAILED);

            assertThat(thrown.getMessage()).doesNotContain("TPM").doesNotContain("0x81000001");
            assertThat(thrown.reason().peerMessage()).isEqualTo("attestation generation failed");
            assertHandshakeClosed(initiator);
        }

        @Test
        @DisplayName("D14 a responder whose provider fails rejects the hello it cannot answer")
        void responderWithFailingProviderFails() {
            HandshakeResponder responder = new HandshakeResponder(failing);
            responder.start();

            SecureChannelException thrown = assertHandshakeRejects(responder, new HandshakeInitiator(development()).start(),
                    FailureReason.ATTESTATION_GENERATION_FAILED);

            assertThat(thrown.getMessage()).doesNotContain("TPM");
        }

        @Test
        @DisplayName("D14 a provider document over 64 KiB is a generation failure")
        void oversizedLocalDocumentIsAGenerationFailure() {
            HandshakeInitiator initiator = new HandshakeInitiator(
                    developmentWith(TestAttestation.provider(true, (nonce, key) -> new byte[AttestationDocument.MAX_LENGTH + 1])));

            thrownBy(initiator::start, FailureReason.ATTESTATION_GENERATION_FAILED);
            assertHandshakeClosed(initiator);
        }
    }

    private static byte[] flipLastBit(byte[] value) {
        byte[] copy = value.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }

    private static byte[] bytes(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
