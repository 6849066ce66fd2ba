package dev.securechannel.internal.handshake;

import static dev.securechannel.internal.handshake.HandshakeFixtures.INITIATOR;
import static dev.securechannel.internal.handshake.HandshakeFixtures.RESPONDER;
import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.protocol.FrameType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary bytes as a handshake message (CONFORMANCE C20 for the initiator, C21 for the
 * responder, the Rust crate's {@code fuzz_handshake_init} and {@code fuzz_handshake_resp}):
 * every input ends in a {@link SecureChannelException} with a specific reason (never
 * INTERNAL_ERROR, which would mean an unexpected runtime exception escaped a parser) and a
 * dead handshake, within a bounded time. Mutations of an honest base version 4 frame may only
 * succeed when they left everything but the Hello flags byte intact, and only with flags the
 * receiver ignores (a hello 2 accepting an extension the initiator did not offer is malformed).
 *
 * <p>Inputs come from a fixed-seed {@link Random}, so a failure names a reproducible round.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandshakeFuzzTest {

    private static final int ROUNDS = 1_000;
    private static final HexFormat HEX = HexFormat.of();

    private HandshakeFixtures.Completed honest;

    @BeforeEach
    void runHonestHandshake() {
        honest = HandshakeFixtures.complete();
    }

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

    private HandshakeResponder responderAwaitingConfirmation() {
        HandshakeResponder responder = waitingResponder();
        responder.onFrame(honest.initiatorHello());
        return responder;
    }

    @Test
    @DisplayName("C20 the catalogue's seed inputs are rejected by the initiator")
    void seedInputsAreRejectedByTheInitiator() {
        for (byte[] seed : seeds(2, honest.responderHello())) {
            assertRejectedCleanly(waitingInitiator(), seed, "seed");
        }
    }

    @Test
    @DisplayName("C20 random bytes as the responder's reply are rejected by the initiator")
    void randomBytesAreRejectedByTheInitiator() {
        Random random = new Random(20);
        for (int round = 0; round < ROUNDS; round++) {
            assertRejectedCleanly(waitingInitiator(), randomBytes(random), "round " + round);
        }
    }

    @Test
    @DisplayName("C20 random frames with a valid header are rejected by the initiator")
    void randomHelloShapedFramesAreRejectedByTheInitiator() {
        Random random = new Random(2020);
        for (int round = 0; round < ROUNDS; round++) {
            assertRejectedCleanly(waitingInitiator(), randomHelloShapedFrame(random), "round " + round);
        }
    }

    @Test
    @DisplayName("C20 a mutated responder hello is rejected unless only its flags changed without accepting an extension")
    void mutatedResponderHellosAreRejectedUnlessOnlyFlagsChanged() {
        // The base initiator offered nothing: extension bits in hello 2 are a malformed hello (S4), low bits are ignored.
        fuzzMutations(new Random(202020), honest.responderHello(), HandshakeFuzzTest::waitingInitiator,
                flags -> (flags & Extensions.MASK) == 0);
    }

    @Test
    @DisplayName("C21 the catalogue's seed inputs are rejected by the responder")
    void seedInputsAreRejectedByTheResponder() {
        for (byte[] seed : seeds(1, honest.initiatorHello())) {
            assertRejectedCleanly(waitingResponder(), seed, "seed");
        }
    }

    @Test
    @DisplayName("C21 random bytes as the initiator's hello are rejected by the responder")
    void randomBytesAreRejectedByTheResponder() {
        Random random = new Random(21);
        for (int round = 0; round < ROUNDS; round++) {
            assertRejectedCleanly(waitingResponder(), randomBytes(random), "round " + round);
        }
    }

    @Test
    @DisplayName("C21 random frames with a valid header are rejected by the responder")
    void randomHelloShapedFramesAreRejectedByTheResponder() {
        Random random = new Random(2121);
        for (int round = 0; round < ROUNDS; round++) {
            assertRejectedCleanly(waitingResponder(), randomHelloShapedFrame(random), "round " + round);
        }
    }

    @Test
    @DisplayName("C21 a mutated initiator hello is rejected unless only its flags changed")
    void mutatedInitiatorHellosAreRejectedUnlessOnlyFlagsChanged() {
        // The base responder accepts no extension, so whatever hello 1 offers it answers with base version 4.
        fuzzMutations(new Random(212121), honest.initiatorHello(), HandshakeFuzzTest::waitingResponder, flags -> true);
    }

    @Test
    @DisplayName("C21 a mutated or random confirmation is rejected unless only its flags changed")
    void mutatedConfirmationsAreRejectedUnlessOnlyFlagsChanged() {
        Random random = new Random(2121_21);
        fuzzMutations(random, honest.confirmation(), this::responderAwaitingConfirmation, flags -> true);
        for (int round = 0; round < ROUNDS; round++) {
            assertRejectedCleanly(responderAwaitingConfirmation(), randomBytes(random), "round " + round);
        }
    }

    /**
     * The seed shapes the catalogue names: empty input, the header fragment {@code cf4d02}, an
     * 11-byte hello, a Data-typed hello, a version 2 header, and bytes that are all 0xFF.
     */
    private static List<byte[]> seeds(int messageNumber, byte[] honestHello) {
        byte[] shortHello = new byte[11];
        shortHello[0] = (byte) messageNumber;
        byte[] allOnes = new byte[15];
        Arrays.fill(allOnes, (byte) 0xFF);
        return List.of(
                new byte[0],
                new byte[] {(byte) 0xCF, 0x4D, 0x02},
                WireFrames.frame(FrameType.HELLO.code(), 0, 0, shortHello),
                WireFrames.withType(honestHello, FrameType.DATA.code()),
                WireFrames.withByte(honestHello, 2, 2),
                allOnes);
    }

    private static void fuzzMutations(Random random, byte[] honestFrame, Supplier<? extends Handshake> receivers,
                                      IntPredicate acceptedFlags) {
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] mutated = mutate(random, honestFrame);
            Handshake receiver = receivers.get();
            if (onlyFlagsDiffer(honestFrame, mutated) && acceptedFlags.test(WireFrames.flags(mutated))) {
                receiver.onFrame(mutated);
                assertThat(receiver.isFailed()).as("round %d: Hello flags are ignored", round).isFalse();
                accepted++;
            } else {
                assertRejectedCleanly(receiver, mutated, "round " + round);
            }
        }
        // The mutator does touch the flags byte now and then, so the accepting branch is exercised.
        assertThat(accepted).isPositive().isLessThan(ROUNDS / 4);
    }

    private static void assertRejectedCleanly(Handshake handshake, byte[] input, String round) {
        SecureChannelException thrown = catchThrowableOfType(SecureChannelException.class, () -> handshake.onFrame(input));
        assertThat(thrown).as("%s: %s must be rejected", round, HEX.formatHex(input)).isNotNull();
        assertThat(thrown.reason()).as("%s: %s", round, thrown.getMessage()).isNotEqualTo(FailureReason.INTERNAL_ERROR);
        assertThat(handshake.isFailed()).as(round).isTrue();
    }

    private static boolean onlyFlagsDiffer(byte[] original, byte[] mutated) {
        if (original.length != mutated.length) {
            return false;
        }
        for (int i = 0; i < original.length; i++) {
            if (i != WireFrames.FLAGS_OFFSET && original[i] != mutated[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Valid magic, version and (mostly) Hello type, a plausible length, random content. */
    private static byte[] randomHelloShapedFrame(Random random) {
        byte[] payload = new byte[random.nextInt(300)];
        random.nextBytes(payload);
        if (payload.length > 0) {
            payload[0] = (byte) (1 + random.nextInt(3));
        }
        if (payload.length >= Hello.FIXED_LENGTH && random.nextBoolean()) {
            WireFrames.putU32(payload, 65, payload.length - Hello.FIXED_LENGTH);
        }
        int type = random.nextInt(4) == 0 ? 1 + random.nextInt(FrameType.values().length) : FrameType.HELLO.code();
        long sequence = random.nextInt(3) == 0 ? random.nextInt() & 0xFFFF_FFFFL : random.nextInt(2);
        long declared = random.nextInt(8) == 0 ? random.nextInt() & 0xFFFF_FFFFL : payload.length;
        return WireFrames.concat(WireFrames.header(type, random.nextInt(256), sequence, declared), payload);
    }

    /** One to four edits: overwrite a byte, flip a bit, cut the end, append zeros, flip a header bit, or set the flags. */
    private static byte[] mutate(Random random, byte[] frame) {
        byte[] mutated = frame.clone();
        int edits = 1 + random.nextInt(4);
        for (int edit = 0; edit < edits; edit++) {
            switch (random.nextInt(6)) {
                case 0 -> mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                case 1 -> mutated = WireFrames.flipBit(mutated, random.nextInt(mutated.length * 8));
                case 2 -> mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
                case 3 -> mutated = WireFrames.concat(mutated, new byte[1 + random.nextInt(8)]);
                case 4 -> mutated[Math.min(mutated.length - 1, random.nextInt(WireFrames.PAYLOAD_OFFSET + 2))] ^= (byte) (1 << random.nextInt(8));
                default -> mutated[WireFrames.FLAGS_OFFSET % Math.max(1, mutated.length)] = (byte) random.nextInt(256);
            }
            if (mutated.length == 0) {
                break;
            }
        }
        return mutated;
    }
}
