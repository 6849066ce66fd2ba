package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SessionConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Both handshake state machines fed any sequence of frames. The peer's evidence is pinned: the
 * verifier vouches only for the honest peer's document, as real attestation vouches only for
 * the machine holding the key. Against that, the contract is:
 * <ul>
 *   <li>every failure is a {@link SecureChannelException} with a specific reason (never
 *       INTERNAL_ERROR), after which the handshake is dead and refuses every further frame;</li>
 *   <li>the initiator completes only on the honest hello 2 (up to the flag bits a receiver
 *       ignores) and then holds the honest session;</li>
 *   <li>the responder answers only the honest hello 1 (up to its flags byte) and completes only on
 *       the honest confirmation (up to its ignored flags byte), holding the honest session: without
 *       the initiator's private key no frame sequence completes it.</li>
 * </ul>
 *
 * <p>Input layout, so that seeds are whole frames the fuzzer can splice: records of
 * {@code u8 control | u16 length (big-endian) | length bytes}; control bit 0 asks the driver
 * to call {@code replySent()} after a reply, as a transport does once the reply is sent.
 */
class HandshakeSequenceFuzzTest {

    /**
     * The honest run, made on first use inside a fuzz test. Neither it nor any method signature
     * here may load {@link HandshakeStep} before Jazzer's agent is in place: a record with a type
     * annotation ({@code byte @Nullable []}) that is loaded first and retransformed afterwards
     * fails with NoSuchFieldError (JDK-8376185), which is what fuzzing mode does.
     */
    private static HandshakeFixtures.Completed honest;

    @FuzzTest(maxDuration = "10m")
    void initiatorCompletesOnlyOnTheHonestResponderHello(byte[] input) {
        HandshakeInitiator initiator = HandshakeFixtures.initiator(pinnedTo(RESPONDER), INITIATOR);
        assertThat(initiator.start()).isEqualTo(honest().initiatorHello());
        boolean completed = false;
        for (Record record : records(input)) {
            Optional<HandshakeStep> fed = feed(initiator, record.frame());
            if (fed.isEmpty()) {
                continue;
            }
            HandshakeStep step = fed.get();
            assertThat(completed).as("a completed handshake takes no more frames").isFalse();
            assertThat(step.result()).as("the initiator's only step completes").isNotNull();
            assertThat(sameExceptFlags(record.frame(), honest().responderHello(), ~Extensions.MASK & 0xFF)).isTrue();
            assertThat(step.result().sessionId()).isEqualTo(honest().initiator().sessionId());
            assertThat(step.reply()).isEqualTo(honest().confirmation());
            completed = true;
        }
        assertThat(initiator.isComplete()).isEqualTo(completed);
    }

    @FuzzTest(maxDuration = "10m")
    void responderCompletesOnlyOnTheHonestInitiatorsConfirmation(byte[] input) {
        HandshakeResponder responder = HandshakeFixtures.responder(pinnedTo(INITIATOR), RESPONDER);
        assertThat(responder.start()).isNull();
        boolean answered = false;
        boolean completed = false;
        for (Record record : records(input)) {
            Optional<HandshakeStep> fed = feed(responder, record.frame());
            if (fed.isEmpty()) {
                continue;
            }
            HandshakeStep step = fed.get();
            assertThat(completed).as("a completed handshake takes no more frames").isFalse();
            if (step.reply() != null) {
                assertThat(answered).as("hello 1 is answered once").isFalse();
                assertThat(step.result()).isNull();
                assertThat(sameExceptFlags(record.frame(), honest().initiatorHello(), 0xFF)).isTrue();
                assertThat(step.reply()).isEqualTo(honest().responderHello());
                answered = true;
                if (record.replySent()) {
                    responder.replySent();
                }
            } else {
                assertThat(answered).as("no completion without an answered hello 1").isTrue();
                assertThat(step.result()).isNotNull();
                assertThat(sameExceptFlags(record.frame(), honest().confirmation(), 0xFF)).isTrue();
                assertThat(step.result().sessionId()).isEqualTo(honest().responder().sessionId());
                completed = true;
            }
        }
        assertThat(responder.isComplete()).isEqualTo(completed);
    }

    private static HandshakeFixtures.Completed honest() {
        if (honest == null) {
            honest = HandshakeFixtures.complete();
        }
        return honest;
    }

    /** Feeds one frame; returns the step, or nothing when the frame was refused (as the contract requires). */
    private static Optional<HandshakeStep> feed(Handshake handshake, byte[] frame) {
        boolean wasDead = handshake.isFailed() || handshake.isComplete();
        SecureChannelException refused = null;
        HandshakeStep step = null;
        try {
            step = handshake.onFrame(frame);
        } catch (SecureChannelException e) {
            refused = e;
        }
        if (wasDead) {
            assertThat(refused).as("a finished handshake refuses every frame").isNotNull();
        }
        if (refused == null) {
            return Optional.of(step);
        }
        assertThat(refused.reason()).as(refused.getMessage()).isNotEqualTo(FailureReason.INTERNAL_ERROR);
        if (!handshake.isComplete()) {
            assertThat(handshake.isFailed()).as("a refused frame kills the handshake").isTrue();
            SecureChannelException again = catchThrowableOfType(SecureChannelException.class, () -> handshake.onFrame(frame));
            assertThat(again.reason()).isEqualTo(FailureReason.SESSION_CLOSED);
        }
        return Optional.empty();
    }

    /** Whether two frames are equal in every byte but the flags byte's bits in {@code freeFlagBits}. */
    private static boolean sameExceptFlags(byte[] received, byte[] honest, int freeFlagBits) {
        if (received.length != honest.length) {
            return false;
        }
        byte[] a = received.clone();
        byte[] b = honest.clone();
        a[WireFrames.FLAGS_OFFSET] &= (byte) ~freeFlagBits;
        b[WireFrames.FLAGS_OFFSET] &= (byte) ~freeFlagBits;
        return Arrays.equals(a, b);
    }

    /** A development configuration whose verifier vouches only for party {@code seed}'s own mock document. */
    private static SessionConfig pinnedTo(int seed) {
        byte[] genuine = HandshakeFixtures.mockDocument(seed);
        AttestationVerifier mock = new InsecureMockAttestationVerifier();
        AttestationVerifier pinned = new AttestationVerifier() {
            @Override
            public String type() {
                return mock.type();
            }

            @Override
            public boolean isInsecure() {
                return true;
            }

            @Override
            public VerifiedAttestation verify(AttestationDocument document) {
                if (!Arrays.equals(document.bytes(), genuine)) {
                    throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "not the pinned peer's evidence");
                }
                return mock.verify(document);
            }
        };
        return HandshakeFixtures.developmentBuilder().attestationVerifier(pinned).baseProtocolOnly().build();
    }

    private record Record(boolean replySent, byte[] frame) {
    }

    private static List<Record> records(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        List<Record> records = new ArrayList<>();
        while (in.remaining() >= 3) {
            boolean replySent = (in.get() & 1) != 0;
            int length = Math.min(Short.toUnsignedInt(in.getShort()), in.remaining());
            byte[] frame = new byte[length];
            in.get(frame);
            records.add(new Record(replySent, frame));
        }
        return records;
    }
}
