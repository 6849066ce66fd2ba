package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.crypto.CryptoBackendChoice;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of Wycheproof {@code x25519_test.json} against {@link X25519KeyPair}, once per
 * crypto backend that loads here (Conscrypt, the JDK's XDH, BouncyCastle's RFC 7748 code).
 *
 * <p>The file has no invalid cases; the project's rule for them is:
 * <ul>
 *   <li>{@code valid} cases: {@link X25519KeyPair#agree} gives exactly the listed shared secret;</li>
 *   <li>{@code acceptable} cases with a non-zero secret (points on the twist, non-canonical
 *       u-coordinates, which RFC 7748 section 5 defines by masking and reducing): computed, and
 *       the result must be the listed one;</li>
 *   <li>the 31 {@code ZeroSharedSecret} cases (all also {@code LowOrderPublic}): the protocol MUST
 *       reject a non-contributory exchange, so {@code agree} returns {@code null}.</li>
 * </ul>
 * The raw function {@link X25519KeyPair#scalarMult} is also checked on every case, zero outputs
 * included, so the rejection above is known to come from the zero check and not from a wrong product.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.securechannel.internal.crypto.CryptoBackends#loadable")
class WycheproofX25519Test {

    private static final Wycheproof.VectorFile FILE = Wycheproof.load("x25519_test.json");
    private static final String ALL_ZERO = "00".repeat(32);

    private final CryptoBackend backend;

    WycheproofX25519Test(CryptoBackendChoice choice) {
        this.backend = CryptoBackends.select(choice);
    }

    static Stream<Wycheproof.Case> allCases() {
        return FILE.cases().stream();
    }

    static Stream<Wycheproof.Case> validCases() {
        return FILE.cases(c -> c.isValid());
    }

    static Stream<Wycheproof.Case> acceptableContributoryCases() {
        return FILE.cases(c -> c.isAcceptable() && !c.hasFlag("ZeroSharedSecret"));
    }

    static Stream<Wycheproof.Case> zeroSharedSecretCases() {
        return FILE.cases(c -> c.hasFlag("ZeroSharedSecret"));
    }

    @Test
    void everyCaseOfTheFileIsCoveredByExactlyOnePartition() {
        assertThat(FILE.algorithm()).isEqualTo("XDH");
        assertThat(FILE.cases()).hasSize(FILE.numberOfTests()).hasSize(518);
        long valid = validCases().count();
        long acceptable = acceptableContributoryCases().count();
        long zero = zeroSharedSecretCases().count();
        // PROVENANCE.md: 518 tests (264 valid, 254 acceptable), 31 of them ZeroSharedSecret / LowOrderPublic.
        assertThat(valid).isEqualTo(264);
        assertThat(zero).isEqualTo(31);
        assertThat(acceptable).isEqualTo(254 - 31);
        assertThat(valid + acceptable + zero).isEqualTo(FILE.numberOfTests());
        assertThat(zeroSharedSecretCases()).allMatch(c -> c.isAcceptable() && c.hasFlag("LowOrderPublic"));
        assertThat(FILE.cases()).noneMatch(Wycheproof.Case::isInvalid);
    }

    @Test
    void exactlyTheZeroSharedSecretCasesListAnAllZeroSecret() {
        assertThat(FILE.cases())
                .allMatch(c -> c.hasFlag("ZeroSharedSecret") == ALL_ZERO.equals(c.string("shared")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validCaseAgreesOnTheListedSharedSecret(Wycheproof.Case c) {
        X25519KeyPair own = X25519KeyPair.fromPrivateKey(backend, c.bytes("private"));

        byte[] shared = own.agree(c.bytes("public"));

        assertThat(shared).isNotNull();
        assertThat(Wycheproof.hex(shared)).isEqualTo(c.string("shared"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptableContributoryCases")
    void twistAndNonCanonicalPublicKeysAreComputedPerRfc7748(Wycheproof.Case c) {
        X25519KeyPair own = X25519KeyPair.fromPrivateKey(backend, c.bytes("private"));

        byte[] shared = own.agree(c.bytes("public"));

        assertThat(shared).isNotNull();
        assertThat(Wycheproof.hex(shared)).isEqualTo(c.string("shared"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zeroSharedSecretCases")
    void zeroSharedSecretIsRejected(Wycheproof.Case c) {
        X25519KeyPair own = X25519KeyPair.fromPrivateKey(backend, c.bytes("private"));

        assertThat(own.agree(c.bytes("public"))).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void rawScalarMultiplicationGivesTheListedOutput(Wycheproof.Case c) {
        byte[] output = X25519KeyPair.scalarMult(c.bytes("private"), c.bytes("public"));

        assertThat(Wycheproof.hex(output)).isEqualTo(c.string("shared"));
    }
}
