package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of Wycheproof {@code chacha20_poly1305_test.json} against the JDK's own
 * {@code ChaCha20-Poly1305} cipher, which is what the record layer ({@link RecordCipher}) uses.
 *
 * <p>In the 96-bit nonce group (the only nonce size of RFC 8439 and of our protocol), a valid
 * case must encrypt to exactly {@code ct || tag} and decrypt back to {@code msg}, and an invalid
 * case (a modified tag) must fail to decrypt with {@link AEADBadTagException}. Every other nonce
 * size must be refused by the JDK when the cipher is initialised. Each case gets a fresh
 * {@link Cipher}, because the JDK refuses to re-initialise one with the same key and nonce.
 */
class WycheproofChaCha20Poly1305Test {

    private static final Wycheproof.VectorFile FILE = Wycheproof.load("chacha20_poly1305_test.json");
    private static final int TAG_BYTES = 16;

    static Stream<Wycheproof.Case> validCases() {
        return FILE.cases(c -> hasStandardNonce(c) && c.isValid());
    }

    static Stream<Wycheproof.Case> invalidCases() {
        return FILE.cases(c -> hasStandardNonce(c) && c.isInvalid());
    }

    static Stream<Wycheproof.Case> otherNonceSizeCases() {
        return FILE.cases(c -> !hasStandardNonce(c));
    }

    private static boolean hasStandardNonce(Wycheproof.Case c) {
        return c.groupInteger("ivSize") == 96;
    }

    @Test
    void everyCaseOfTheFileIsCoveredByExactlyOnePartition() {
        assertThat(FILE.algorithm()).isEqualTo("CHACHA20-POLY1305");
        assertThat(FILE.cases()).hasSize(FILE.numberOfTests()).hasSize(325);
        long valid = validCases().count();
        long invalid = invalidCases().count();
        long otherNonce = otherNonceSizeCases().count();
        // PROVENANCE.md: 325 tests, 316 of them in the 96-bit group; 256 valid, 69 invalid overall.
        assertThat(valid).isEqualTo(256);
        assertThat(invalid).isEqualTo(60);
        assertThat(otherNonce).isEqualTo(9);
        assertThat(valid + invalid + otherNonce).isEqualTo(FILE.numberOfTests());
        assertThat(otherNonceSizeCases()).allMatch(c -> c.isInvalid() && c.hasFlag("InvalidNonceSize"));
        assertThat(FILE.cases()).noneMatch(Wycheproof.Case::isAcceptable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validCaseEncryptsToTheListedCiphertextAndTag(Wycheproof.Case c) throws GeneralSecurityException {
        Cipher cipher = initialised(Cipher.ENCRYPT_MODE, c);

        byte[] sealed = cipher.doFinal(c.bytes("msg"));

        assertThat(Wycheproof.hex(sealed)).isEqualTo(c.string("ct") + c.string("tag"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validCaseDecryptsToTheListedMessage(Wycheproof.Case c) throws GeneralSecurityException {
        Cipher cipher = initialised(Cipher.DECRYPT_MODE, c);

        byte[] opened = cipher.doFinal(ciphertextAndTag(c));

        assertThat(Wycheproof.hex(opened)).isEqualTo(c.string("msg"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidCaseFailsToDecrypt(Wycheproof.Case c) throws GeneralSecurityException {
        Cipher cipher = initialised(Cipher.DECRYPT_MODE, c);
        byte[] input = ciphertextAndTag(c);

        assertThatThrownBy(() -> cipher.doFinal(input)).isInstanceOf(AEADBadTagException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherNonceSizeCases")
    void nonceOtherThan96BitsIsRefusedAtInitForEncryption(Wycheproof.Case c) throws GeneralSecurityException {
        assertThat(c.bytes("iv").length).isEqualTo(c.groupInteger("ivSize") / 8).isNotEqualTo(12);
        Cipher cipher = Cipher.getInstance(RecordCipher.TRANSFORMATION);
        SecretKeySpec key = new SecretKeySpec(c.bytes("key"), "ChaCha20");
        IvParameterSpec iv = new IvParameterSpec(c.bytes("iv"));

        assertThatThrownBy(() -> cipher.init(Cipher.ENCRYPT_MODE, key, iv))
                .isInstanceOf(InvalidAlgorithmParameterException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherNonceSizeCases")
    void nonceOtherThan96BitsIsRefusedAtInitForDecryption(Wycheproof.Case c) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(RecordCipher.TRANSFORMATION);
        SecretKeySpec key = new SecretKeySpec(c.bytes("key"), "ChaCha20");
        IvParameterSpec iv = new IvParameterSpec(c.bytes("iv"));

        assertThatThrownBy(() -> cipher.init(Cipher.DECRYPT_MODE, key, iv))
                .isInstanceOf(InvalidAlgorithmParameterException.class);
    }

    /** A fresh cipher, initialised for the case's key and nonce, with the case's AAD supplied. */
    private static Cipher initialised(int mode, Wycheproof.Case c) throws GeneralSecurityException {
        assertThat(c.bytes("tag")).hasSize(TAG_BYTES);
        Cipher cipher = Cipher.getInstance(RecordCipher.TRANSFORMATION);
        cipher.init(mode, new SecretKeySpec(c.bytes("key"), "ChaCha20"), new IvParameterSpec(c.bytes("iv")));
        cipher.updateAAD(c.bytes("aad"));
        return cipher;
    }

    private static byte[] ciphertextAndTag(Wycheproof.Case c) {
        byte[] ct = c.bytes("ct");
        byte[] tag = c.bytes("tag");
        return ByteBuffer.allocate(ct.length + tag.length).put(ct).put(tag).array();
    }
}
