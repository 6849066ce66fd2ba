package dev.securechannel.session;

import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.protocol.FrameCodec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent implementation of PROTOCOL.md section 4 sealing, straight from the text
 * (nonce {@code 0^4 | u64 seq}, AAD {@code version | type | flags | session_id | u64 seq}),
 * that lets a test forge an <em>authentic</em> frame with any type, flags and sequence: what
 * only the real peer, holding the key, could send.
 */
final class ReferenceSealer {

    private final byte[] key;
    private final byte[] sessionId;

    ReferenceSealer(byte[] key, byte[] sessionId) {
        this.key = key.clone();
        this.sessionId = sessionId.clone();
    }

    /** A whole frame whose payload is ChaCha20-Poly1305({@code plaintext}) under this header. */
    byte[] seal(int type, int flags, long sequence, byte[] plaintext) {
        byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(sequence).array();
        byte[] aad = ByteBuffer.allocate(43)
                .put((byte) FrameCodec.PROTOCOL_VERSION).put((byte) type).put((byte) flags)
                .put(sessionId).putLong(sequence).array();
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            cipher.updateAAD(aad);
            return WireFrames.frame(type, flags, sequence, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
