package dev.securechannel.protocol;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;

/** Element types of a tensor sub-frame (PROTOCOL.md section 5). */
public enum DType {
    F32(0, 4),
    F64(1, 8),
    F16(2, 2),
    BF16(3, 2),
    I32(4, 4),
    I64(5, 8),
    U8(6, 1),
    U32(7, 4);

    private static final DType[] BY_CODE = values();

    private final int code;
    private final int elementSize;

    DType(int code, int elementSize) {
        this.code = code;
        this.elementSize = elementSize;
    }

    /** The byte written on the wire. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int elementSize() {
        return elementSize;
    }

    /**
     * The dtype for a wire byte.
     *
     * @throws SecureChannelException {@link FailureReason#UNKNOWN_DTYPE} for 8-255
     */
    public static DType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new SecureChannelException(FailureReason.UNKNOWN_DTYPE, "dtype " + code);
        }
        return BY_CODE[code];
    }
}
