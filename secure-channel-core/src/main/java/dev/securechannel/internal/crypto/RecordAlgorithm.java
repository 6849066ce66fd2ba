package dev.securechannel.internal.crypto;

import dev.securechannel.handshake.Extensions;

/**
 * The AEAD that protects every frame after the handshake: ChaCha20-Poly1305 in base version 4
 * (PROTOCOL.md section 4), AES-256-GCM when both sides negotiated it (section 8.2). Both take
 * a 32-byte key and a 12-byte nonce and append a 16-byte tag.
 */
public enum RecordAlgorithm {
    /** RFC 8439; the base protocol's record AEAD. */
    CHACHA20_POLY1305,
    /** NIST SP 800-38D with a 256-bit key; extension bit 0x10. */
    AES_256_GCM;

    /** Length of the tag both algorithms append. */
    public static final int TAG_LENGTH = 16;
    /** Length of the nonce both algorithms take. */
    public static final int NONCE_LENGTH = 12;
    /** Length of the key both algorithms take. */
    public static final int KEY_LENGTH = 32;

    /** The record AEAD {@code extensions} select: AES-256-GCM when negotiated, else ChaCha20-Poly1305. */
    public static RecordAlgorithm of(Extensions extensions) {
        return extensions.has(Extensions.AES_256_GCM) ? AES_256_GCM : CHACHA20_POLY1305;
    }
}
