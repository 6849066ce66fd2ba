package dev.securechannel.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The primitives the protocol needs, from one provider or a mix of them: the record AEAD,
 * X25519, SHA-256 and HMAC-SHA-256. Obtain one from {@link CryptoBackends}; every instance
 * handed out has passed a known-answer self-test. Instances are thread-safe; the
 * {@link RecordAead}s they create are not.
 *
 * <p>Sealed: the implementations live in this package (JDK providers, BouncyCastle's
 * lightweight classes, Conscrypt's provider instance, and the per-operation selection).
 */
public sealed interface CryptoBackend permits JcaBackend, BouncyCastleBackend, SelectedBackend {

    /** The operations a backend covers; each may come from a different implementation. */
    enum Operation {
        /** The base protocol's record AEAD. */
        CHACHA20_POLY1305,
        /** The record AEAD of extension 0x10 (PROTOCOL.md section 8.2). */
        AES_256_GCM,
        /** X25519 key generation and agreement. */
        X25519,
        /** SHA-256 and HMAC-SHA-256 (transcript, HKDF). */
        HASH;

        /** The operation that runs {@code algorithm}. */
        public static Operation of(RecordAlgorithm algorithm) {
            return algorithm == RecordAlgorithm.AES_256_GCM ? AES_256_GCM : CHACHA20_POLY1305;
        }

        /** The name used in descriptions and endpoints: {@code chacha20-poly1305}, {@code aes-256-gcm}, {@code x25519}, {@code hash}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The setting or implementation name: {@code auto}, {@code conscrypt}, {@code jdk} or {@code bouncycastle}. */
    String name();

    /**
     * One line saying what runs per operation, e.g. {@code conscrypt 2.9.0 (BoringSSL):
     * chacha20-poly1305=conscrypt aes-256-gcm=conscrypt x25519=conscrypt hash=jdk}.
     */
    String description();

    /** The implementation that runs {@code operation}: {@code conscrypt}, {@code jdk} or {@code bouncycastle}. */
    String implementation(Operation operation);

    /** Why that implementation runs {@code operation}. */
    String reason(Operation operation);

    /**
     * A record AEAD for one direction, keyed with a copy of {@code key}.
     *
     * @throws IllegalArgumentException when the key is not 32 bytes
     */
    RecordAead newRecordAead(RecordAlgorithm algorithm, byte[] key);

    /**
     * A fresh X25519 key pair: returns the 32-byte private key and writes its public key into
     * {@code publicKey} (32 bytes). The private key comes from {@code random}, or from the
     * implementation's own CSPRNG where its generator takes no other (Conscrypt: BoringSSL's).
     */
    byte[] x25519GenerateKeyPair(java.security.SecureRandom random, byte[] publicKey);

    /** X25519(privateKey, 9): the public key of a 32-byte private scalar. */
    byte[] x25519PublicKey(byte[] privateKey);

    /**
     * X25519(privateKey, peerPublicKey) into {@code sharedSecret} (32 bytes).
     *
     * @return {@code false} when the result is all zero (a low-order peer key), and the
     *         contents of {@code sharedSecret} are then unspecified
     */
    boolean x25519Agree(byte[] privateKey, byte[] peerPublicKey, byte[] sharedSecret);

    /** A reset SHA-256 digest owned by the calling thread until its next call here. */
    MessageDigest sha256();

    /** An HMAC-SHA-256 keyed with {@code key}, owned by the calling thread until its next call here. */
    Mac hmacSha256(byte[] key);

    /**
     * One direction's AEAD with its key: ChaCha20-Poly1305 or AES-256-GCM, 12-byte nonce,
     * 16-byte tag appended. Input and output may be the same range of one array (in place).
     * Not thread-safe.
     */
    interface RecordAead {

        /**
         * Encrypts {@code length} bytes of {@code input} into {@code output}, tag after them.
         *
         * @throws IllegalArgumentException when the nonce is not 12 bytes
         */
        void seal(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException;

        /**
         * Authenticates and decrypts {@code length} bytes (ciphertext and tag) of {@code input}
         * into {@code output}.
         *
         * @throws javax.crypto.AEADBadTagException when authentication fails
         * @throws IllegalArgumentException         when the nonce is not 12 bytes
         */
        void open(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException;

        /** Replaces the key; the old one is wiped as far as this object can. */
        void rekey(byte[] key);

        /** Wipes what this object holds of the key (providers may keep their own copies). */
        void destroy();
    }
}
