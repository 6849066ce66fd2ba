package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.crypto.CryptoBackendChoice;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof {@code chacha20_poly1305_test.json} and {@code aes_gcm_test.json} against every
 * crypto backend's record AEAD ({@link CryptoBackend#newRecordAead}), the code that seals and
 * opens every frame.
 *
 * <p>Only 96-bit nonces, 256-bit keys and 128-bit tags apply to the protocol: there a valid
 * case must seal to exactly {@code ct || tag} and open back to {@code msg}, and an invalid case
 * (a modified tag or ciphertext) must fail with {@link AEADBadTagException}. Every other key or
 * nonce size must be refused before a provider sees it, also by providers that would accept it
 * (GCM is defined for any nonce length). The tag length is not a parameter: always 128 bits.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.securechannel.internal.crypto.CryptoBackends#loadable")
class RecordAeadWycheproofTest {

    private static final Wycheproof.VectorFile CHACHA = Wycheproof.load("chacha20_poly1305_test.json");
    private static final Wycheproof.VectorFile GCM = Wycheproof.load("aes_gcm_test.json");

    private final CryptoBackend backend;

    RecordAeadWycheproofTest(CryptoBackendChoice choice) {
        this.backend = CryptoBackends.select(choice);
    }

    static Stream<Wycheproof.Case> chaChaValidCases() {
        return CHACHA.cases(c -> c.groupInteger("ivSize") == 96 && c.isValid());
    }

    static Stream<Wycheproof.Case> chaChaInvalidCases() {
        return CHACHA.cases(c -> c.groupInteger("ivSize") == 96 && c.isInvalid());
    }

    static Stream<Wycheproof.Case> chaChaOtherNonceCases() {
        return CHACHA.cases(c -> c.groupInteger("ivSize") != 96);
    }

    static Stream<Wycheproof.Case> gcmValidCases() {
        return GCM.cases(c -> appliesToGcm(c) && c.isValid());
    }

    static Stream<Wycheproof.Case> gcmInvalidCases() {
        return GCM.cases(c -> appliesToGcm(c) && c.isInvalid());
    }

    static Stream<Wycheproof.Case> gcmOtherKeySizeCases() {
        return GCM.cases(c -> c.groupInteger("keySize") != 256);
    }

    static Stream<Wycheproof.Case> gcmOtherNonceCases() {
        return GCM.cases(c -> c.groupInteger("keySize") == 256 && c.groupInteger("ivSize") != 96);
    }

    private static boolean appliesToGcm(Wycheproof.Case c) {
        return c.groupInteger("keySize") == 256 && c.groupInteger("ivSize") == 96 && c.groupInteger("tagSize") == 128;
    }

    @Test
    void everyAesGcmCaseIsCoveredByExactlyOnePartition() {
        assertThat(GCM.algorithm()).isEqualTo("AES-GCM");
        assertThat(GCM.cases()).hasSize(GCM.numberOfTests()).hasSize(316);
        // PROVENANCE.md: 66 cases with a 256-bit key, 96-bit IV and 128-bit tag; every group has 128-bit tags.
        assertThat(gcmValidCases().count() + gcmInvalidCases().count()).isEqualTo(66);
        assertThat(gcmValidCases().count() + gcmInvalidCases().count() + gcmOtherKeySizeCases().count() + gcmOtherNonceCases().count())
                .isEqualTo(GCM.numberOfTests());
        assertThat(GCM.cases()).allMatch(c -> c.groupInteger("tagSize") == 128).noneMatch(Wycheproof.Case::isAcceptable);
        assertThat(CHACHA.cases()).hasSize(chaChaValidCases().toList().size() + chaChaInvalidCases().toList().size()
                + chaChaOtherNonceCases().toList().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chaChaValidCases")
    void chaChaValidCaseSealsAndOpensToTheListedBytes(Wycheproof.Case c) throws GeneralSecurityException {
        sealsAndOpens(RecordAlgorithm.CHACHA20_POLY1305, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chaChaInvalidCases")
    void chaChaInvalidCaseFailsToOpen(Wycheproof.Case c) {
        failsToOpen(RecordAlgorithm.CHACHA20_POLY1305, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chaChaOtherNonceCases")
    void chaChaNonceOtherThan96BitsIsRefused(Wycheproof.Case c) {
        refusesNonce(RecordAlgorithm.CHACHA20_POLY1305, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcmValidCases")
    void gcmValidCaseSealsAndOpensToTheListedBytes(Wycheproof.Case c) throws GeneralSecurityException {
        sealsAndOpens(RecordAlgorithm.AES_256_GCM, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcmInvalidCases")
    void gcmInvalidCaseFailsToOpen(Wycheproof.Case c) {
        failsToOpen(RecordAlgorithm.AES_256_GCM, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcmOtherKeySizeCases")
    void gcmKeyOtherThan256BitsIsRefused(Wycheproof.Case c) {
        byte[] key = c.bytes("key");

        assertThatThrownBy(() -> backend.newRecordAead(RecordAlgorithm.AES_256_GCM, key))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gcmOtherNonceCases")
    void gcmNonceOtherThan96BitsIsRefused(Wycheproof.Case c) {
        refusesNonce(RecordAlgorithm.AES_256_GCM, c);
    }

    private void sealsAndOpens(RecordAlgorithm algorithm, Wycheproof.Case c) throws GeneralSecurityException {
        byte[] message = c.bytes("msg");
        byte[] sealed = new byte[message.length + RecordAlgorithm.TAG_LENGTH];
        byte[] opened = new byte[message.length];

        backend.newRecordAead(algorithm, c.bytes("key")).seal(c.bytes("iv"), c.bytes("aad"), message, 0, message.length, sealed, 0);
        backend.newRecordAead(algorithm, c.bytes("key")).open(c.bytes("iv"), c.bytes("aad"), sealed, 0, sealed.length, opened, 0);

        assertThat(Wycheproof.hex(sealed)).isEqualTo(c.string("ct") + c.string("tag"));
        assertThat(Wycheproof.hex(opened)).isEqualTo(c.string("msg"));
    }

    private void failsToOpen(RecordAlgorithm algorithm, Wycheproof.Case c) {
        CryptoBackend.RecordAead aead = backend.newRecordAead(algorithm, c.bytes("key"));
        byte[] input = ciphertextAndTag(c);
        byte[] output = new byte[Math.max(0, input.length - RecordAlgorithm.TAG_LENGTH)];

        assertThatThrownBy(() -> aead.open(c.bytes("iv"), c.bytes("aad"), input, 0, input.length, output, 0))
                .isInstanceOf(AEADBadTagException.class);
        assertThat(output).as("nothing unauthenticated is left in the output").isEqualTo(new byte[output.length]);
    }

    private void refusesNonce(RecordAlgorithm algorithm, Wycheproof.Case c) {
        assertThat(c.bytes("iv").length).isEqualTo(c.groupInteger("ivSize") / 8).isNotEqualTo(RecordAlgorithm.NONCE_LENGTH);
        CryptoBackend.RecordAead aead = backend.newRecordAead(algorithm, c.bytes("key"));
        byte[] message = c.bytes("msg");
        byte[] sealed = new byte[message.length + RecordAlgorithm.TAG_LENGTH];
        byte[] input = ciphertextAndTag(c);

        assertThatThrownBy(() -> aead.seal(c.bytes("iv"), c.bytes("aad"), message, 0, message.length, sealed, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aead.open(c.bytes("iv"), c.bytes("aad"), input, 0, input.length, new byte[input.length], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] ciphertextAndTag(Wycheproof.Case c) {
        byte[] ct = c.bytes("ct");
        byte[] tag = c.bytes("tag");
        return ByteBuffer.allocate(ct.length + tag.length).put(ct).put(tag).array();
    }
}
