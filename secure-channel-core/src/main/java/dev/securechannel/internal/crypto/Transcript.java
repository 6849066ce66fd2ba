package dev.securechannel.internal.crypto;

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
                responderPublicKey, initiatorNonce, responderNonce, protocolVersion, 0, 0);
    }

    /** As {@link #hash(byte[], byte[], byte[], byte[], byte[], byte[], int)}, hashed on {@code backend}. */
    public static byte[] hash(CryptoBackend backend, byte[] initiatorDocumentHash, byte[] responderDocumentHash,
                              byte[] initiatorPublicKey, byte[] responderPublicKey,
                              byte[] initiatorNonce, byte[] responderNonce, int protocolVersion) {
        return hash(backend, initiatorDocumentHash, responderDocumentHash, initiatorPublicKey, responderPublicKey,
                initiatorNonce, responderNonce, protocolVersion, 0, 0);
    }

    /**
     * The transcript hash with the extension bits of both hellos (PROTOCOL.md section 8.1).
     * When the responder's bits (the extensions in use) are 0 this is exactly the base
     * transcript; otherwise one more item, {@code "extensions"}, binds both bytes as sent, so a
     * relay that changes either makes the confirmation fail.
     *
     * @param initiatorExtensions {@code flags(hello 1) & 0xF0} as the initiator sent it
     * @param responderExtensions {@code flags(hello 2) & 0xF0} as the responder sent it
     */
    public static byte[] hash(byte[] initiatorDocumentHash, byte[] responderDocumentHash,
                              byte[] initiatorPublicKey, byte[] responderPublicKey,
                              byte[] initiatorNonce, byte[] responderNonce, int protocolVersion,
                              int initiatorExtensions, int responderExtensions) {
        return hash(CryptoBackends.auto(), initiatorDocumentHash, responderDocumentHash, initiatorPublicKey,
                responderPublicKey, initiatorNonce, responderNonce, protocolVersion, initiatorExtensions, responderExtensions);
    }

    /** As {@link #hash(byte[], byte[], byte[], byte[], byte[], byte[], int, int, int)}, hashed on {@code backend}. */
    public static byte[] hash(CryptoBackend backend, byte[] initiatorDocumentHash, byte[] responderDocumentHash,
                              byte[] initiatorPublicKey, byte[] responderPublicKey,
                              byte[] initiatorNonce, byte[] responderNonce, int protocolVersion,
                              int initiatorExtensions, int responderExtensions) {
        MessageDigest digest = backend.sha256();
        item(digest, "init-attestation-hash", initiatorDocumentHash);
        item(digest, "resp-attestation-hash", responderDocumentHash);
        keysAndVersion(digest, initiatorPublicKey, responderPublicKey, initiatorNonce, responderNonce, protocolVersion);
        if (responderExtensions != 0) {
            item(digest, "extensions", new byte[] {(byte) initiatorExtensions, (byte) responderExtensions});
        }
        return digest.digest();
    }

    /**
     * The transcript hash of a resumed handshake (PROTOCOL.md 8.4): the ticket's hash in place of
     * both attestation hashes, then the same items as a full handshake, the extensions always
     * (resumption is one of them).
     *
     * @param ticket the ticket as the initiator's hello carried it
     */
    public static byte[] resumedHash(CryptoBackend backend, byte[] ticket, byte[] initiatorPublicKey, byte[] responderPublicKey,
                                     byte[] initiatorNonce, byte[] responderNonce, int protocolVersion,
                                     int initiatorExtensions, int responderExtensions) {
        MessageDigest digest = backend.sha256();
        item(digest, "ticket-hash", backend.sha256().digest(ticket));
        keysAndVersion(digest, initiatorPublicKey, responderPublicKey, initiatorNonce, responderNonce, protocolVersion);
        item(digest, "extensions", new byte[] {(byte) initiatorExtensions, (byte) responderExtensions});
        return digest.digest();
    }

    private static void keysAndVersion(MessageDigest digest, byte[] initiatorPublicKey, byte[] responderPublicKey,
                                       byte[] initiatorNonce, byte[] responderNonce, int protocolVersion) {
        boolean initiatorLow = Arrays.compareUnsigned(initiatorPublicKey, responderPublicKey) <= 0;
        byte[] low = initiatorLow ? initiatorPublicKey : responderPublicKey;
        byte[] high = initiatorLow ? responderPublicKey : initiatorPublicKey;
        byte[] combined = new byte[initiatorNonce.length];
        for (int i = 0; i < combined.length; i++) {
            combined[i] = (byte) (initiatorNonce[i] ^ responderNonce[i]);
        }
        item(digest, "pk-low", low);
        item(digest, "pk-high", high);
        item(digest, "combined-nonce", combined);
        item(digest, "protocol-version", new byte[] {(byte) protocolVersion});
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
