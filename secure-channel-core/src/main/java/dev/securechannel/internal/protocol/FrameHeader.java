package dev.securechannel.internal.protocol;

import dev.securechannel.protocol.FrameType;

/**
 * A decoded and validated 13-byte frame header.
 *
 * @param type          the message type
 * @param flags         the flag byte (0-255)
 * @param sequence      the u32 sequence number (0 to 2^32 - 1)
 * @param payloadLength the declared payload length, already checked against the cap in force
 */
public record FrameHeader(FrameType type, int flags, long sequence, int payloadLength) {

    /** The total frame length: header plus payload. */
    public int frameLength() {
        return FrameCodec.HEADER_LENGTH + payloadLength;
    }
}
