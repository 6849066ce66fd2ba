package dev.securechannel.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The handshake transcript hash of PROTOCOL.md section 3: SHA-256 over labelled items
 * {@code u8 len(label) | label | u16 len(value) | value}. Stateless and thread-safe; the
 * overload without a backend uses {@link CryptoBackends#auto()}.
 */
public final class Transcript {

    private Transcript() {
    }

    /**
     * The transcript hash for protocol version 4.
     *
     * @param initiatorDocumentHash SHA-256 of the initiator's attestation document
     * @param responderDocumentHash SHA-256 of the responder's attestation document
     * @param initiatorPublicKey    the initiator's X25519 public key
     * @param responderPublicKey    the responder's X25519 public key
     * @param initiatorNonce        the initiator's 32-byte nonce
     * @param responderNonce        the responder's 32-byte nonce
     * @param protocolVersion       the protocol version byte (4)
     */
    public static byte[] hash(byte[] initiatorDocumentHash, byte[] responderDocumentHash,
                              byte[] initiatorPublicKey, byte[] responderPublicKey,
                              byte[] initiatorNonce, byte[] responderNonce, int protocolVersion) {
        return hash(CryptoBackends.auto(), initiatorDocumentHash, responderDocumentHash, initiatorPublicKey,
                responderPublicKey, initiatorNonce, responderNonce, protocolVersion);
    }

    /** As {@link #hash(byte[], byte[], byte[], byte[], byte[], byte[], int)}, hashed on {@code backend}. */
    public static byte[] hash(CryptoBackend backend, byte[] initiatorDocumentHash, byte[] responderDocumentHash,
                              byte[] initiatorPublicKey, byte[] responderPublicKey,
                              byte[] initiatorNonce, byte[] responderNonce, int protocolVersion) {
        boolean initiatorLow = Arrays.compareUnsigned(initiatorPublicKey, responderPublicKey) <= 0;
        byte[] low = initiatorLow ? initiatorPublicKey : responderPublicKey;
        byte[] high = initiatorLow ? responderPublicKey : initiatorPublicKey;
        byte[] combined = new byte[initiatorNonce.length];
        for (int i = 0; i < combined.length; i++) {
            combined[i] = (byte) (initiatorNonce[i] ^ responderNonce[i]);
        }
        MessageDigest digest = backend.sha256();
        item(digest, "init-attestation-hash", initiatorDocumentHash);
        item(digest, "resp-attestation-hash", responderDocumentHash);
        item(digest, "pk-low", low);
        item(digest, "pk-high", high);
        item(digest, "combined-nonce", combined);
        item(digest, "protocol-version", new byte[] {(byte) protocolVersion});
        return digest.digest();
    }

    private static void item(MessageDigest digest, String label, byte[] value) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        digest.update((byte) labelBytes.length);
        digest.update(labelBytes);
        digest.update((byte) (value.length >>> 8));
        digest.update((byte) value.length);
        digest.update(value);
    }
}
