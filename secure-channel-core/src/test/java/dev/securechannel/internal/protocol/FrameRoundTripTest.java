package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.protocol.FrameType;
import dev.securechannel.testing.SharedFiles;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Encoding then decoding a frame gives it back field by field (CONFORMANCE A1), for randomly
 * generated frames and for every frame of the protocol known-answer vectors.
 *
 * <p>The random cases are replayable: each test prints its seed, and
 * {@code -Dsecurechannel.seed=<seed>} reruns it with the same cases.
 */
class FrameRoundTripTest {

    private static final int CASES = 5_000;
    private static final int MAX = FrameCodec.MAX_PAYLOAD_LENGTH;

    @Test
    void randomFramesOfEveryTypeFlagsSequenceAndPayloadSurviveEncodeThenDecode() {
        Random random = ReplayableRandom.create("A1 frame round trip", 0xA1_F2A3EL);

        for (int i = 0; i < CASES; i++) {
            Frame frame = CodecTestSupport.randomFrame(random, 0x10);

            Frame decoded = FrameCodec.decodeMessage(FrameCodec.encode(frame), MAX);

            assertThat(decoded.type()).as("case %d type", i).isEqualTo(frame.type());
            assertThat(decoded.flags()).as("case %d flags", i).isEqualTo(frame.flags());
            assertThat(decoded.sequence()).as("case %d sequence", i).isEqualTo(frame.sequence());
            assertThat(decoded.payload()).as("case %d payload", i).isEqualTo(frame.payload());
        }
    }

    @Test
    void randomHeadersDecodeToTheFieldsTheyWereWrittenWith() {
        Random random = ReplayableRandom.create("A1 header round trip", 0xA1_4EADL);
        byte[] buffer = new byte[FrameCodec.HEADER_LENGTH];

        for (int i = 0; i < CASES; i++) {
            FrameType type = FrameType.values()[random.nextInt(FrameType.values().length)];
            int flags = random.nextInt(0x10);
            long sequence = ReplayableRandom.u32(random);
            int length = random.nextInt(MAX + 1);

            FrameCodec.writeHeader(buffer, 0, type, flags, sequence, length);

            assertThat(FrameCodec.decodeHeader(buffer, 0, MAX)).as("case %d", i)
                    .isEqualTo(new FrameHeader(type, flags, sequence, length));
        }
    }

    @Test
    void everyFlagByteIncludingReservedBitsPassesThroughUnchanged() {
        // Section 8 advertises extensions in reserved Hello flag bits, so the codec must not drop them.
        for (int flags = 0; flags <= 0xFF; flags++) {
            Frame frame = new Frame(FrameType.HELLO, flags, 0, new byte[] {1});

            assertThat(FrameCodec.decodeMessage(FrameCodec.encode(frame), MAX).flags()).isEqualTo(flags);
        }
    }

    @Test
    void boundarySequenceNumbersSurviveEncodeThenDecode() {
        for (long sequence : new long[] {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, FrameCodec.MAX_SEQUENCE}) {
            Frame frame = new Frame(FrameType.DATA, FrameFlags.ENCRYPTED, sequence, new byte[0]);

            assertThat(FrameCodec.decodeMessage(FrameCodec.encode(frame), MAX).sequence()).isEqualTo(sequence);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vectors/protocol/kat-v4-1.json", "vectors/protocol/kat-v4-2.json"})
    void everyKnownAnswerFrameDecodesAndReencodesByteForByte(String vectorFile) {
        JsonNode vectors = SharedFiles.json(vectorFile);
        int frames = 0;

        for (String field : vectors.propertyNames()) {
            if (field.startsWith("frame_")) {
                byte[] wire = SharedFiles.hex(vectors.get(field).asString());

                Frame decoded = FrameCodec.decodeMessage(wire, MAX);

                assertThat(FrameCodec.encode(decoded)).as(field).isEqualTo(wire);
                frames++;
            }
        }
        assertThat(frames).isEqualTo(7);
    }

    @Test
    void knownAnswerFramesCarryTheTypesFlagsAndSequencesOfTheHandshakeAndSession() {
        JsonNode vectors = SharedFiles.json("vectors/protocol/kat-v4-1.json");

        assertThat(decode(vectors, "frame_initiator_hello")).isEqualTo(new FrameHeader(FrameType.HELLO, 0, 0, 157));
        assertThat(decode(vectors, "frame_confirmation")).isEqualTo(new FrameHeader(FrameType.HELLO, 0, 1, 33));
        assertThat(decode(vectors, "frame_initiator_data_seq0")).isEqualTo(new FrameHeader(FrameType.DATA, 0x01, 0, 40));
        assertThat(decode(vectors, "frame_initiator_tensor_seq1")).isEqualTo(new FrameHeader(FrameType.TENSOR, 0x03, 1, 64));
        assertThat(decode(vectors, "frame_initiator_shutdown_seq2")).isEqualTo(new FrameHeader(FrameType.SHUTDOWN, 0x01, 2, 16));
    }

    private static FrameHeader decode(JsonNode vectors, String field) {
        return FrameCodec.decodeMessageHeader(SharedFiles.hex(vectors.get(field).asString()), MAX);
    }
}
