package dev.securechannel.crypto;

import dev.securechannel.protocol.FrameCodec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What sealing and opening share: one JDK cipher per direction (ChaCha20-Poly1305, or AES-256-GCM
 * when negotiated), the 12-byte
 * nonce {@code 0^4 | u64 seq} and the 43-byte AAD {@code version | type | flags | session_id | u64 seq}
 * (PROTOCOL.md section 4), both kept in reusable arrays.
 */
final class RecordCipher {

    /** Tag length of both AEADs. */
    static final int TAG_LENGTH = RecordAlgorithm.TAG_LENGTH;
    static final String TRANSFORMATION = "ChaCha20-Poly1305";
    static final String AES_GCM_TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int AAD_LENGTH = 43;
    private static final int AAD_SEQUENCE_OFFSET = 35;

    final Cipher cipher;
    private SecretKeySpec key;
    private final RecordAlgorithm algorithm;
    private final byte[] nonce = new byte[12];
    final byte[] aad = new byte[AAD_LENGTH];

    RecordCipher(RecordAlgorithm algorithm, byte[] key, byte[] sessionId) {
        if (key.length != 32 || sessionId.length != 32) {
            throw new IllegalArgumentException("key and session id must be 32 bytes");
        }
        this.algorithm = algorithm;
        boolean chacha = algorithm == RecordAlgorithm.CHACHA20_POLY1305;
        this.key = keySpec(key);
        try {
            this.cipher = Cipher.getInstance(chacha ? TRANSFORMATION : AES_GCM_TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required (JDK 11+)", e);
        }
        aad[0] = (byte) FrameCodec.PROTOCOL_VERSION;
        System.arraycopy(sessionId, 0, aad, 3, 32);
    }

    /** The algorithm this cipher runs. */
    RecordAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Replaces the key (key update, PROTOCOL.md section 8.3); the old key is wiped as far as
     * this object can. The next {@link #init} uses the new key.
     */
    void rekey(byte[] newKey) {
        if (newKey.length != RecordAlgorithm.KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 32 bytes");
        }
        destroyKey();
        this.key = keySpec(newKey);
    }

    private SecretKeySpec keySpec(byte[] bytes) {
        return new SecretKeySpec(bytes, algorithm == RecordAlgorithm.CHACHA20_POLY1305 ? "ChaCha20" : "AES");
    }

    /** Prepares nonce and AAD for one frame and initialises the cipher. */
    void init(int mode, int type, int flags, long sequence) throws GeneralSecurityException {
        aad[1] = (byte) type;
        aad[2] = (byte) flags;
        for (int i = 0; i < 8; i++) {
            byte b = (byte) (sequence >>> (56 - 8 * i));
            aad[AAD_SEQUENCE_OFFSET + i] = b;
            nonce[4 + i] = b;
        }
        AlgorithmParameterSpec parameters = algorithm == RecordAlgorithm.CHACHA20_POLY1305
                ? new IvParameterSpec(nonce) : new GCMParameterSpec(TAG_LENGTH * 8, nonce);
        cipher.init(mode, key, parameters);
        cipher.updateAAD(aad);
    }

    /** Best-effort wipe of what this object holds (the JDK keeps its own copy of the key). */
    void wipe() {
        Arrays.fill(aad, (byte) 0);
        destroyKey();
    }

    private void destroyKey() {
        try {
            key.destroy();
        } catch (javax.security.auth.DestroyFailedException ignored) {
            // SecretKeySpec cannot be destroyed on JDK 17; the GC reclaims it with the session.
        }
    }
}
