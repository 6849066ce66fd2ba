package dev.securechannel.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.DestroyFailedException;

/**
 * Every primitive through JCA provider instances, never through the global provider list (so
 * a provider installed by the application cannot slip in, and Conscrypt is never installed,
 * which would change the application's TLS). Two configurations: the JDK's own providers
 * (SunJCE, SunEC, SUN) and one Conscrypt provider instance ({@link ConscryptLoader}).
 *
 * <p>X25519 keys are raw 32-byte strings in the protocol; JCA wants encoded keys, so they are
 * wrapped in the fixed PKCS#8 and X.509 prefixes of RFC 8410 (OID 1.3.101.110).
 */
final class JcaBackend implements CryptoBackend {

    private static final byte[] PKCS8_X25519_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");
    private static final byte[] X509_X25519_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final byte[] BASE_POINT = basePoint();

    private final String name;
    private final String description;
    private final Provider cipherProvider;
    private final String chaChaTransformation;
    private final ThreadLocal<KeyFactory> keyFactory;
    private final ThreadLocal<KeyAgreement> keyAgreement;
    private final ThreadLocal<KeyPairGenerator> keyPairGenerator;
    private final JcaHash hash;

    private JcaBackend(String name, String description, Provider cipherProvider, String chaChaTransformation,
                       Provider keyAgreementProvider, Provider digestProvider, Provider macProvider) {
        this.name = name;
        this.description = description;
        this.cipherProvider = cipherProvider;
        this.chaChaTransformation = chaChaTransformation;
        this.keyFactory = ThreadLocal.withInitial(() -> {
            try {
                return KeyFactory.getInstance("XDH", keyAgreementProvider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(keyAgreementProvider.getName() + " has no XDH key factory", e);
            }
        });
        this.keyPairGenerator = ThreadLocal.withInitial(() -> {
            try {
                return KeyPairGenerator.getInstance("X25519", keyAgreementProvider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(keyAgreementProvider.getName() + " has no X25519 key pair generator", e);
            }
        });
        this.keyAgreement = ThreadLocal.withInitial(() -> {
            try {
                return KeyAgreement.getInstance("XDH", keyAgreementProvider);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(keyAgreementProvider.getName() + " has no XDH key agreement", e);
            }
        });
        this.hash = new JcaHash(digestProvider, macProvider);
    }

    /** The JDK's providers: SunJCE ciphers and HMAC, SunEC XDH, SUN SHA-256. */
    static JcaBackend jdk() {
        return new JcaBackend("jdk", "jdk " + Runtime.version() + " (SunJCE, SunEC, SUN)",
                provider("SunJCE"), "ChaCha20-Poly1305", provider("SunEC"), provider("SUN"), provider("SunJCE"));
    }

    /** Everything from one provider instance that is not installed globally. */
    static JcaBackend of(String name, String description, Provider provider) {
        return new JcaBackend(name, description, provider, "ChaCha20/Poly1305/NoPadding", provider, provider, provider);
    }

    private static Provider provider(String providerName) {
        Provider provider = Security.getProvider(providerName);
        if (provider == null) {
            throw new IllegalStateException("the JDK provider " + providerName + " is not installed");
        }
        return provider;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String implementation(Operation operation) {
        return name;
    }

    @Override
    public String reason(Operation operation) {
        return description;
    }

    @Override
    public RecordAead newRecordAead(RecordAlgorithm algorithm, byte[] key) {
        boolean chaCha = algorithm == RecordAlgorithm.CHACHA20_POLY1305;
        try {
            Cipher cipher = Cipher.getInstance(chaCha ? chaChaTransformation : "AES/GCM/NoPadding", cipherProvider);
            return new Aead(cipher, chaCha, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " has no " + algorithm, e);
        }
    }

    /**
     * The provider's own generator: Conscrypt's derives the public key with BoringSSL's
     * fixed-base multiplication, about three times faster here than the variable-base
     * agreement with 9 that {@link #x25519PublicKey} needs for a given scalar (13 against 44 us).
     * The raw keys are the tails of the fixed PKCS#8 and X.509 encodings.
     */
    @Override
    public byte[] x25519GenerateKeyPair(java.security.SecureRandom random, byte[] publicKey) {
        if (publicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 public key must be 32 bytes");
        }
        KeyPairGenerator generator = keyPairGenerator.get();
        try {
            generator.initialize(java.security.spec.NamedParameterSpec.X25519, random);
        } catch (java.security.InvalidAlgorithmParameterException | UnsupportedOperationException ownRandomOnly) {
            // A generator bound to X25519 that takes no parameters draws from its own CSPRNG.
        }
        java.security.KeyPair pair = generator.generateKeyPair();
        byte[] encodedPrivate = pair.getPrivate().getEncoded();
        byte[] encodedPublic = pair.getPublic().getEncoded();
        try {
            if (encodedPrivate == null || encodedPrivate.length != PKCS8_X25519_PREFIX.length + X25519KeyPair.KEY_LENGTH
                    || !Arrays.equals(encodedPrivate, 0, PKCS8_X25519_PREFIX.length, PKCS8_X25519_PREFIX, 0, PKCS8_X25519_PREFIX.length)
                    || encodedPublic.length != X509_X25519_PREFIX.length + X25519KeyPair.KEY_LENGTH
                    || !Arrays.equals(encodedPublic, 0, X509_X25519_PREFIX.length, X509_X25519_PREFIX, 0, X509_X25519_PREFIX.length)) {
                throw new IllegalStateException(name + " encoded an X25519 key pair in an unexpected form");
            }
            System.arraycopy(encodedPublic, X509_X25519_PREFIX.length, publicKey, 0, X25519KeyPair.KEY_LENGTH);
            return Arrays.copyOfRange(encodedPrivate, PKCS8_X25519_PREFIX.length, encodedPrivate.length);
        } finally {
            if (encodedPrivate != null) {
                Arrays.fill(encodedPrivate, (byte) 0);
            }
        }
    }

    @Override
    public byte[] x25519PublicKey(byte[] privateKey) {
        byte[] publicKey = new byte[X25519KeyPair.KEY_LENGTH];
        if (!x25519Agree(privateKey, BASE_POINT, publicKey)) {
            throw new IllegalStateException("X25519 of the base point cannot be zero");
        }
        return publicKey;
    }

    @Override
    public boolean x25519Agree(byte[] privateKey, byte[] peerPublicKey, byte[] sharedSecret) {
        if (privateKey.length != X25519KeyPair.KEY_LENGTH || peerPublicKey.length != X25519KeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 keys must be 32 bytes");
        }
        KeyAgreement agreement = keyAgreement.get();
        PublicKey peer;
        byte[] encodedPrivate = concat(PKCS8_X25519_PREFIX, privateKey);
        try {
            PrivateKey own = keyFactory.get().generatePrivate(new PKCS8EncodedKeySpec(encodedPrivate));
            peer = keyFactory.get().generatePublic(new X509EncodedKeySpec(concat(X509_X25519_PREFIX, peerPublicKey)));
            agreement.init(own);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " refused a raw X25519 key", e);
        } finally {
            Arrays.fill(encodedPrivate, (byte) 0);
        }
        try {
            agreement.doPhase(peer, true);
            agreement.generateSecret(sharedSecret, 0);
        } catch (InvalidKeyException e) {
            // X25519 is defined for every 32-byte input; the JDK ("Point has small order") and
            // BoringSSL fail the agreement only when the result is all zero.
            return false;
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("shared secret buffer must be 32 bytes", e);
        }
        return !X25519KeyPair.isAllZero(sharedSecret);
    }

    @Override
    public MessageDigest sha256() {
        return hash.sha256();
    }

    @Override
    public Mac hmacSha256(byte[] key) {
        return hash.hmacSha256(key);
    }

    private static byte[] concat(byte[] prefix, byte[] key) {
        byte[] encoded = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, encoded, prefix.length, key.length);
        return encoded;
    }

    private static byte[] basePoint() {
        byte[] u = new byte[X25519KeyPair.KEY_LENGTH];
        u[0] = 9;
        return u;
    }

    @Override
    public String toString() {
        return description;
    }

    /** One JCA cipher re-initialised per frame; the key spec is kept until rekey. */
    private static final class Aead implements RecordAead {

        private final Cipher cipher;
        private final boolean chaCha;
        private SecretKeySpec key;

        Aead(Cipher cipher, boolean chaCha, byte[] key) {
            this.cipher = cipher;
            this.chaCha = chaCha;
            this.key = keySpec(key);
        }

        private SecretKeySpec keySpec(byte[] bytes) {
            byte[] copy = AeadArguments.key(bytes);
            SecretKeySpec spec = new SecretKeySpec(copy, chaCha ? "ChaCha20" : "AES");
            Arrays.fill(copy, (byte) 0);
            return spec;
        }

        @Override
        public void seal(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException {
            init(Cipher.ENCRYPT_MODE, nonce, aad);
            cipher.doFinal(input, inputOffset, length, output, outputOffset);
        }

        @Override
        public void open(byte[] nonce, byte[] aad, byte[] input, int inputOffset, int length, byte[] output, int outputOffset)
                throws GeneralSecurityException {
            init(Cipher.DECRYPT_MODE, nonce, aad);
            cipher.doFinal(input, inputOffset, length, output, outputOffset);
        }

        private void init(int mode, byte[] nonce, byte[] aad) throws GeneralSecurityException {
            AeadArguments.nonce(nonce);
            // Both spec classes copy the nonce, so a fresh one per frame is unavoidable here.
            AlgorithmParameterSpec parameters = chaCha
                    ? new IvParameterSpec(nonce) : new GCMParameterSpec(RecordAlgorithm.TAG_LENGTH * 8, nonce);
            cipher.init(mode, key, parameters);
            cipher.updateAAD(aad);
        }

        @Override
        public void rekey(byte[] newKey) {
            SecretKeySpec replacement = keySpec(newKey);
            destroy();
            key = replacement;
        }

        @Override
        public void destroy() {
            try {
                key.destroy();
            } catch (DestroyFailedException ignored) {
                // SecretKeySpec cannot be destroyed on JDK 17; the GC reclaims it with the session.
            }
        }
    }
}
