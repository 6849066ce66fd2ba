package dev.securechannel.internal.protocol;

import dev.securechannel.protocol.FrameType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One frame as it travels: header fields and the raw payload (ciphertext for sealed frames).
 *
 * <p>Immutable by convention: the payload array is not copied, so callers must not change it
 * after construction.
 *
 * @param type     the message type
 * @param flags    the flag byte (0-255)
 * @param sequence the u32 sequence number (0 to 2^32 - 1)
 * @param payload  the payload bytes, at most {@link FrameCodec#MAX_PAYLOAD_LENGTH}
 */
public record Frame(FrameType type, int flags, long sequence, byte[] payload) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for flags outside a byte, a sequence outside u32, or a
     *                                  payload over 32 MiB (the frame is refused before anything is written)
     */
    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags must fit in one byte: " + flags);
        }
        if (sequence < 0 || sequence > FrameCodec.MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence must be a u32: " + sequence);
        }
        if (payload.length > FrameCodec.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException(
                    "payload of " + payload.length + " bytes exceeds the protocol maximum of " + FrameCodec.MAX_PAYLOAD_LENGTH);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that
                && type == that.type
                && flags == that.flags
                && sequence == that.sequence
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, flags, sequence) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String preview = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
        return "Frame[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", sequence=" + sequence
                + ", payload=" + payload.length + " bytes " + preview + (payload.length > 16 ? "..." : "") + "]";
    }
}
