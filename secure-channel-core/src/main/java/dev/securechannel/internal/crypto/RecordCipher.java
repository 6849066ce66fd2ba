package dev.securechannel.internal.crypto;

import dev.securechannel.internal.protocol.FrameCodec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * What sealing and opening share: one direction's {@link CryptoBackend.RecordAead}
 * (ChaCha20-Poly1305, or AES-256-GCM when negotiated), the 12-byte
 * nonce {@code 0^4 | u64 seq} and the 43-byte AAD {@code version | type | flags | session_id | u64 seq}
 * (PROTOCOL.md section 4), both kept in reusable arrays.
 */
final class RecordCipher {

    /** Tag length of both AEADs. */
    /** The JDK's name of the base protocol's AEAD, for tests that drive the JDK cipher directly. */
    static final String TRANSFORMATION = "ChaCha20-Poly1305";
    static final String AES_GCM_TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int AAD_LENGTH = 43;
    private static final int AAD_SEQUENCE_OFFSET = 35;

    private final CryptoBackend.RecordAead aead;
    private final RecordAlgorithm algorithm;
    private final byte[] nonce = new byte[RecordAlgorithm.NONCE_LENGTH];
    final byte[] aad = new byte[AAD_LENGTH];

    RecordCipher(CryptoBackend backend, RecordAlgorithm algorithm, byte[] key, byte[] sessionId) {
        if (key.length != 32 || sessionId.length != 32) {
            throw new IllegalArgumentException("key and session id must be 32 bytes");
        }
        this.algorithm = algorithm;
        this.aead = backend.newRecordAead(algorithm, key);
        aad[0] = (byte) FrameCodec.PROTOCOL_VERSION;
        System.arraycopy(sessionId, 0, aad, 3, 32);
    }

    /** The algorithm this cipher runs. */
    RecordAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Replaces the key (key update, PROTOCOL.md section 8.3); the old key is wiped as far as
     * this object can. The next frame uses the new key.
     */
    void rekey(byte[] newKey) {
        if (newKey.length != RecordAlgorithm.KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes");
        }
        aead.rekey(newKey);
    }

    /** Encrypts {@code length} bytes of {@code input} into {@code output}, tag after them; in place allowed. */
    void seal(int type, int flags, long sequence, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
            throws GeneralSecurityException {
        prepare(type, flags, sequence);
        aead.seal(nonce, aad, input, inputOffset, length, output, outputOffset);
    }

    /** Authenticates and decrypts {@code length} bytes of ciphertext and tag into {@code output}. */
    void open(int type, int flags, long sequence, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
            throws GeneralSecurityException {
        prepare(type, flags, sequence);
        aead.open(nonce, aad, input, inputOffset, length, output, outputOffset);
    }

    /** Writes one frame's type, flags and sequence into the AAD, and the sequence into the nonce. */
    private void prepare(int type, int flags, long sequence) {
        aad[1] = (byte) type;
        aad[2] = (byte) flags;
        for (int i = 0; i < 8; i++) {
            byte b = (byte) (sequence >>> (56 - 8 * i));
            aad[AAD_SEQUENCE_OFFSET + i] = b;
            nonce[4 + i] = b;
        }
    }

    /** Best-effort wipe of what this object holds (a provider may keep its own copy of the key). */
    void wipe() {
        Arrays.fill(aad, (byte) 0);
        aead.destroy();
    }
}
