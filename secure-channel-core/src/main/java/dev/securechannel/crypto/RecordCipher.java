package dev.securechannel.crypto;

import dev.securechannel.protocol.FrameCodec;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What sealing and opening share: one JDK ChaCha20-Poly1305 cipher per direction, the 12-byte
 * nonce {@code 0^4 | u64 seq} and the 43-byte AAD {@code version | type | flags | session_id | u64 seq}
 * (PROTOCOL.md section 4), both kept in reusable arrays.
 */
final class RecordCipher {

    /** Poly1305 tag length. */
    static final int TAG_LENGTH = 16;
    static final String TRANSFORMATION = "ChaCha20-Poly1305";
    private static final int AAD_LENGTH = 43;
    private static final int AAD_SEQUENCE_OFFSET = 35;

    final Cipher cipher;
    final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    final byte[] aad = new byte[AAD_LENGTH];

    RecordCipher(byte[] key, byte[] sessionId) {
        if (key.length != 32 || sessionId.length != 32) {
            throw new IllegalArgumentException("key and session id must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "ChaCha20");
        try {
            this.cipher = Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is required (JDK 11+)", e);
        }
        aad[0] = (byte) FrameCodec.PROTOCOL_VERSION;
        System.arraycopy(sessionId, 0, aad, 3, 32);
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
        cipher.init(mode, key, new IvParameterSpec(nonce));
        cipher.updateAAD(aad);
    }

    /** Best-effort wipe of what this object holds (the JDK keeps its own copy of the key). */
    void wipe() {
        Arrays.fill(aad, (byte) 0);
        try {
            key.destroy();
        } catch (javax.security.auth.DestroyFailedException ignored) {
            // SecretKeySpec cannot be destroyed on JDK 17; the GC reclaims it with the session.
        }
    }
}
