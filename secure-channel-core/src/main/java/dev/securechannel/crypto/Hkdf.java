package dev.securechannel.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), built on the JDK's HMAC because JDK 17 has no HKDF.
 *
 * <p>Stateless and thread-safe; each call takes a {@link Mac} from a per-thread cache.
 */
public final class Hkdf {

    /** SHA-256 output length. */
    public static final int HASH_LENGTH = 32;
    /** The longest output RFC 5869 allows: 255 blocks. */
    public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(Hkdf::newMac);

    private Hkdf() {
    }

    /** HKDF-Extract: PRK = HMAC(salt, ikm); an empty salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        byte[] key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        Mac mac = keyed(key);
        return mac.doFinal(inputKeyMaterial);
    }

    /**
     * HKDF-Expand: {@code length} bytes of OKM from a pseudo-random key and context info.
     *
     * @throws IllegalArgumentException when {@code length} is negative or over 255 x 32
     */
    public static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) {
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new IllegalArgumentException("HKDF output length must be within 0.." + MAX_OUTPUT_LENGTH + ": " + length);
        }
        Mac mac = keyed(pseudoRandomKey);
        byte[] output = new byte[length];
        byte[] block = new byte[0];
        int written = 0;
        for (int counter = 1; written < length; counter++) {
            mac.update(block);
            mac.update(info);
            mac.update((byte) counter);
            block = mac.doFinal();
            int take = Math.min(block.length, length - written);
            System.arraycopy(block, 0, output, written, take);
            written += take;
        }
        return output;
    }

    /** Extract then expand. */
    public static byte[] deriveKey(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
        return expand(extract(salt, inputKeyMaterial), info, length);
    }

    private static Mac keyed(byte[] key) {
        Mac mac = MAC.get();
        try {
            // HMAC accepts keys of any length, including empty ones, through SecretKeySpec only
            // when non-empty; an empty PRK is not a valid input for expand anyway.
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid HMAC key", e);
        }
        return mac;
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(HMAC_SHA256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }
}
