package dev.securechannel.internal.handshake;

import dev.securechannel.internal.protocol.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Byte-level surgery on frames, the way a man in the middle would do it: read and rewrite
 * header fields, flip bits, cut or extend payloads. Every method returns a new array and
 * leaves its input alone. Nothing here validates: crafting invalid frames is the point.
 */
public final class WireFrames {

    /** Offset of the msg_type byte. */
    public static final int TYPE_OFFSET = 3;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the u32 sequence. */
    public static final int SEQUENCE_OFFSET = 5;
    /** Offset of the u32 payload_len. */
    public static final int LENGTH_OFFSET = 9;
    /** Offset of the first payload byte. */
    public static final int PAYLOAD_OFFSET = FrameCodec.HEADER_LENGTH;

    private WireFrames() {
    }

    /** A raw 13-byte header with any field values (magic and version 4 as on the wire). */
    public static byte[] header(int type, int flags, long sequence, long payloadLength) {
        byte[] header = new byte[FrameCodec.HEADER_LENGTH];
        header[0] = (byte) 0xCF;
        header[1] = (byte) 0x4D;
        header[2] = (byte) FrameCodec.PROTOCOL_VERSION;
        header[TYPE_OFFSET] = (byte) type;
        header[FLAGS_OFFSET] = (byte) flags;
        putU32(header, SEQUENCE_OFFSET, sequence);
        putU32(header, LENGTH_OFFSET, payloadLength);
        return header;
    }

    /** A whole frame whose payload_len matches {@code payload}. */
    public static byte[] frame(int type, int flags, long sequence, byte[] payload) {
        return concat(header(type, flags, sequence, payload.length), payload);
    }

    /** The frame with its sequence field rewritten. */
    public static byte[] withSequence(byte[] frame, long sequence) {
        byte[] copy = frame.clone();
        putU32(copy, SEQUENCE_OFFSET, sequence);
        return copy;
    }

    /** The frame with its msg_type byte rewritten. */
    public static byte[] withType(byte[] frame, int type) {
        return withByte(frame, TYPE_OFFSET, type);
    }

    /** The frame with its flags byte rewritten. */
    public static byte[] withFlags(byte[] frame, int flags) {
        return withByte(frame, FLAGS_OFFSET, flags);
    }

    /** The frame with its payload_len field rewritten (the bytes stay as they are). */
    public static byte[] withDeclaredLength(byte[] frame, long payloadLength) {
        byte[] copy = frame.clone();
        putU32(copy, LENGTH_OFFSET, payloadLength);
        return copy;
    }

    /** The frame with the byte at {@code index} set to {@code value}. */
    public static byte[] withByte(byte[] frame, int index, int value) {
        byte[] copy = frame.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** The frame with bit {@code bit} (0 = least significant bit of byte 0) inverted. */
    public static byte[] flipBit(byte[] frame, int bit) {
        byte[] copy = frame.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    /** The frame with {@code extra} appended to its payload and payload_len updated to match. */
    public static byte[] appendToPayload(byte[] frame, byte... extra) {
        return withDeclaredLength(concat(frame, extra), payloadLength(frame) + extra.length);
    }

    /** The frame cut to {@code payloadLength} payload bytes, payload_len updated to match. */
    public static byte[] truncatePayload(byte[] frame, int payloadLength) {
        return withDeclaredLength(Arrays.copyOf(frame, PAYLOAD_OFFSET + payloadLength), payloadLength);
    }

    /** The payload bytes. */
    public static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, PAYLOAD_OFFSET, frame.length);
    }

    /** The msg_type byte. */
    public static int type(byte[] frame) {
        return frame[TYPE_OFFSET] & 0xFF;
    }

    /** The flags byte. */
    public static int flags(byte[] frame) {
        return frame[FLAGS_OFFSET] & 0xFF;
    }

    /** The header's sequence. */
    public static long sequence(byte[] frame) {
        return u32(frame, SEQUENCE_OFFSET);
    }

    /** The header's payload_len. */
    public static long payloadLength(byte[] frame) {
        return u32(frame, LENGTH_OFFSET);
    }

    /** The arrays joined. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Writes a big-endian u32. */
    public static void putU32(byte[] target, int offset, long value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }

    /** Reads a big-endian u32. */
    public static long u32(byte[] source, int offset) {
        return ((source[offset] & 0xFFL) << 24) | ((source[offset + 1] & 0xFFL) << 16)
                | ((source[offset + 2] & 0xFFL) << 8) | (source[offset + 3] & 0xFFL);
    }
}
