package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The RFC 7748 known-answer values of {@code testdata/vectors/rfc/rfc7748_x25519.json} against
 * {@link X25519KeyPair}: the two scalar multiplications of section 5.2 (the second has the top
 * bit of u set, which must be masked), the iterated test of section 5.2, the Alice/Bob exchange
 * of section 6.1 and the all-zero check, which our protocol makes a MUST.
 *
 * <p>The iterated test runs after 1 and 1,000 rounds always. The 1,000,000-round case (one to two
 * minutes) runs only when the JVM has the system property {@code securechannel.slowVectors=true},
 * for example {@code ./mvnw -pl secure-channel-core test -Dsecurechannel.slowVectors=true}.
 */
class Rfc7748X25519Test {

    private static final JsonNode FILE = SharedFiles.json("vectors/rfc/rfc7748_x25519.json");
    private static final JsonNode ITERATED = FILE.get("iterated");
    private static final JsonNode DH = FILE.get("diffieHellman");

    static Stream<JsonNode> scalarMultiplications() {
        List<JsonNode> vectors = new ArrayList<>();
        FILE.get("scalarMultiplication").forEach(vectors::add);
        return vectors.stream();
    }

    @Test
    void fileHoldsTheTwoScalarMultiplicationsOfSection5_2() {
        assertThat(scalarMultiplications().map(v -> v.get("id").asString()))
                .containsExactly("rfc7748-5.2-1", "rfc7748-5.2-2");
    }

    static Stream<String> scalarMultiplicationIds() {
        return scalarMultiplications().map(v -> v.get("id").asString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalarMultiplicationIds")
    void scalarMultiplicationGivesTheListedOutput(String id) {
        JsonNode v = scalarMultiplications().filter(n -> id.equals(n.get("id").asString())).findFirst().orElseThrow();

        byte[] output = X25519KeyPair.scalarMult(bytes(v, "scalar"), bytes(v, "uCoordinate"));

        assertThat(Wycheproof.hex(output)).isEqualTo(v.get("output").asString());
    }

    @Test
    void topBitOfTheUCoordinateIsMasked() {
        JsonNode v = FILE.get("scalarMultiplication").get(1);
        byte[] u = bytes(v, "uCoordinate");
        assertThat(u[31] & 0x80).isNotZero();
        byte[] masked = u.clone();
        masked[31] &= 0x7F;

        assertThat(X25519KeyPair.scalarMult(bytes(v, "scalar"), masked))
                .isEqualTo(X25519KeyPair.scalarMult(bytes(v, "scalar"), u));
    }

    @Test
    void iteratedOnceGivesTheListedValue() {
        assertThat(Wycheproof.hex(iterate(1))).isEqualTo(ITERATED.get("after1").asString());
    }

    @Test
    void iteratedOneThousandTimesGivesTheListedValue() {
        assertThat(Wycheproof.hex(iterate(1_000))).isEqualTo(ITERATED.get("after1000").asString());
    }

    /**
     * The 1,000,000-round iterated test: one to two minutes, so it runs only when the system
     * property {@code securechannel.slowVectors} is {@code true} (nightly or opt-in).
     */
    @Test
    @EnabledIfSystemProperty(named = "securechannel.slowVectors", matches = "true")
    void iteratedOneMillionTimesGivesTheListedValue() {
        assertThat(Wycheproof.hex(iterate(1_000_000))).isEqualTo(ITERATED.get("after1000000").asString());
    }

    @Test
    void alicePublicKeyIsDerivedFromHerPrivateKey() {
        X25519KeyPair alice = X25519KeyPair.fromPrivateKey(bytes(DH, "alicePrivate"));

        assertThat(Wycheproof.hex(alice.publicKey())).isEqualTo(DH.get("alicePublic").asString());
    }

    @Test
    void bobPublicKeyIsDerivedFromHisPrivateKey() {
        X25519KeyPair bob = X25519KeyPair.fromPrivateKey(bytes(DH, "bobPrivate"));

        assertThat(Wycheproof.hex(bob.publicKey())).isEqualTo(DH.get("bobPublic").asString());
    }

    @Test
    void aliceAgreesOnTheSharedSecretWithBobsPublicKey() {
        X25519KeyPair alice = X25519KeyPair.fromPrivateKey(bytes(DH, "alicePrivate"));

        assertThat(Wycheproof.hex(alice.agree(bytes(DH, "bobPublic")))).isEqualTo(DH.get("sharedSecret").asString());
    }

    @Test
    void bobAgreesOnTheSharedSecretWithAlicesPublicKey() {
        X25519KeyPair bob = X25519KeyPair.fromPrivateKey(bytes(DH, "bobPrivate"));

        assertThat(Wycheproof.hex(bob.agree(bytes(DH, "alicePublic")))).isEqualTo(DH.get("sharedSecret").asString());
    }

    @Test
    void allZeroPublicKeyIsRejected() {
        JsonNode check = FILE.get("allZeroCheck");
        assertThat(check.get("expected").asString()).isEqualTo("reject");
        X25519KeyPair alice = X25519KeyPair.fromPrivateKey(bytes(DH, "alicePrivate"));

        assertThat(alice.agree(bytes(check, "publicKey"))).isNull();
    }

    @Test
    void allZeroPublicKeyGivesTheAllZeroRawOutput() {
        JsonNode check = FILE.get("allZeroCheck");

        assertThat(X25519KeyPair.scalarMult(bytes(DH, "alicePrivate"), bytes(check, "publicKey"))).containsOnly(0);
    }

    @Test
    void wycheproofKnownAnswerCasesAreTheseVectorsUpToClampingAndMasking() {
        Wycheproof.VectorFile wycheproof = Wycheproof.load("x25519_test.json");
        JsonNode first = FILE.get("scalarMultiplication").get(0);
        JsonNode second = FILE.get("scalarMultiplication").get(1);
        Wycheproof.Case tc100 = wycheproof.byId(100);
        Wycheproof.Case tc101 = wycheproof.byId(101);
        Wycheproof.Case tc102 = wycheproof.byId(102);

        assertThat(clamp(tc100.bytes("private"))).isEqualTo(clamp(bytes(first, "scalar")));
        assertThat(tc100.string("public")).isEqualTo(first.get("uCoordinate").asString());
        assertThat(tc100.string("shared")).isEqualTo(first.get("output").asString());
        assertThat(clamp(tc101.bytes("private"))).isEqualTo(clamp(bytes(second, "scalar")));
        assertThat(mask(tc101.bytes("public"))).isEqualTo(mask(bytes(second, "uCoordinate")));
        assertThat(tc101.string("shared")).isEqualTo(second.get("output").asString());
        assertThat(tc102.string("private")).isEqualTo(DH.get("alicePrivate").asString());
        assertThat(tc102.string("public")).isEqualTo(DH.get("bobPublic").asString());
        assertThat(tc102.string("shared")).isEqualTo(DH.get("sharedSecret").asString());
    }

    /** The iterated test: k = u = 9; repeat r = X25519(k, u); u = k; k = r. */
    private static byte[] iterate(int rounds) {
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = k.clone();
        for (int i = 0; i < rounds; i++) {
            byte[] r = X25519KeyPair.scalarMult(k, u);
            u = k;
            k = r;
        }
        return k;
    }

    /** decodeScalar25519 of RFC 7748 section 5. */
    private static byte[] clamp(byte[] scalar) {
        byte[] clamped = scalar.clone();
        clamped[0] &= (byte) 0xF8;
        clamped[31] &= 0x7F;
        clamped[31] |= 0x40;
        return clamped;
    }

    /** The top-bit mask of decodeUCoordinate (RFC 7748 section 5). */
    private static byte[] mask(byte[] u) {
        byte[] masked = u.clone();
        masked[31] &= 0x7F;
        return masked;
    }

    private static byte[] bytes(JsonNode vector, String field) {
        return SharedFiles.hex(vector.get(field).asString());
    }
}
