package dev.securechannel.internal.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * BouncyCastle, pure Java: its lightweight AEAD classes (ChaCha20-Poly1305, GCM over AES),
 * its constant-time RFC 7748 X25519, and SHA-256 / HMAC-SHA-256 from a provider instance that
 * is never installed globally.
 */
final class BouncyCastleBackend implements CryptoBackend {

    private final String description;
    private final JcaHash hash;

    BouncyCastleBackend() {
        BouncyCastleProvider provider = new BouncyCastleProvider();
        this.description = "bouncycastle " + provider.getVersionStr();
        this.hash = new JcaHash(provider, provider);
    }

    @Override
    public String name() {
        return "bouncycastle";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String implementation(Operation operation) {
        return name();
    }

    @Override
    public String reason(Operation operation) {
        return description;
    }

    @Override
    public RecordAead newRecordAead(RecordAlgorithm algorithm, byte[] key) {
        AEADCipher cipher = algorithm == RecordAlgorithm.CHACHA20_POLY1305
                ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        return new Aead(cipher, key);
    }

    @Override
    public byte[] x25519GenerateKeyPair(java.security.SecureRandom random, byte[] publicKey) {
        requireKeyLength(publicKey);
        byte[] privateKey = new byte[X25519KeyPair.KEY_LENGTH];
        X25519.generatePrivateKey(random, privateKey);
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return privateKey;
    }

    @Override
    public byte[] x25519PublicKey(byte[] privateKey) {
        requireKeyLength(privateKey);
        byte[] publicKey = new byte[X25519KeyPair.KEY_LENGTH];
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    @Override
    public boolean x25519Agree(byte[] privateKey, byte[] peerPublicKey, byte[] sharedSecret) {
        requireKeyLength(privateKey);
        requireKeyLength(peerPublicKey);
        // calculateAgreement returns false exactly when the result is all zero.
        return X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, sharedSecret, 0);
    }

    private static void requireKeyLength(byte[] key) {
        if (key.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 keys must be 32 bytes");
        }
    }

    @Override
    public MessageDigest sha256() {
        return hash.sha256();
    }

    @Override
    public Mac hmacSha256(byte[] key) {
        return hash.hmacSha256(key);
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * One lightweight cipher; the key goes in only on the first init after a (re)key, so the
     * AES key schedule and GHASH tables are not rebuilt per frame.
     */
    private static final class Aead implements RecordAead {

        private static final int TAG_BITS = RecordAlgorithm.TAG_LENGTH * 8;

        private final AEADCipher cipher;
        private KeyParameter key;
        private boolean keyPending = true;

        Aead(AEADCipher cipher, byte[] key) {
            this.cipher = cipher;
            this.key = keyParameter(key);
        }

        private static KeyParameter keyParameter(byte[] bytes) {
            byte[] copy = AeadArguments.key(bytes);
            KeyParameter parameter = new KeyParameter(copy);
            Arrays.fill(copy, (byte) 0);
            return parameter;
        }

        @Override
        public void seal(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int length, byte[] output, int outputOffset) {
            init(true, nonce, aad);
            int written = cipher.processBytes(input, inputOffset, length, output, outputOffset);
            try {
                cipher.doFinal(output, outputOffset + written);
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("encryption cannot fail authentication", e);
            }
        }

        @Override
        public void open(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
                throws AEADBadTagException {
            init(false, nonce, aad);
            try {
                int written = cipher.processBytes(input, inputOffset, length, output, outputOffset);
                cipher.doFinal(output, outputOffset + written);
            } catch (InvalidCipherTextException e) {
                // The lightweight classes decrypt as they go: wipe what was written before the tag failed.
                int plaintextLength = Math.max(0, length - RecordAlgorithm.TAG_LENGTH);
                Arrays.fill(output, outputOffset, Math.min(output.length, outputOffset + plaintextLength), (byte) 0);
                throw new AEADBadTagException(e.getMessage());
            }
        }

        private void init(boolean forEncryption, byte[] nonce, byte[] aad) {
            AeadArguments.nonce(nonce);
            // A null key keeps the one already set up. The nonce is copied by init, so passing
            // the reusable array is safe.
            cipher.init(forEncryption, new AEADParameters(keyPending ? key : null, TAG_BITS, nonce));
            keyPending = false;
            cipher.processAADBytes(aad, 0, aad.length);
        }

        @Override
        public void rekey(byte[] newKey) {
            KeyParameter replacement = keyParameter(newKey);
            destroy();
            key = replacement;
            keyPending = true;
        }

        @Override
        public void destroy() {
            // KeyParameter hands out its own array, so this wipes the cipher's input copy of the key.
            Arrays.fill(key.getKey(), (byte) 0);
        }
    }
}
