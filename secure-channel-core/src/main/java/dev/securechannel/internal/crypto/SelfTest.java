package dev.securechannel.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;

/**
 * The power-on known-answer test a backend passes, per operation, before it is used: a wrong
 * answer from a provider (a broken native build, an unexpected provider behind a name) must
 * stop the backend, not corrupt sessions. Constants are copied from the RFCs named below.
 */
final class SelfTest {

    private static final HexFormat HEX = HexFormat.of();

    // RFC 8439 section 2.8.2.
    private static final byte[] CHACHA_KEY = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] CHACHA_NONCE = hex("070000004041424344454647");
    private static final byte[] CHACHA_AAD = hex("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] CHACHA_PLAINTEXT = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHACHA_SEALED = hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58"
            + "fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");

    // The GCM specification's test case 16 (McGrew and Viega; AES-256, 96-bit IV, AAD).
    private static final byte[] GCM_KEY = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    private static final byte[] GCM_NONCE = hex("cafebabefacedbaddecaf888");
    private static final byte[] GCM_AAD = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] GCM_PLAINTEXT = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static final byte[] GCM_SEALED = hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");

    // RFC 7748 section 6.1.
    private static final byte[] ALICE_PRIVATE = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PUBLIC = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    private static final byte[] BOB_PUBLIC = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    private static final byte[] SHARED = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    // FIPS 180-2 appendix B.1, and RFC 5869 appendix A.1 (PRK = HMAC-SHA-256(salt, IKM)).
    private static final byte[] SHA256_ABC = hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    private static final byte[] HKDF_SALT = hex("000102030405060708090a0b0c");
    private static final byte[] HKDF_IKM = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    private static final byte[] HKDF_PRK = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");

    private SelfTest() {
    }

    /**
     * Runs the known answers of {@code operation} on {@code backend}.
     *
     * @throws IllegalStateException naming the check that failed
     */
    static void check(CryptoBackend backend, CryptoBackend.Operation operation) {
        try {
            switch (operation) {
                case CHACHA20_POLY1305 -> aead(backend, RecordAlgorithm.CHACHA20_POLY1305, "RFC 8439 2.8.2", CHACHA_KEY,
                        CHACHA_NONCE, CHACHA_AAD, CHACHA_PLAINTEXT, CHACHA_SEALED);
                case AES_256_GCM -> aead(backend, RecordAlgorithm.AES_256_GCM, "GCM test case 16", GCM_KEY, GCM_NONCE, GCM_AAD,
                        GCM_PLAINTEXT, GCM_SEALED);
                case X25519 -> x25519(backend);
                case HASH -> hash(backend);
            }
        } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
            throw new IllegalStateException(backend.name() + " " + label(operation) + " self-test failed: " + e, e);
        }
    }

    private static void aead(CryptoBackend backend, RecordAlgorithm algorithm, String source, byte[] key, byte[] nonce,
                             byte[] aad, byte[] plaintext, byte[] expected) throws GeneralSecurityException {
        // One AEAD per step, as in the record layer: the JDK's ChaCha20-Poly1305 refuses to be
        // initialised twice in a row with the same key and nonce, in either mode.
        byte[] sealed = new byte[plaintext.length + RecordAlgorithm.TAG_LENGTH];
        backend.newRecordAead(algorithm, key).seal(nonce, aad, plaintext, 0, plaintext.length, sealed, 0);
        require(MessageDigest.isEqual(sealed, expected), algorithm + " " + source + " sealed to the wrong bytes");
        byte[] opened = new byte[plaintext.length];
        backend.newRecordAead(algorithm, key).open(nonce, aad, expected, 0, expected.length, opened, 0);
        require(MessageDigest.isEqual(opened, plaintext), algorithm + " " + source + " opened to the wrong bytes");
        byte[] forged = expected.clone();
        forged[forged.length - 1] ^= 1;
        try {
            backend.newRecordAead(algorithm, key).open(nonce, aad, forged, 0, forged.length, opened, 0);
            throw new IllegalStateException(algorithm + " " + source + " opened a forged tag");
        } catch (AEADBadTagException expectedRejection) {
            // The forgery was refused, as it must be.
        }
    }

    private static void x25519(CryptoBackend backend) {
        require(MessageDigest.isEqual(backend.x25519PublicKey(ALICE_PRIVATE), ALICE_PUBLIC), "RFC 7748 6.1 public key is wrong");
        byte[] shared = new byte[X25519KeyPair.KEY_LENGTH];
        require(backend.x25519Agree(ALICE_PRIVATE, BOB_PUBLIC, shared) && MessageDigest.isEqual(shared, SHARED),
                "RFC 7748 6.1 shared secret is wrong");
        // A generated pair is consistent: its public key is X25519(private, 9).
        byte[] generatedPublic = new byte[X25519KeyPair.KEY_LENGTH];
        byte[] generatedPrivate = backend.x25519GenerateKeyPair(new java.security.SecureRandom(), generatedPublic);
        require(MessageDigest.isEqual(backend.x25519PublicKey(generatedPrivate), generatedPublic), "a generated key pair is inconsistent");
        java.util.Arrays.fill(generatedPrivate, (byte) 0);
        // u = 0 has order 1: the result is all zero and must be reported, not returned.
        require(!backend.x25519Agree(ALICE_PRIVATE, new byte[X25519KeyPair.KEY_LENGTH], shared), "an all-zero shared secret went undetected");
    }

    private static void hash(CryptoBackend backend) {
        require(MessageDigest.isEqual(backend.sha256().digest("abc".getBytes(StandardCharsets.US_ASCII)), SHA256_ABC),
                "FIPS 180-2 SHA-256(\"abc\") is wrong");
        require(MessageDigest.isEqual(backend.hmacSha256(HKDF_SALT).doFinal(HKDF_IKM), HKDF_PRK), "RFC 5869 A.1 PRK is wrong");
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new IllegalStateException(failure);
        }
    }

    static String label(CryptoBackend.Operation operation) {
        return operation.label();
    }

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }
}
