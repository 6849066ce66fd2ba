package dev.securechannel.protocol;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.protocol.FrameFlags;

/** The message type byte of a frame header. */
public enum FrameType {
    HELLO(0x01),
    DATA(0x02),
    ERROR(0x03),
    HEARTBEAT(0x04),
    SHUTDOWN(0x05),
    TENSOR(0x06),
    /**
     * Key update (PROTOCOL.md section 8.3): valid only in a session whose handshake negotiated
     * bit 0x20; a session without it rejects the type as unknown.
     */
    KEY_UPDATE(0x07);

    private static final FrameType[] BY_CODE = {null, HELLO, DATA, ERROR, HEARTBEAT, SHUTDOWN, TENSOR, KEY_UPDATE};

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The byte written on the wire. */
    public int code() {
        return code;
    }

    /**
     * The type for a wire byte.
     *
     * @throws SecureChannelException {@link FailureReason#UNKNOWN_MESSAGE_TYPE} for 0x00 and 0x08-0xFF
     */
    public static FrameType fromCode(int code) {
        if (code < 1 || code >= BY_CODE.length) {
            throw new SecureChannelException(FailureReason.UNKNOWN_MESSAGE_TYPE, "type 0x" + Integer.toHexString(code & 0xFF));
        }
        return BY_CODE[code];
    }

    /** The flags an honest sender sets on a sealed frame of this type (PROTOCOL.md section 4). */
    public int sealedFlags() {
        return this == TENSOR ? FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD : FrameFlags.ENCRYPTED;
    }
}
