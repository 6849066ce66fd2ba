package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Helpers shared by the codec tests: hand-built wire bytes (independent of the encoders under
 * test), random frames and tensors, and the one assertion every rejection test makes.
 */
final class CodecTestSupport {

    /** Code points for random names: ASCII plus 2-, 3- and 4-byte UTF-8 sequences (the last a surrogate pair in Java). */
    private static final int[] MULTI_BYTE_NAME_CODE_POINTS = {'a', 'z', '_', '0', 0xE9, 0x3B1, 0x20AC, 0x4E2D, 0x1F600, 0x1D6FC};

    private CodecTestSupport() {
    }

    /** Asserts that {@code call} fails with a {@link SecureChannelException} for exactly {@code reason}. */
    static void assertRejected(ThrowingCallable call, FailureReason reason) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(SecureChannelException.class,
                        e -> assertThat(e.reason()).as("failure reason").isEqualTo(reason));
    }

    /** A 13-byte header with every field chosen by the caller, written by hand (big-endian). */
    static byte[] header(int magic, int version, int type, int flags, long sequence, long payloadLength) {
        return ByteBuffer.allocate(FrameCodec.HEADER_LENGTH)
                .putShort((short) magic)
                .put((byte) version)
                .put((byte) type)
                .put((byte) flags)
                .putInt((int) sequence)
                .putInt((int) payloadLength)
                .array();
    }

    /** A valid version-4 header for a frame of {@code type} declaring {@code payloadLength} bytes. */
    static byte[] header(FrameType type, long payloadLength) {
        return header(0xCF4D, 4, type.code(), 0, 0, payloadLength);
    }

    /** The concatenation of {@code parts}. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * A tensor sub-frame written by hand (little-endian), with the padding given explicitly so
     * that tests can supply wrong padding; {@code dims} may be longer or shorter than {@code ndims}.
     */
    static byte[] rawTensor(int ndims, int dtype, long[] dims, byte[] name, byte[] padding, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(2 + 1 + 4 * dims.length + 2 + name.length + padding.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) ndims).put((byte) dtype);
        for (long dim : dims) {
            out.putInt((int) dim);
        }
        out.putShort((short) name.length).put(name).put(padding).put(data);
        return out.array();
    }

    /** A tensor sub-frame written by hand with the correct zero padding. */
    static byte[] rawTensor(int dtype, long[] dims, byte[] name, byte[] data) {
        int unpadded = 2 + 1 + 4 * dims.length + 2 + name.length;
        return rawTensor(dims.length, dtype, dims, name, new byte[(8 - unpadded % 8) % 8], data);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A random frame: any type, flags below {@code flagsBound}, any u32 sequence, 0-1023 payload bytes. */
    static Frame randomFrame(Random random, int flagsBound) {
        FrameType type = FrameType.values()[random.nextInt(FrameType.values().length)];
        return new Frame(type, random.nextInt(flagsBound), ReplayableRandom.u32(random),
                ReplayableRandom.bytes(random, random.nextInt(1024)));
    }

    /** A random tensor: any dtype, 0-4 dimensions of 1-16, a random name, random data of the right size. */
    static Tensor randomTensor(Random random) {
        DType dtype = DType.values()[random.nextInt(DType.values().length)];
        long[] shape = new long[random.nextInt(5)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = 1 + random.nextInt(16);
        }
        byte[] data = ReplayableRandom.bytes(random, (int) Tensor.byteLength(dtype, shape));
        return Tensor.of(randomName(random), dtype, shape, data);
    }

    /** Mostly {@code [a-z_]{0,32}}; one time in five a name that mixes in multi-byte UTF-8 characters. */
    static String randomName(Random random) {
        int length = random.nextInt(33);
        StringBuilder name = new StringBuilder(length);
        boolean multiByte = random.nextInt(5) == 0;
        for (int i = 0; i < length; i++) {
            if (multiByte) {
                name.appendCodePoint(MULTI_BYTE_NAME_CODE_POINTS[random.nextInt(MULTI_BYTE_NAME_CODE_POINTS.length)]);
            } else {
                int c = random.nextInt(27);
                name.append(c == 26 ? '_' : (char) ('a' + c));
            }
        }
        return name.toString();
    }
}
