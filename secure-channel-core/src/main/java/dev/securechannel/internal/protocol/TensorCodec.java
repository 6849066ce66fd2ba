package dev.securechannel.internal.protocol;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The tensor sub-frame of PROTOCOL.md section 5 (little-endian):
 * {@code u16 ndims | u8 dtype | ndims x u32 dims | u16 name_len | name | zero padding to 8 | data}.
 *
 * <p>Decoding checks every field against the bytes present before reading it; the data is
 * returned as a view of the input, not a copy. Stateless and thread-safe.
 */
public final class TensorCodec {

    private static final int ALIGNMENT = 8;

    private TensorCodec() {
    }

    /** The length of the sub-header (including padding) for a tensor. */
    public static int headerLength(Tensor tensor) {
        return headerLength(tensor.rank(), utf8(tensor.name()).length);
    }

    private static int headerLength(int rank, int nameLength) {
        int unpadded = 2 + 1 + 4 * rank + 2 + nameLength;
        return (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Encodes only the sub-header (dims, name and padding). */
    public static byte[] encodeHeader(Tensor tensor) {
        byte[] name = utf8(tensor.name());
        byte[] out = new byte[headerLength(tensor.rank(), name.length)];
        writeHeader(tensor, name, out, 0);
        return out;
    }

    /** The length of the whole sub-frame: sub-header and data. */
    public static long encodedLength(Tensor tensor) {
        return (long) headerLength(tensor) + tensor.data().remaining();
    }

    /** Encodes the whole sub-frame into a new array. */
    public static byte[] encode(Tensor tensor) {
        return encode(tensor, 0, 0);
    }

    /**
     * Encodes the whole sub-frame into a new array at {@code leading}, with {@code trailing}
     * spare bytes after it: room for a frame's header and tag, so that the record layer can seal
     * the frame in place and the tensor's data is copied once.
     */
    public static byte[] encode(Tensor tensor, int leading, int trailing) {
        byte[] name = utf8(tensor.name());
        int headerLength = headerLength(tensor.rank(), name.length);
        ByteBuffer data = tensor.data();
        byte[] out = new byte[Math.addExact(Math.addExact(leading, headerLength), Math.addExact(data.remaining(), trailing))];
        writeHeader(tensor, name, out, leading);
        data.get(out, leading + headerLength, data.remaining());
        return out;
    }

    private static void writeHeader(Tensor tensor, byte[] name, byte[] out, int offset) {
        int rank = tensor.rank();
        ByteBuffer header = ByteBuffer.wrap(out, offset, headerLength(rank, name.length)).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) rank);
        header.put((byte) tensor.dtype().code());
        for (int i = 0; i < rank; i++) {
            header.putInt((int) tensor.dimension(i));
        }
        header.putShort((short) name.length);
        header.put(name);
    }

    /**
     * Decodes a sub-frame from {@code length} bytes at {@code offset}; the returned tensor's
     * data is a read-only view of {@code source}.
     *
     * @throws SecureChannelException SHAPE_OVERFLOW, UNKNOWN_DTYPE, INCOMPLETE_TENSOR_HEADER,
     *                                INVALID_TENSOR_NAME, INVALID_PADDING or TENSOR_DATA_SIZE_MISMATCH
     */
    public static Tensor decode(byte[] source, int offset, int length) {
        ByteBuffer in = ByteBuffer.wrap(source, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        need(in, 3);
        int rank = Short.toUnsignedInt(in.getShort());
        if (rank > Tensor.MAX_DIMENSIONS) {
            throw new SecureChannelException(FailureReason.SHAPE_OVERFLOW, rank + " dimensions");
        }
        DType dtype = DType.fromCode(in.get() & 0xFF);
        need(in, 4L * rank + 2);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = Integer.toUnsignedLong(in.getInt());
        }
        int nameLength = Short.toUnsignedInt(in.getShort());
        need(in, nameLength);
        String name = decodeName(in, nameLength);
        int padding = headerLength(rank, nameLength) - in.position();
        need(in, padding);
        for (int i = 0; i < padding; i++) {
            if (in.get() != 0) {
                throw new SecureChannelException(FailureReason.INVALID_PADDING);
            }
        }
        long expected = Tensor.byteLength(dtype, shape);
        if (expected != in.remaining()) {
            throw new SecureChannelException(FailureReason.TENSOR_DATA_SIZE_MISMATCH,
                    "shape needs " + expected + " bytes, frame has " + in.remaining());
        }
        return new Tensor(name, dtype, shape, in.slice());
    }

    /** Decodes a whole array as a sub-frame. */
    public static Tensor decode(byte[] source) {
        return decode(source, 0, source.length);
    }

    private static String decodeName(ByteBuffer in, int nameLength) {
        if (nameLength == 0) {
            return "";
        }
        ByteBuffer nameBytes = in.slice().limit(nameLength);
        in.position(in.position() + nameLength);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(nameBytes);
            return chars.toString();
        } catch (CharacterCodingException invalid) {
            throw new SecureChannelException(FailureReason.INVALID_TENSOR_NAME);
        }
    }

    private static void need(ByteBuffer in, long bytes) {
        if (in.remaining() < bytes) {
            throw new SecureChannelException(FailureReason.INCOMPLETE_TENSOR_HEADER,
                    "need " + bytes + " bytes, have " + in.remaining());
        }
    }

    private static byte[] utf8(String name) {
        byte[] bytes;
        try {
            // Strict: an unpaired surrogate would otherwise be sent as '?', a name the sender never chose.
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
        } catch (CharacterCodingException e) {
            throw new SecureChannelException(FailureReason.INVALID_TENSOR_NAME, "name is not valid Unicode");
        }
        if (bytes.length > Tensor.MAX_NAME_BYTES) {
            throw new SecureChannelException(FailureReason.TENSOR_NAME_TOO_LONG, bytes.length + " bytes");
        }
        return bytes;
    }
}
