package dev.securechannel.internal.protocol;

/** The flag bits of a frame header (PROTOCOL.md section 1); bits 0x10-0x80 are reserved. */
public final class FrameFlags {

    /** No flag set. */
    public static final int NONE = 0x00;
    /** The payload is ChaCha20-Poly1305 ciphertext followed by its tag. */
    public static final int ENCRYPTED = 0x01;
    /** The plaintext is a tensor sub-frame. */
    public static final int TENSOR_PAYLOAD = 0x02;
    /** Reserved by the reference for batched payloads; never sent by this implementation. */
    public static final int BATCH = 0x04;
    /** Reserved by the reference for compressed payloads; never sent by this implementation. */
    public static final int COMPRESSED = 0x08;
    /** Every bit the protocol defines. */
    public static final int KNOWN = ENCRYPTED | TENSOR_PAYLOAD | BATCH | COMPRESSED;

    private FrameFlags() {
    }

    /** Whether every bit of {@code flag} is set in {@code flags}. */
    public static boolean has(int flags, int flag) {
        return (flags & flag) == flag;
    }

    /** Whether the ENCRYPTED bit is set. */
    public static boolean isEncrypted(int flags) {
        return (flags & ENCRYPTED) != 0;
    }

    /** Whether the TENSOR_PAYLOAD bit is set. */
    public static boolean isTensor(int flags) {
        return (flags & TENSOR_PAYLOAD) != 0;
    }
}
