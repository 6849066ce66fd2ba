package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.crypto.CryptoBackendChoice;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of Wycheproof {@code hkdf_sha256_test.json} against {@link Hkdf}: each valid case
 * (empty salts, salts longer than the HMAC block, the maximal 255 x 32-byte output) must derive
 * exactly the listed OKM, and each invalid case (all {@code SizeTooLarge}: 8161 bytes requested)
 * must throw {@link IllegalArgumentException}. Runs once per crypto backend that loads here.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.securechannel.internal.crypto.CryptoBackends#loadable")
class WycheproofHkdfSha256Test {

    private static final Wycheproof.VectorFile FILE = Wycheproof.load("hkdf_sha256_test.json");

    private final CryptoBackend backend;

    WycheproofHkdfSha256Test(CryptoBackendChoice choice) {
        this.backend = CryptoBackends.select(choice);
    }

    static Stream<Wycheproof.Case> validCases() {
        return FILE.cases(Wycheproof.Case::isValid);
    }

    static Stream<Wycheproof.Case> invalidCases() {
        return FILE.cases(Wycheproof.Case::isInvalid);
    }

    @Test
    void everyCaseOfTheFileIsCoveredByExactlyOnePartition() {
        assertThat(FILE.algorithm()).isEqualTo("HKDF-SHA-256");
        assertThat(FILE.cases()).hasSize(FILE.numberOfTests()).hasSize(86);
        long valid = validCases().count();
        long invalid = invalidCases().count();
        // PROVENANCE.md: 86 tests (83 valid, 3 invalid); the invalid ones are SizeTooLarge.
        assertThat(valid).isEqualTo(83);
        assertThat(invalid).isEqualTo(3);
        assertThat(valid + invalid).isEqualTo(FILE.numberOfTests());
        assertThat(invalidCases()).allMatch(c -> c.hasFlag("SizeTooLarge") && c.integer("size") > Hkdf.MAX_OUTPUT_LENGTH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validCaseDerivesTheListedOutputKeyingMaterial(Wycheproof.Case c) {
        byte[] okm = Hkdf.deriveKey(backend, c.bytes("salt"), c.bytes("ikm"), c.bytes("info"), c.integer("size"));

        assertThat(Wycheproof.hex(okm)).isEqualTo(c.string("okm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void outputSizeAbove255BlocksIsRefused(Wycheproof.Case c) {
        byte[] salt = c.bytes("salt");
        byte[] ikm = c.bytes("ikm");
        byte[] info = c.bytes("info");
        int size = c.integer("size");

        assertThatThrownBy(() -> Hkdf.deriveKey(backend, salt, ikm, info, size)).isInstanceOf(IllegalArgumentException.class);
    }
}
