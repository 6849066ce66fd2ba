package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.crypto.CryptoBackendChoice;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of Wycheproof {@code hmac_sha256_test.json} against each crypto backend's
 * HMAC-SHA-256 ({@link CryptoBackend#hmacSha256}), the building block of {@link Hkdf}.
 *
 * <p>Groups with {@code tagSize} 128 expect the MAC truncated to its first 16 bytes. A valid case
 * means the (truncated) MAC equals the listed tag; an invalid case (a modified tag) must not match.
 * Both are checked with {@link MessageDigest#isEqual}, the constant-time comparison the project
 * uses. The full-length valid cases are also run through {@link Hkdf#extract}, which is HMAC keyed
 * with the salt.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.securechannel.internal.crypto.CryptoBackends#loadable")
class WycheproofHmacSha256Test {

    private static final Wycheproof.VectorFile FILE = Wycheproof.load("hmac_sha256_test.json");

    private final CryptoBackend backend;

    WycheproofHmacSha256Test(CryptoBackendChoice choice) {
        this.backend = CryptoBackends.select(choice);
    }

    static Stream<Wycheproof.Case> validCases() {
        return FILE.cases(Wycheproof.Case::isValid);
    }

    static Stream<Wycheproof.Case> invalidCases() {
        return FILE.cases(Wycheproof.Case::isInvalid);
    }

    static Stream<Wycheproof.Case> validFullLengthCases() {
        return FILE.cases(c -> c.isValid() && c.groupInteger("tagSize") == 256);
    }

    @Test
    void everyCaseOfTheFileIsCoveredByExactlyOnePartition() {
        assertThat(FILE.algorithm()).isEqualTo("HMACSHA256");
        assertThat(FILE.cases()).hasSize(FILE.numberOfTests()).hasSize(174);
        long valid = validCases().count();
        long invalid = invalidCases().count();
        // PROVENANCE.md: 174 tests (66 valid, 108 invalid).
        assertThat(valid).isEqualTo(66);
        assertThat(invalid).isEqualTo(108);
        assertThat(valid + invalid).isEqualTo(FILE.numberOfTests());
        assertThat(validFullLengthCases().count()).isEqualTo(33);
        assertThat(FILE.cases()).allMatch(c -> c.groupInteger("tagSize") == 256 || c.groupInteger("tagSize") == 128);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validTagEqualsTheTruncatedMac(Wycheproof.Case c) {
        byte[] mac = truncatedMac(c);
        byte[] tag = c.bytes("tag");

        assertThat(Wycheproof.hex(mac)).isEqualTo(c.string("tag"));
        assertThat(MessageDigest.isEqual(mac, tag)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidTagDoesNotMatchTheTruncatedMac(Wycheproof.Case c) {
        byte[] mac = truncatedMac(c);

        assertThat(MessageDigest.isEqual(mac, c.bytes("tag"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFullLengthCases")
    void hkdfExtractIsHmacKeyedWithTheSalt(Wycheproof.Case c) {
        byte[] prk = Hkdf.extract(backend, c.bytes("key"), c.bytes("msg"));

        assertThat(Wycheproof.hex(prk)).isEqualTo(c.string("tag"));
    }

    /** HMAC-SHA256(key, msg) cut to the group's tagSize. */
    private byte[] truncatedMac(Wycheproof.Case c) {
        byte[] full = backend.hmacSha256(c.bytes("key")).doFinal(c.bytes("msg"));
        return Arrays.copyOf(full, c.groupInteger("tagSize") / 8);
    }
}
