package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The RFC 5869 Appendix A.1-A.3 (SHA-256) values of {@code testdata/vectors/rfc/rfc5869_hkdf_sha256.json}
 * against {@link Hkdf}: extract gives the listed PRK, expand of that PRK gives the listed OKM, and
 * so does {@link Hkdf#deriveKey}. A.3 has an empty salt and info, the shape of our session-id
 * derivation. Also the output limit of section 2.3 (at most 255 x 32 bytes).
 */
class Rfc5869HkdfTest {

    private static final JsonNode FILE = SharedFiles.json("vectors/rfc/rfc5869_hkdf_sha256.json");

    static Stream<JsonNode> vectors() {
        List<JsonNode> vectors = new ArrayList<>();
        FILE.get("vectors").forEach(vectors::add);
        return vectors.stream();
    }

    @Test
    void fileHoldsTheThreeSha256CasesOfAppendixA() {
        assertThat(vectors().map(v -> v.get("section").asString())).containsExactly("A.1", "A.2", "A.3");
        assertThat(vectors()).allMatch(v -> "SHA-256".equals(v.get("hash").asString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorIds")
    void extractGivesTheListedPseudoRandomKey(String id) {
        JsonNode v = vector(id);

        byte[] prk = Hkdf.extract(bytes(v, "salt"), bytes(v, "ikm"));

        assertThat(Wycheproof.hex(prk)).isEqualTo(v.get("prk").asString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorIds")
    void expandOfTheListedPseudoRandomKeyGivesTheListedOutput(String id) {
        JsonNode v = vector(id);

        byte[] okm = Hkdf.expand(bytes(v, "prk"), bytes(v, "info"), v.get("L").asInt());

        assertThat(Wycheproof.hex(okm)).isEqualTo(v.get("okm").asString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectorIds")
    void deriveKeyGivesTheListedOutput(String id) {
        JsonNode v = vector(id);

        byte[] okm = Hkdf.deriveKey(bytes(v, "salt"), bytes(v, "ikm"), bytes(v, "info"), v.get("L").asInt());

        assertThat(Wycheproof.hex(okm)).isEqualTo(v.get("okm").asString());
    }

    @Test
    void emptySaltIsThirtyTwoZeroBytes() {
        JsonNode v = vector("rfc5869-A.3");
        assertThat(bytes(v, "salt")).isEmpty();

        assertThat(Hkdf.extract(new byte[Hkdf.HASH_LENGTH], bytes(v, "ikm"))).isEqualTo(Hkdf.extract(new byte[0], bytes(v, "ikm")));
    }

    @Test
    void outputOf255BlocksIsAllowed() {
        byte[] prk = bytes(vector("rfc5869-A.1"), "prk");

        assertThat(Hkdf.expand(prk, new byte[0], 255 * 32)).hasSize(8160);
    }

    @Test
    void outputLongerThan255BlocksIsRefused() {
        assertThat(FILE.get("limits").get("section").asString()).isEqualTo("2.3");
        byte[] prk = bytes(vector("rfc5869-A.1"), "prk");

        assertThatThrownBy(() -> Hkdf.expand(prk, new byte[0], 255 * 32 + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Wycheproof numbers them differently: tcId 1 is A.1, tcId 2 is A.3 (empty salt), tcId 3 is A.2. */
    @ParameterizedTest(name = "{0} is Wycheproof tcId {1}")
    @CsvSource({"rfc5869-A.1, 1", "rfc5869-A.2, 3", "rfc5869-A.3, 2"})
    void wycheproofHoldsTheSameCase(String id, int tcId) {
        JsonNode v = vector(id);
        Wycheproof.Case c = Wycheproof.load("hkdf_sha256_test.json").byId(tcId);

        assertThat(c.comment()).isEqualTo("RFC 5869");
        assertThat(c.string("ikm")).isEqualTo(v.get("ikm").asString());
        assertThat(c.string("salt")).isEqualTo(v.get("salt").asString());
        assertThat(c.string("info")).isEqualTo(v.get("info").asString());
        assertThat(c.integer("size")).isEqualTo(v.get("L").asInt());
        assertThat(c.string("okm")).isEqualTo(v.get("okm").asString());
    }

    static Stream<String> vectorIds() {
        return vectors().map(v -> v.get("id").asString());
    }

    private static JsonNode vector(String id) {
        List<JsonNode> found = vectors().filter(v -> id.equals(v.get("id").asString())).toList();
        assertThat(found).as("vectors with id %s", id).hasSize(1);
        return found.get(0);
    }

    private static byte[] bytes(JsonNode vector, String field) {
        return SharedFiles.hex(vector.get(field).asString());
    }
}
