package dev.securechannel.internal.crypto;

import javax.crypto.Mac;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), built on a backend's HMAC because JDK 17 has no HKDF.
 *
 * <p>Stateless and thread-safe; each call uses the backend's per-thread {@link Mac}. The
 * overloads without a backend use {@link CryptoBackends#auto()}.
 */
public final class Hkdf {

    /** SHA-256 output length. */
    public static final int HASH_LENGTH = 32;
    /** The longest output RFC 5869 allows: 255 blocks. */
    public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

    private Hkdf() {
    }

    /** HKDF-Extract: PRK = HMAC(salt, ikm); an empty salt means 32 zero bytes. */
    public static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
        return extract(CryptoBackends.auto(), salt, inputKeyMaterial);
    }

    /** HKDF-Extract on {@code backend}. */
    public static byte[] extract(CryptoBackend backend, byte[] salt, byte[] inputKeyMaterial) {
        byte[] key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
        return backend.hmacSha256(key).doFinal(inputKeyMaterial);
    }

    /**
     * HKDF-Expand: {@code length} bytes of OKM from a pseudo-random key and context info.
     *
     * @throws IllegalArgumentException when {@code length} is negative or over 255 x 32
     */
    public static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) {
        return expand(CryptoBackends.auto(), pseudoRandomKey, info, length);
    }

    /** HKDF-Expand on {@code backend}. */
    public static byte[] expand(CryptoBackend backend, byte[] pseudoRandomKey, byte[] info, int length) {
        if (length < 0 || length > MAX_OUTPUT_LENGTH) {
            throw new IllegalArgumentException("HKDF output length must be within 0.." + MAX_OUTPUT_LENGTH + ": " + length);
        }
        // An empty PRK is refused by the key spec; it is not a valid input for expand anyway.
        Mac mac = backend.hmacSha256(pseudoRandomKey);
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
        return deriveKey(CryptoBackends.auto(), salt, inputKeyMaterial, info, length);
    }

    /** Extract then expand on {@code backend}. */
    public static byte[] deriveKey(CryptoBackend backend, byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
        return expand(backend, extract(backend, salt, inputKeyMaterial), info, length);
    }
}
