package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.protocol.Tensor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes (random, or valid frames and tensors with random mutations) given to
 * {@link FrameCodec#decodeMessage}, {@link FrameDecoder} and {@link TensorCodec#decode} produce
 * either a valid result or a {@link SecureChannelException} with a reason of that codec, and
 * nothing else: no index, buffer-underflow, negative-size or out-of-memory error escapes.
 *
 * <p>Whatever is accepted must also re-encode to exactly the bytes it came from, so the codecs
 * have a single encoding per value and nothing can hide in the bytes they accept.
 *
 * <p>Each test prints its seed; {@code -Dsecurechannel.seed=<seed>} replays it, and a failure
 * names the case and the input in hex.
 */
class CodecRobustnessTest {

    private static final int MAX = FrameCodec.MAX_PAYLOAD_LENGTH;
    private static final int CASES = 30_000;

    private static final Set<FailureReason> FRAME_REASONS = EnumSet.of(
            FailureReason.INVALID_MAGIC, FailureReason.UNSUPPORTED_VERSION, FailureReason.UNKNOWN_MESSAGE_TYPE,
            FailureReason.PAYLOAD_TOO_LARGE, FailureReason.MALFORMED_FRAME);
    private static final Set<FailureReason> TENSOR_REASONS = EnumSet.of(
            FailureReason.SHAPE_OVERFLOW, FailureReason.UNKNOWN_DTYPE, FailureReason.INCOMPLETE_TENSOR_HEADER,
            FailureReason.INVALID_TENSOR_NAME, FailureReason.INVALID_PADDING, FailureReason.TENSOR_DATA_SIZE_MISMATCH);
    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x04, 0x06, 0x07, 0x08, 0x20, 0x21, 0x7F, 0x80, 0xCF, 0x4D, 0xFF};

    // Frames as WebSocket messages

    @Test
    void randomBytesAsAMessageYieldAFrameOrACodecRejection() {
        Random random = ReplayableRandom.create("fuzz decodeMessage random", 0xF0_0001L);

        for (int i = 0; i < CASES; i++) {
            byte[] input = randomFrameLikeBytes(random);

            Frame frame = attempt("decodeMessage", i, input, FRAME_REASONS, () -> FrameCodec.decodeMessage(input, MAX));

            if (frame != null) {
                assertThat(FrameCodec.encode(frame)).as("case %d re-encoding", i).isEqualTo(input);
            }
        }
    }

    @Test
    void mutatedFramesAsAMessageYieldAFrameOrACodecRejection() {
        Random random = ReplayableRandom.create("fuzz decodeMessage mutations", 0xF0_0002L);

        for (int i = 0; i < CASES; i++) {
            byte[] input = mutate(random, FrameCodec.encode(CodecTestSupport.randomFrame(random, 0x100)));
            int cap = random.nextBoolean() ? MAX : random.nextInt(1024);

            Frame frame = attempt("decodeMessage", i, input, FRAME_REASONS, () -> FrameCodec.decodeMessage(input, cap));

            if (frame != null) {
                assertThat(FrameCodec.encode(frame)).as("case %d re-encoding", i).isEqualTo(input);
                assertThat(frame.payload().length).as("case %d cap", i).isLessThanOrEqualTo(cap);
            }
        }
    }

    // Frames as a stream

    @Test
    void randomAndMutatedStreamsYieldOnlyTheirLeadingFramesOrACodecRejection() {
        Random random = ReplayableRandom.create("fuzz FrameDecoder", 0xF0_0003L);

        for (int i = 0; i < 5_000; i++) {
            byte[] stream = randomStream(random);
            int cap = random.nextBoolean() ? MAX : random.nextInt(1024);
            FrameDecoder decoder = new FrameDecoder(cap);
            List<byte[]> emitted = new ArrayList<>();

            attempt("FrameDecoder", i, stream, FRAME_REASONS, () -> {
                for (int offset = 0; offset < stream.length; ) {
                    int chunk = Math.min(stream.length - offset, 1 + random.nextInt(300));
                    decoder.feed(stream, offset, chunk);
                    offset += chunk;
                    for (Frame frame = decoder.next(); frame != null; frame = decoder.next()) {
                        emitted.add(FrameCodec.encode(frame));
                    }
                }
                return null;
            });

            byte[] reencoded = CodecTestSupport.concat(emitted.toArray(byte[][]::new));
            assertThat(reencoded.length).as("case %d", i).isLessThanOrEqualTo(stream.length);
            assertThat(Arrays.copyOf(stream, reencoded.length)).as("case %d emitted frames", i).isEqualTo(reencoded);
        }
    }

    // Tensors

    @Test
    void randomBytesAsATensorYieldATensorOrATensorRejection() {
        Random random = ReplayableRandom.create("fuzz TensorCodec random", 0xF0_0004L);

        for (int i = 0; i < CASES; i++) {
            byte[] input = randomTensorLikeBytes(random);

            Tensor tensor = attempt("TensorCodec.decode", i, input, TENSOR_REASONS, () -> TensorCodec.decode(input));

            if (tensor != null) {
                assertThat(TensorCodec.encode(tensor)).as("case %d re-encoding", i).isEqualTo(input);
            }
        }
    }

    @Test
    void mutatedTensorsYieldATensorOrATensorRejection() {
        Random random = ReplayableRandom.create("fuzz TensorCodec mutations", 0xF0_0005L);
        List<byte[]> valid = smallValidTensors(random, 300);
        int accepted = 0;

        for (int i = 0; i < CASES; i++) {
            byte[] input = mutateTensor(random, valid.get(random.nextInt(valid.size())));

            Tensor tensor = attempt("TensorCodec.decode", i, input, TENSOR_REASONS, () -> TensorCodec.decode(input));

            if (tensor != null) {
                accepted++;
                assertThat(TensorCodec.encode(tensor)).as("case %d re-encoding", i).isEqualTo(input);
            }
        }
        // Some mutations (for example a changed data byte) keep the tensor valid; if none is
        // accepted, the generator has stopped producing anything close to a tensor.
        assertThat(accepted).isPositive();
    }

    @Test
    void tensorsDecodedFromAnOffsetInsideRandomBytesYieldATensorOrATensorRejection() {
        Random random = ReplayableRandom.create("fuzz TensorCodec offset", 0xF0_0006L);
        List<byte[]> valid = smallValidTensors(random, 100);

        for (int i = 0; i < 5_000; i++) {
            byte[] tensor = mutateTensor(random, valid.get(random.nextInt(valid.size())));
            byte[] before = ReplayableRandom.bytes(random, random.nextInt(16));
            byte[] input = CodecTestSupport.concat(before, tensor, ReplayableRandom.bytes(random, random.nextInt(16)));

            Tensor decoded = attempt("TensorCodec.decode(offset)", i, input, TENSOR_REASONS,
                    () -> TensorCodec.decode(input, before.length, tensor.length));

            if (decoded != null) {
                assertThat(TensorCodec.encode(decoded)).as("case %d re-encoding", i).isEqualTo(tensor);
            }
        }
    }

    /** Runs {@code decode}; a codec rejection gives {@code null}, anything else fails the test with the case and input. */
    private static <T> T attempt(String what, int caseIndex, byte[] input, Set<FailureReason> allowed, Supplier<T> decode) {
        try {
            return decode.get();
        } catch (SecureChannelException rejection) {
            if (!allowed.contains(rejection.reason())) {
                fail(what + " case " + caseIndex + " rejected with foreign reason " + rejection.reason()
                        + " for input " + HexFormat.of().formatHex(input), rejection);
            }
            return null;
        } catch (RuntimeException | Error escaped) {
            fail(what + " case " + caseIndex + " threw " + escaped + " for input " + HexFormat.of().formatHex(input), escaped);
            return null;
        }
    }

    // Generators

    /** Random bytes, often behind a plausible magic, version and type so that more than the first check runs. */
    private static byte[] randomFrameLikeBytes(Random random) {
        byte[] bytes = ReplayableRandom.bytes(random, random.nextInt(64));
        if (bytes.length >= 4 && random.nextInt(4) != 0) {
            bytes[0] = (byte) 0xCF;
            bytes[1] = 0x4D;
            bytes[2] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : 4);
            bytes[3] = (byte) random.nextInt(8);
        }
        if (bytes.length >= FrameCodec.HEADER_LENGTH && random.nextBoolean()) {
            FrameCodec.writeU32(bytes, 9, random.nextBoolean() ? bytes.length - FrameCodec.HEADER_LENGTH : random.nextInt(80));
        }
        return bytes;
    }

    /** Valid frames, mutated frames and raw random bytes, back to back. */
    private static byte[] randomStream(Random random) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int part = random.nextInt(6); part >= 0; part--) {
            byte[] frame = FrameCodec.encode(CodecTestSupport.randomFrame(random, 0x100));
            switch (random.nextInt(4)) {
                case 0, 1 -> stream.writeBytes(frame);
                case 2 -> stream.writeBytes(mutate(random, frame));
                default -> stream.writeBytes(randomFrameLikeBytes(random));
            }
        }
        return stream.toByteArray();
    }

    /** Random bytes, often starting with a small ndims and a known dtype so that the decoder gets further. */
    private static byte[] randomTensorLikeBytes(Random random) {
        byte[] bytes = ReplayableRandom.bytes(random, random.nextInt(96));
        if (bytes.length >= 3 && random.nextInt(4) != 0) {
            bytes[0] = (byte) random.nextInt(5);
            bytes[1] = 0;
            bytes[2] = (byte) random.nextInt(9);
        }
        return bytes;
    }

    private static List<byte[]> smallValidTensors(Random random, int count) {
        List<byte[]> tensors = new ArrayList<>();
        while (tensors.size() < count) {
            byte[] encoded = TensorCodec.encode(CodecTestSupport.randomTensor(random));
            if (encoded.length <= 512) {
                tensors.add(encoded);
            }
        }
        return tensors;
    }

    /** One to three random edits: bit flips, interesting or random bytes, truncation, insertion, deletion, appending. */
    private static byte[] mutate(Random random, byte[] valid) {
        byte[] out = valid;
        for (int m = random.nextInt(3); m >= 0; m--) {
            out = mutateOnce(random, out);
        }
        return out;
    }

    private static byte[] mutateOnce(Random random, byte[] in) {
        if (in.length == 0) {
            return ReplayableRandom.bytes(random, 1 + random.nextInt(16));
        }
        byte[] out = in.clone();
        int position = random.nextBoolean() ? random.nextInt(Math.min(out.length, 24)) : random.nextInt(out.length);
        switch (random.nextInt(7)) {
            case 0 -> out[position] ^= (byte) (1 << random.nextInt(8));
            case 1 -> out[position] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            case 2 -> out[position] = (byte) random.nextInt(256);
            case 3 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 4 -> out = CodecTestSupport.concat(out, ReplayableRandom.bytes(random, 1 + random.nextInt(16)));
            case 5 -> out = CodecTestSupport.concat(Arrays.copyOf(out, position),
                    ReplayableRandom.bytes(random, 1 + random.nextInt(4)),
                    Arrays.copyOfRange(out, position, out.length));
            default -> {
                int end = Math.min(out.length, position + 1 + random.nextInt(4));
                out = CodecTestSupport.concat(Arrays.copyOf(out, position), Arrays.copyOfRange(out, end, out.length));
            }
        }
        return out;
    }

    /** The generic mutations, plus field-aware ones that rewrite ndims, a dimension or name_len (little-endian). */
    private static byte[] mutateTensor(Random random, byte[] valid) {
        if (random.nextInt(3) != 0 || valid.length < 8) {
            return mutate(random, valid);
        }
        byte[] out = valid.clone();
        int ndims = (out[0] & 0xFF) | (out[1] & 0xFF) << 8;
        switch (random.nextInt(3)) {
            case 0 -> writeU16(out, 0, random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(36));
            case 1 -> {
                if (ndims > 0 && 3 + 4 * ndims <= out.length) {
                    long dim = switch (random.nextInt(4)) {
                        case 0 -> 0L;
                        case 1 -> 0xFFFF_FFFFL;
                        default -> random.nextInt(64);
                    };
                    int at = 3 + 4 * random.nextInt(ndims);
                    for (int b = 0; b < 4; b++) {
                        out[at + b] = (byte) (dim >>> (8 * b));
                    }
                }
            }
            default -> {
                if (3 + 4 * ndims + 2 <= out.length) {
                    writeU16(out, 3 + 4 * ndims, random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(48));
                }
            }
        }
        return out;
    }

    private static void writeU16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
    }
}
