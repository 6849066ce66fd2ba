package dev.securechannel.internal.protocol;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.protocol.FrameType;

/**
 * Encodes and decodes the 13-byte frame header of PROTOCOL.md section 1, and whole frames
 * held in one array (as a WebSocket binary message holds exactly one frame).
 *
 * <p>Header validation runs in the order the protocol gives (magic, version, type, length
 * cap) and always before any payload is looked at or allocated. Stateless and thread-safe.
 */
public final class FrameCodec {

    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 13;
    /** The protocol version this implementation speaks. */
    public static final int PROTOCOL_VERSION = 4;
    /** The protocol's hard cap on payload_len: 32 MiB. */
    public static final int MAX_PAYLOAD_LENGTH = 32 * 1024 * 1024;
    /** The largest u32 sequence number. */
    public static final long MAX_SEQUENCE = 0xFFFF_FFFFL;

    private static final int MAGIC_0 = 0xCF;
    private static final int MAGIC_1 = 0x4D;

    private FrameCodec() {
    }

    /**
     * Writes a header at {@code offset}.
     *
     * @throws IllegalArgumentException if the payload length exceeds the protocol maximum
     */
    public static void writeHeader(byte[] destination, int offset, FrameType type, int flags, long sequence, int payloadLength) {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("payload length " + payloadLength + " exceeds the protocol maximum");
        }
        destination[offset] = (byte) MAGIC_0;
        destination[offset + 1] = (byte) MAGIC_1;
        destination[offset + 2] = (byte) PROTOCOL_VERSION;
        destination[offset + 3] = (byte) type.code();
        destination[offset + 4] = (byte) flags;
        writeU32(destination, offset + 5, sequence);
        writeU32(destination, offset + 9, payloadLength);
    }

    /** Encodes a whole frame into a new array. */
    public static byte[] encode(Frame frame) {
        byte[] out = new byte[HEADER_LENGTH + frame.payload().length];
        writeHeader(out, 0, frame.type(), frame.flags(), frame.sequence(), frame.payload().length);
        System.arraycopy(frame.payload(), 0, out, HEADER_LENGTH, frame.payload().length);
        return out;
    }

    /**
     * Decodes and validates the header at {@code offset}; the caller guarantees 13 readable bytes.
     *
     * @param maxPayloadLength the cap in force (at most {@link #MAX_PAYLOAD_LENGTH})
     * @throws SecureChannelException INVALID_MAGIC, UNSUPPORTED_VERSION, UNKNOWN_MESSAGE_TYPE or PAYLOAD_TOO_LARGE
     */
    public static FrameHeader decodeHeader(byte[] source, int offset, int maxPayloadLength) {
        if ((source[offset] & 0xFF) != MAGIC_0 || (source[offset + 1] & 0xFF) != MAGIC_1) {
            throw new SecureChannelException(FailureReason.INVALID_MAGIC);
        }
        int version = source[offset + 2] & 0xFF;
        if (version != PROTOCOL_VERSION) {
            throw new SecureChannelException(FailureReason.UNSUPPORTED_VERSION, "version " + version);
        }
        FrameType type = FrameType.fromCode(source[offset + 3] & 0xFF);
        int flags = source[offset + 4] & 0xFF;
        long sequence = readU32(source, offset + 5);
        long payloadLength = readU32(source, offset + 9);
        if (payloadLength > Math.min(maxPayloadLength, MAX_PAYLOAD_LENGTH)) {
            throw new SecureChannelException(FailureReason.PAYLOAD_TOO_LARGE,
                    payloadLength + " bytes declared, cap " + Math.min(maxPayloadLength, MAX_PAYLOAD_LENGTH));
        }
        return new FrameHeader(type, flags, sequence, (int) payloadLength);
    }

    /**
     * Decodes the header of a message that must hold exactly one whole frame (the WebSocket
     * mapping of PROTOCOL.md section 7).
     *
     * @throws SecureChannelException MALFORMED_FRAME when the message is shorter than a
     *                                header or its length differs from 13 + payload_len, or any header error
     */
    public static FrameHeader decodeMessageHeader(byte[] message, int maxPayloadLength) {
        if (message.length < HEADER_LENGTH) {
            throw new SecureChannelException(FailureReason.MALFORMED_FRAME, "message of " + message.length + " bytes");
        }
        FrameHeader header = decodeHeader(message, 0, maxPayloadLength);
        if (header.frameLength() != message.length) {
            throw new SecureChannelException(FailureReason.MALFORMED_FRAME,
                    "message of " + message.length + " bytes holds a frame of " + header.frameLength());
        }
        return header;
    }

    /** Decodes a message holding exactly one whole frame, copying its payload. */
    public static Frame decodeMessage(byte[] message, int maxPayloadLength) {
        FrameHeader header = decodeMessageHeader(message, maxPayloadLength);
        byte[] payload = new byte[header.payloadLength()];
        System.arraycopy(message, HEADER_LENGTH, payload, 0, payload.length);
        return new Frame(header.type(), header.flags(), header.sequence(), payload);
    }

    static void writeU32(byte[] destination, int offset, long value) {
        destination[offset] = (byte) (value >>> 24);
        destination[offset + 1] = (byte) (value >>> 16);
        destination[offset + 2] = (byte) (value >>> 8);
        destination[offset + 3] = (byte) value;
    }

    static long readU32(byte[] source, int offset) {
        return ((source[offset] & 0xFFL) << 24)
                | ((source[offset + 1] & 0xFFL) << 16)
                | ((source[offset + 2] & 0xFFL) << 8)
                | (source[offset + 3] & 0xFFL);
    }
}
