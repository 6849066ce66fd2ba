package dev.securechannel.protocol;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.protocol.FrameCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: dtype, shape and little-endian element data, the plaintext of a Tensor frame.
 *
 * <p>The data is held as a read-only little-endian {@link ByteBuffer}; a decoded tensor's
 * buffer is a view into the opened frame, so receiving does not copy the elements again.
 * Element count follows the reference crate: a shape with no dimensions holds one element,
 * and any zero dimension means empty data.
 *
 * @param name  the tensor name (UTF-8 on the wire, at most 65,535 bytes)
 * @param dtype the element type
 * @param shape the dimensions, each a u32, at most 32 of them
 * @param data  the element bytes; exactly product(shape) x element size
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    /** The most dimensions a tensor may have. */
    public static final int MAX_DIMENSIONS = 32;
    /** The longest name in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 0xFFFF;

    /**
     * Validates shape and data size.
     *
     * @throws SecureChannelException SHAPE_OVERFLOW, TENSOR_NAME_TOO_LONG or TENSOR_DATA_SIZE_MISMATCH
     */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (shape.length > MAX_DIMENSIONS) {
            throw new SecureChannelException(FailureReason.SHAPE_OVERFLOW, shape.length + " dimensions");
        }
        shape = shape.clone();
        long expected = byteLength(dtype, shape);
        if (expected != data.remaining()) {
            throw new SecureChannelException(FailureReason.TENSOR_DATA_SIZE_MISMATCH,
                    "shape needs " + expected + " bytes, data has " + data.remaining());
        }
        if (name.length() > MAX_NAME_BYTES / 3 && name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new SecureChannelException(FailureReason.TENSOR_NAME_TOO_LONG, "name over " + MAX_NAME_BYTES + " bytes");
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor over a copy of {@code bytes}. */
    public static Tensor of(String name, DType dtype, long[] shape, byte[] bytes) {
        return new Tensor(name, dtype, shape, ByteBuffer.wrap(bytes.clone()));
    }

    /** An F32 tensor holding {@code values}. */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new Tensor(name, DType.F32, shape, buffer);
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The dimension at {@code index}. */
    public long dimension(int index) {
        return shape[index];
    }

    /** The element data as a fresh read-only little-endian view (its own position and limit). */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of the element bytes. */
    public byte[] dataBytes() {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return copy;
    }

    /** The elements of an F32 tensor. */
    public float[] toFloatArray() {
        if (dtype != DType.F32) {
            throw new IllegalStateException("tensor is " + dtype + ", not F32");
        }
        float[] values = new float[data.remaining() / Float.BYTES];
        data().asFloatBuffer().get(values);
        return values;
    }

    /**
     * The number of data bytes a shape needs, with the reference's semantics.
     *
     * @throws SecureChannelException SHAPE_OVERFLOW when a dimension is not a u32 or the product overflows
     */
    public static long byteLength(DType dtype, long[] shape) {
        long elements = 1;
        try {
            for (long dimension : shape) {
                if (dimension < 0 || dimension > FrameCodec.MAX_SEQUENCE) {
                    throw new SecureChannelException(FailureReason.SHAPE_OVERFLOW, "dimension " + dimension);
                }
                elements = Math.multiplyExact(elements, dimension);
            }
            return Math.multiplyExact(elements, (long) dtype.elementSize());
        } catch (ArithmeticException overflow) {
            throw new SecureChannelException(FailureReason.SHAPE_OVERFLOW, "element count overflows");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "Tensor[name=" + name + ", dtype=" + dtype + ", shape=" + Arrays.toString(shape) + ", " + data.remaining() + " bytes]";
    }
}
