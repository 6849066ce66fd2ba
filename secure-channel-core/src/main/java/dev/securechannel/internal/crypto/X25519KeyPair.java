package dev.securechannel.internal.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An ephemeral X25519 key pair (RFC 7748), one per handshake.
 *
 * <p>The private key is 32 random bytes held here; key generation and agreement run on a
 * {@link CryptoBackend} ({@link CryptoBackends#auto()} unless one is given). The private key
 * is wiped by {@link #destroy()} (a JCA backend's provider may keep copies of its own); the
 * pair is not thread-safe once shared.
 */
public final class X25519KeyPair implements Destroyable {

    /** Length of keys and shared secrets. */
    public static final int KEY_LENGTH = 32;

    private final CryptoBackend backend;
    private final byte[] privateKey;
    private final byte[] publicKey;
    private volatile boolean destroyed;

    private X25519KeyPair(CryptoBackend backend, byte[] privateKey) {
        this(backend, privateKey, backend.x25519PublicKey(privateKey));
    }

    private X25519KeyPair(CryptoBackend backend, byte[] privateKey, byte[] publicKey) {
        this.backend = backend;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A fresh pair from {@code random}, on the automatically selected backend. */
    public static X25519KeyPair generate(SecureRandom random) {
        return generate(CryptoBackends.auto(), random);
    }

    /**
     * A fresh pair generated on {@code backend}: from {@code random}, or from the backend's own
     * CSPRNG where its generator takes no other (see {@link CryptoBackend#x25519GenerateKeyPair}).
     */
    public static X25519KeyPair generate(CryptoBackend backend, SecureRandom random) {
        byte[] publicKey = new byte[KEY_LENGTH];
        byte[] secret = backend.x25519GenerateKeyPair(random, publicKey);
        return new X25519KeyPair(backend, secret, publicKey);
    }

    /** A pair from a known 32-byte private scalar (known-answer tests). */
    public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
        return fromPrivateKey(CryptoBackends.auto(), privateKey);
    }

    /** A pair from a known 32-byte private scalar, computed on {@code backend}. */
    public static X25519KeyPair fromPrivateKey(CryptoBackend backend, byte[] privateKey) {
        if (privateKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes");
        }
        return new X25519KeyPair(backend, privateKey.clone());
    }

    /** The 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * X25519(own private key, peer public key).
     *
     * @return the 32-byte shared secret, or {@code null} when it is all zero (a low-order peer
     *         key: the exchange is non-contributory and must be rejected)
     */
    public byte @org.jspecify.annotations.Nullable [] agree(byte[] peerPublicKey) {
        if (destroyed) {
            throw new IllegalStateException("key pair destroyed");
        }
        if (peerPublicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 public key must be 32 bytes");
        }
        byte[] shared = new byte[KEY_LENGTH];
        if (!backend.x25519Agree(privateKey, peerPublicKey, shared)) {
            Arrays.fill(shared, (byte) 0);
            return null;
        }
        return shared;
    }

    /**
     * Computes X25519(scalar, u) with BouncyCastle's RFC 7748 code for known-answer tests;
     * returns the raw output even when it is all zero.
     */
    public static byte[] scalarMult(byte[] scalar, byte[] u) {
        byte[] out = new byte[KEY_LENGTH];
        X25519.scalarMult(scalar, 0, u, 0, out, 0);
        return out;
    }

    /** Whether every byte is zero, in time independent of where a non-zero byte is. */
    static boolean isAllZero(byte[] bytes) {
        int or = 0;
        for (byte b : bytes) {
            or |= b;
        }
        return or == 0;
    }

    @Override
    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
