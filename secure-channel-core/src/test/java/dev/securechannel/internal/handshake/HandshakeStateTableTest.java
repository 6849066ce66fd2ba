package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.Rejections.assertHandshakeRejects;
import static dev.securechannel.internal.handshake.Rejections.assertSessionRejects;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.Role;
import dev.securechannel.internal.crypto.RecordContexts;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * CONFORMANCE N7: the exhaustive table of (role x state x frame kind). Every cell is generated
 * and checked: a frame that is wrong for the state is rejected with the exact reason the
 * receive path must give, and the handshake or session is dead afterwards; the few right
 * cells are accepted and produce the right reply, result or message.
 *
 * <p>The expected reason follows the order of the checks: a handshake in a state that
 * accepts no frame at all (not started, complete) says UNEXPECTED_MESSAGE, a failed one
 * SESSION_CLOSED. A handshake waiting for a frame checks, in {@code Hello.checkFrame}: the
 * message size and header (MALFORMED_FRAME, INVALID_MAGIC, HANDSHAKE_BUFFER_OVERFLOW), then
 * the type (UNEXPECTED_MESSAGE), an empty payload (MALFORMED_HELLO), the message number
 * (UNEXPECTED_MESSAGE) and only then the sequence (UNEXPECTED_SEQUENCE). An established
 * session checks the header under its payload cap, then rejects any Hello
 * (UNEXPECTED_MESSAGE) before it looks at the ENCRYPTED flag.
 *
 * <p>Hello flag bits a receiver does not know are ignored (PROTOCOL.md section 2), so an
 * ENCRYPTED-flagged hello is treated exactly like its unflagged twin, and so is a hello 1
 * offering every extension to these base version 4 parties; but a hello 2 accepting an
 * extension the initiator did not offer is malformed (section 8.1, checked after the message
 * number and sequence). A sealed frame with an extension bit in its flags keeps the session's
 * strict flag rule (INVALID_FLAGS).
 *
 * <p>The responder hands out hello 2 before deriving its keys: {@code REPLY_PENDING} is the
 * state until the driver calls {@link Handshake#replySent()}, and accepts the confirmation too
 * (deriving first). A second table covers {@code replySent()} in every state.
 */
class HandshakeStateTableTest {

    /** Where the receiving party is. */
    enum Stage { NEW, AWAITING_PEER_HELLO, REPLY_PENDING, AWAITING_CONFIRMATION, ESTABLISHED, FAILED, SESSION }

    /** What arrives. Hello kinds carry their message number and sequence. */
    enum Kind {
        INITIATOR_HELLO(1, 0),
        RESPONDER_HELLO(2, 0),
        CONFIRMATION(3, 1),
        ENCRYPTED_FLAG_INITIATOR_HELLO(1, 0),
        ENCRYPTED_FLAG_RESPONDER_HELLO(2, 0),
        ENCRYPTED_FLAG_CONFIRMATION(3, 1),
        INITIATOR_HELLO_OFFERING_EVERY_EXTENSION(1, 0),
        RESPONDER_HELLO_ACCEPTING_UNOFFERED_AES(2, 0),
        INITIATOR_HELLO_AT_SEQUENCE_1(1, 1),
        RESPONDER_HELLO_AT_SEQUENCE_1(2, 1),
        CONFIRMATION_AT_SEQUENCE_0(3, 0),
        EMPTY_HELLO(-1, 0),
        HELLO_DECLARING_32_MIB(-1, 0),
        DATA(FrameType.DATA),
        HEARTBEAT(FrameType.HEARTBEAT),
        SHUTDOWN(FrameType.SHUTDOWN),
        ERROR(FrameType.ERROR),
        TENSOR(FrameType.TENSOR),
        DATA_WITH_EXTENSION_FLAG(FrameType.DATA),
        GARBAGE(-1, -1),
        TRUNCATED_HEADER(-1, -1);

        final int messageNumber;
        final long sequence;
        final @Nullable FrameType sealedType;

        Kind(int messageNumber, long sequence) {
            this.messageNumber = messageNumber;
            this.sequence = sequence;
            this.sealedType = null;
        }

        Kind(FrameType sealedType) {
            this.messageNumber = -1;
            this.sequence = 0;
            this.sealedType = sealedType;
        }

        boolean isHello() {
            return sealedType == null && this != GARBAGE && this != TRUNCATED_HEADER;
        }
    }

    private static final List<Stage> INITIATOR_STAGES = List.of(Stage.NEW, Stage.AWAITING_PEER_HELLO, Stage.ESTABLISHED,
            Stage.FAILED, Stage.SESSION);
    private static final List<Stage> RESPONDER_STAGES = List.of(Stage.NEW, Stage.AWAITING_PEER_HELLO,
            Stage.REPLY_PENDING, Stage.AWAITING_CONFIRMATION, Stage.ESTABLISHED, Stage.FAILED, Stage.SESSION);

    /** The honest frames of the fixed parties: valid wherever the table expects acceptance. */
    private final HandshakeFixtures.Completed honest = HandshakeFixtures.complete();
    private final SessionKeys keys = HandshakeFixtures.expectedKeys(INITIATOR, RESPONDER);

    @TestFactory
    @DisplayName("N7 every (role x state x frame kind) cell")
    Stream<DynamicTest> everyCellOfTheTable() {
        List<DynamicTest> cells = new ArrayList<>();
        for (Role role : Role.values()) {
            for (Stage stage : role == Role.INITIATOR ? INITIATOR_STAGES : RESPONDER_STAGES) {
                for (Kind kind : Kind.values()) {
                    FailureReason expected = expectedRejection(role, stage, kind);
                    String name = "N7 " + role + " " + stage + " <- " + kind + ": " + (expected == null ? "accepted" : expected);
                    cells.add(DynamicTest.dynamicTest(name, () -> check(role, stage, kind, expected)));
                }
            }
        }
        assertThat(cells).hasSize(Kind.values().length * (INITIATOR_STAGES.size() + RESPONDER_STAGES.size()));
        return cells.stream();
    }

    @TestFactory
    @DisplayName("N7 replySent() in every (role x handshake state)")
    Stream<DynamicTest> replySentInEveryState() {
        List<DynamicTest> cells = new ArrayList<>();
        for (Role role : Role.values()) {
            for (Stage stage : role == Role.INITIATOR ? INITIATOR_STAGES : RESPONDER_STAGES) {
                if (stage == Stage.SESSION) {
                    continue;
                }
                String outcome = stage == Stage.FAILED ? "SESSION_CLOSED" : stage == Stage.REPLY_PENDING ? "derives the keys" : "no-op";
                cells.add(DynamicTest.dynamicTest("N7 " + role + " " + stage + " replySent(): " + outcome,
                        () -> checkReplySent(role, stage)));
            }
        }
        return cells.stream();
    }

    /**
     * Only a responder whose reply is pending has work to do: it derives the keys and then
     * awaits the confirmation, which it accepts without deriving again. A failed handshake says
     * so; every other state is left exactly as it was.
     */
    private void checkReplySent(Role role, Stage stage) {
        Handshake handshake = party(role, stage);
        Handshake.State before = handshake.state;
        if (stage == Stage.FAILED) {
            thrownBy(handshake::replySent, FailureReason.SESSION_CLOSED);
            assertThat(handshake.isFailed()).isTrue();
            return;
        }
        handshake.replySent();
        if (stage != Stage.REPLY_PENDING) {
            assertThat(handshake.state).isEqualTo(before);
            return;
        }
        assertThat(handshake.state).isEqualTo(Handshake.State.AWAITING_CONFIRMATION);
        long derivation = handshake.keyNanos;
        assertThat(derivation).isPositive();
        HandshakeStep done = handshake.onFrame(honest.confirmation());
        assertThat(done.isComplete()).isTrue();
        assertThat(done.result().sessionId()).isEqualTo(honest.responder().sessionId());
        assertThat(handshake.keyNanos).as("derived once, before the confirmation").isEqualTo(derivation);
    }

    /** The oracle: the reason a cell must fail with, or null when the frame is the right one. */
    static @Nullable FailureReason expectedRejection(Role role, Stage stage, Kind kind) {
        switch (stage) {
            case NEW:
            case ESTABLISHED:
                return FailureReason.UNEXPECTED_MESSAGE;
            case FAILED:
                return FailureReason.SESSION_CLOSED;
            case SESSION:
                return switch (kind) {
                    case GARBAGE -> FailureReason.INVALID_MAGIC;
                    case TRUNCATED_HEADER -> FailureReason.MALFORMED_FRAME;
                    case HELLO_DECLARING_32_MIB -> FailureReason.PAYLOAD_TOO_LARGE;
                    case DATA_WITH_EXTENSION_FLAG -> FailureReason.INVALID_FLAGS;
                    default -> kind.isHello() ? FailureReason.UNEXPECTED_MESSAGE : null;
                };
            default:
                break;
        }
        int expectedMessage = role == Role.INITIATOR ? 2 : stage == Stage.AWAITING_PEER_HELLO ? 1 : 3;
        long expectedSequence = expectedMessage == 3 ? 1 : 0;
        return switch (kind) {
            case TRUNCATED_HEADER -> FailureReason.MALFORMED_FRAME;
            case GARBAGE -> FailureReason.INVALID_MAGIC;
            case HELLO_DECLARING_32_MIB -> FailureReason.HANDSHAKE_BUFFER_OVERFLOW;
            case DATA, HEARTBEAT, SHUTDOWN, ERROR, TENSOR, DATA_WITH_EXTENSION_FLAG -> FailureReason.UNEXPECTED_MESSAGE;
            case EMPTY_HELLO -> FailureReason.MALFORMED_HELLO;
            default -> kind.messageNumber != expectedMessage ? FailureReason.UNEXPECTED_MESSAGE
                    : kind.sequence != expectedSequence ? FailureReason.UNEXPECTED_SEQUENCE
                    : kind == Kind.RESPONDER_HELLO_ACCEPTING_UNOFFERED_AES ? FailureReason.MALFORMED_HELLO
                    : null;
        };
    }

    private void check(Role role, Stage stage, Kind kind, @Nullable FailureReason expected) {
        byte[] frame = frame(role, kind);
        if (stage == Stage.SESSION) {
            RecordSession session = new RecordSession(role == Role.INITIATOR ? fresh().initiator() : fresh().responder(), sent -> { });
            if (expected == null) {
                assertThat(session.open(frame)).isInstanceOf(messageClass(kind));
            } else {
                assertSessionRejects(session, frame, expected);
            }
            return;
        }
        Handshake handshake = party(role, stage);
        if (expected == null) {
            HandshakeStep step = handshake.onFrame(frame);
            assertAccepted(handshake, role, stage, step);
        } else if (stage == Stage.ESTABLISHED) {
            // A finished handshake has handed its keys to the session: a stray frame is refused and changes nothing.
            thrownBy(() -> handshake.onFrame(frame), expected);
            assertThat(handshake.isComplete()).isTrue();
        } else {
            assertHandshakeRejects(handshake, frame, expected);
        }
    }

    private void assertAccepted(Handshake handshake, Role role, Stage stage, HandshakeStep step) {
        if (role == Role.INITIATOR) {
            assertThat(step.reply()).isEqualTo(honest.confirmation());
            assertThat(step.isComplete()).isTrue();
        } else if (stage == Stage.AWAITING_PEER_HELLO) {
            assertThat(step.reply()).isEqualTo(honest.responderHello());
            assertThat(step.isComplete()).isFalse();
            // The keys wait for replySent(): hello 2 was handed out first.
            assertThat(handshake.state).isEqualTo(Handshake.State.REPLY_PENDING);
        } else {
            assertThat(step.reply()).isNull();
            assertThat(step.isComplete()).isTrue();
        }
    }

    /** A party of the fixed pair brought to {@code stage} with honest frames. */
    private Handshake party(Role role, Stage stage) {
        if (role == Role.INITIATOR) {
            HandshakeInitiator initiator = HandshakeFixtures.initiator(development(), INITIATOR);
            if (stage != Stage.NEW) {
                initiator.start();
            }
            if (stage == Stage.ESTABLISHED) {
                initiator.onFrame(honest.responderHello());
            }
            if (stage == Stage.FAILED) {
                initiator.abort();
            }
            return initiator;
        }
        HandshakeResponder responder = HandshakeFixtures.responder(development(), RESPONDER);
        if (stage != Stage.NEW) {
            responder.start();
        }
        if (stage == Stage.REPLY_PENDING || stage == Stage.AWAITING_CONFIRMATION || stage == Stage.ESTABLISHED) {
            responder.onFrame(honest.initiatorHello());
        }
        if (stage == Stage.AWAITING_CONFIRMATION || stage == Stage.ESTABLISHED) {
            responder.replySent();
        }
        if (stage == Stage.ESTABLISHED) {
            responder.onFrame(honest.confirmation());
        }
        if (stage == Stage.FAILED) {
            responder.abort();
        }
        return responder;
    }

    private HandshakeFixtures.Completed fresh() {
        return HandshakeFixtures.complete();
    }

    /** The frame of {@code kind} as the peer of {@code role} would send it (sealed frames at sequence 0). */
    private byte[] frame(Role role, Kind kind) {
        return switch (kind) {
            case INITIATOR_HELLO -> honest.initiatorHello();
            case RESPONDER_HELLO -> honest.responderHello();
            case CONFIRMATION -> honest.confirmation();
            case ENCRYPTED_FLAG_INITIATOR_HELLO -> WireFrames.withFlags(honest.initiatorHello(), FrameFlags.ENCRYPTED);
            case ENCRYPTED_FLAG_RESPONDER_HELLO -> WireFrames.withFlags(honest.responderHello(), FrameFlags.ENCRYPTED);
            case ENCRYPTED_FLAG_CONFIRMATION -> WireFrames.withFlags(honest.confirmation(), FrameFlags.ENCRYPTED);
            case INITIATOR_HELLO_AT_SEQUENCE_1 -> WireFrames.withSequence(honest.initiatorHello(), 1);
            case RESPONDER_HELLO_AT_SEQUENCE_1 -> WireFrames.withSequence(honest.responderHello(), 1);
            case CONFIRMATION_AT_SEQUENCE_0 -> WireFrames.withSequence(honest.confirmation(), 0);
            case INITIATOR_HELLO_OFFERING_EVERY_EXTENSION -> WireFrames.withFlags(honest.initiatorHello(), Extensions.MASK);
            case RESPONDER_HELLO_ACCEPTING_UNOFFERED_AES -> WireFrames.withFlags(honest.responderHello(), Extensions.AES_256_GCM);
            case DATA_WITH_EXTENSION_FLAG -> WireFrames.withFlags(sealedByPeerOf(role, FrameType.DATA),
                    FrameFlags.ENCRYPTED | Extensions.AES_256_GCM);
            case EMPTY_HELLO -> WireFrames.header(FrameType.HELLO.code(), 0, 0, 0);
            case HELLO_DECLARING_32_MIB -> WireFrames.header(FrameType.HELLO.code(), 0, 0, FrameCodec.MAX_PAYLOAD_LENGTH);
            case GARBAGE -> "this is not a secure-channel frame".getBytes(StandardCharsets.US_ASCII);
            case TRUNCATED_HEADER -> new byte[] {(byte) 0xCF, 0x4D, 0x04, 0x01, 0x00};
            case DATA, HEARTBEAT, SHUTDOWN, ERROR, TENSOR -> sealedByPeerOf(role, Objects.requireNonNull(kind.sealedType));
        };
    }

    private byte[] sealedByPeerOf(Role role, FrameType type) {
        byte[] key = role == Role.INITIATOR ? keys.responderToInitiator() : keys.initiatorToResponder();
        SealingContext peer = new SealingContext(key, keys.sessionId());
        if (type == FrameType.TENSOR) {
            return RecordContexts.sealTensor(peer, Tensor.ofFloats("t", new long[] {2}, new float[] {1f, 2f}));
        }
        byte[] plaintext = type == FrameType.DATA || type == FrameType.ERROR ? "payload".getBytes(StandardCharsets.UTF_8) : new byte[0];
        return peer.seal(type, plaintext);
    }

    private static Class<? extends Message> messageClass(Kind kind) {
        return Map.of(
                Kind.DATA, Message.Data.class,
                Kind.HEARTBEAT, Message.Heartbeat.class,
                Kind.SHUTDOWN, Message.Shutdown.class,
                Kind.ERROR, Message.Error.class,
                Kind.TENSOR, Message.TensorMessage.class).get(kind);
    }
}
