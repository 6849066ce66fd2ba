package dev.securechannel.internal.crypto;

import java.security.MessageDigest;

/**
 * SHA-256 on the automatically selected backend ({@link CryptoBackends#auto()}), with the
 * backend's per-thread digest so hashing on the handshake path does not look up providers.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** SHA-256 of {@code data}. */
    public static byte[] hash(byte[] data) {
        return CryptoBackends.auto().sha256().digest(data);
    }

    /** A digest that is reset and ready; owned by the calling thread until its next call here. */
    static MessageDigest digest() {
        return CryptoBackends.auto().sha256();
    }
}
