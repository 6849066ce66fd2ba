package dev.securechannel.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.Provider;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA-256 from one JCA provider instance, one digest and one MAC per thread
 * so that hashing on the handshake path does not look providers up.
 */
final class JcaHash {

    private static final String HMAC_SHA256 = "HmacSHA256";

    private final ThreadLocal<MessageDigest> digest;
    private final ThreadLocal<Mac> mac;

    JcaHash(Provider digestProvider, Provider macProvider) {
        this.digest = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("SHA-256", digestProvider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(digestProvider.getName() + " has no SHA-256", e);
            }
        });
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                return Mac.getInstance(HMAC_SHA256, macProvider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(macProvider.getName() + " has no HmacSHA256", e);
            }
        });
    }

    MessageDigest sha256() {
        MessageDigest sha256 = digest.get();
        sha256.reset();
        return sha256;
    }

    Mac hmacSha256(byte[] key) {
        Mac hmac = mac.get();
        try {
            // SecretKeySpec refuses an empty key; HKDF never passes one (an empty salt becomes 32 zero bytes).
            hmac.init(new SecretKeySpec(key, HMAC_SHA256));
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid HMAC key", e);
        }
        return hmac;
    }
}
