package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.testing.SharedFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The RFC 8439 known-answer values of {@code testdata/vectors/rfc/rfc8439_chacha20_poly1305.json}:
 * the ChaCha20 block function (2.3.2) and ChaCha20 encryption (2.4.2) with the JDK's
 * {@code ChaCha20} cipher, the Poly1305 MAC (2.5.2) with BouncyCastle's lightweight
 * {@link Poly1305} (the JDK exposes no bare Poly1305), Poly1305 one-time key generation (2.6.2)
 * as the first 32 bytes of the JDK's ChaCha20 keystream at block counter 0, and the full AEAD
 * case (2.8.2) with the JDK's {@code ChaCha20-Poly1305}, including a re-computation of its tag
 * from the construction of section 2.8.
 *
 * <p>Our record layer cannot take the 2.8.2 inputs (its nonce and AAD layout is fixed by the
 * protocol); {@link RecordLayerTest} covers it with behaviour tests instead. Every test uses a
 * fresh cipher.
 */
class Rfc8439ChaCha20Poly1305Test {

    private static final JsonNode FILE = SharedFiles.json("vectors/rfc/rfc8439_chacha20_poly1305.json");

    @Test
    void fileHoldsExactlyTheFiveSectionsUnderTest() {
        List<String> sections = new ArrayList<>();
        for (JsonNode vector : FILE.get("vectors")) {
            sections.add(vector.get("section").asString());
        }

        assertThat(sections).containsExactly("2.3.2", "2.4.2", "2.5.2", "2.6.2", "2.8.2");
    }

    @Test
    void chacha20BlockFunctionGivesTheSerializedBlock() throws GeneralSecurityException {
        JsonNode v = vector("2.3.2");

        byte[] block = chacha20(bytes(v, "key"), bytes(v, "nonce"), v.get("blockCounter").asInt(), new byte[64]);

        assertThat(Wycheproof.hex(block)).isEqualTo(v.get("serializedBlock").asString());
    }

    @Test
    void chacha20EncryptionGivesTheListedCiphertext() throws GeneralSecurityException {
        JsonNode v = vector("2.4.2");

        byte[] ciphertext = chacha20(bytes(v, "key"), bytes(v, "nonce"), v.get("initialCounter").asInt(), bytes(v, "plaintext"));

        assertThat(Wycheproof.hex(ciphertext)).isEqualTo(v.get("ciphertext").asString());
    }

    @Test
    void poly1305GivesTheListedTag() {
        JsonNode v = vector("2.5.2");

        byte[] tag = poly1305(bytes(v, "key"), bytes(v, "message"));

        assertThat(Wycheproof.hex(tag)).isEqualTo(v.get("tag").asString());
    }

    @Test
    void poly1305KeyGenerationGivesTheListedOneTimeKey() throws GeneralSecurityException {
        JsonNode v = vector("2.6.2");

        byte[] oneTimeKey = poly1305KeyGen(bytes(v, "key"), bytes(v, "nonce"));

        assertThat(Wycheproof.hex(oneTimeKey)).isEqualTo(v.get("oneTimeKey").asString());
    }

    @Test
    void aeadEncryptionGivesTheListedCiphertextAndTag() throws GeneralSecurityException {
        JsonNode v = vector("2.8.2");
        Cipher cipher = aead(Cipher.ENCRYPT_MODE, v);

        byte[] sealed = cipher.doFinal(bytes(v, "plaintext"));

        assertThat(Wycheproof.hex(sealed)).isEqualTo(v.get("ciphertext").asString() + v.get("tag").asString());
    }

    @Test
    void aeadDecryptionRestoresThePlaintext() throws GeneralSecurityException {
        JsonNode v = vector("2.8.2");
        Cipher cipher = aead(Cipher.DECRYPT_MODE, v);

        byte[] opened = cipher.doFinal(concat(bytes(v, "ciphertext"), bytes(v, "tag")));

        assertThat(Wycheproof.hex(opened)).isEqualTo(v.get("plaintext").asString());
    }

    @Test
    void aeadOneTimeKeyIsTheListedKey() throws GeneralSecurityException {
        JsonNode v = vector("2.8.2");

        byte[] oneTimeKey = poly1305KeyGen(bytes(v, "key"), bytes(v, "nonce"));

        assertThat(Wycheproof.hex(oneTimeKey)).isEqualTo(v.get("poly1305OneTimeKey").asString());
    }

    @Test
    void aeadTagIsPoly1305OverPaddedAadCiphertextAndLengths() {
        JsonNode v = vector("2.8.2");
        byte[] aad = bytes(v, "aad");
        byte[] ciphertext = bytes(v, "ciphertext");
        ByteBuffer macData = ByteBuffer.allocate(padded16(aad.length) + padded16(ciphertext.length) + 16)
                .order(ByteOrder.LITTLE_ENDIAN);
        macData.put(aad).position(padded16(aad.length));
        macData.put(ciphertext).position(padded16(aad.length) + padded16(ciphertext.length));
        macData.putLong(aad.length).putLong(ciphertext.length);

        byte[] tag = poly1305(bytes(v, "poly1305OneTimeKey"), macData.array());

        assertThat(Wycheproof.hex(tag)).isEqualTo(v.get("tag").asString());
    }

    @Test
    void wycheproofTcId1IsSection2_8_2() {
        JsonNode v = vector("2.8.2");
        Wycheproof.Case c = Wycheproof.load("chacha20_poly1305_test.json").byId(1);

        assertThat(c.result()).isEqualTo(v.get("result").asString());
        assertThat(c.string("key")).isEqualTo(v.get("key").asString());
        assertThat(c.string("iv")).isEqualTo(v.get("nonce").asString());
        assertThat(c.string("aad")).isEqualTo(v.get("aad").asString());
        assertThat(c.string("msg")).isEqualTo(v.get("plaintext").asString());
        assertThat(c.string("ct")).isEqualTo(v.get("ciphertext").asString());
        assertThat(c.string("tag")).isEqualTo(v.get("tag").asString());
    }

    private static JsonNode vector(String section) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode vector : FILE.get("vectors")) {
            if (section.equals(vector.get("section").asString())) {
                found.add(vector);
            }
        }
        assertThat(found).as("vectors for section %s", section).hasSize(1);
        return found.get(0);
    }

    private static byte[] bytes(JsonNode vector, String field) {
        return SharedFiles.hex(vector.get(field).asString());
    }

    /** ChaCha20 (RFC 8439 2.4) with the JDK cipher: XOR with the keystream from {@code counter}. */
    private static byte[] chacha20(byte[] key, byte[] nonce, int counter, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, counter));
        return cipher.doFinal(input);
    }

    /** poly1305_key_gen of RFC 8439 2.6: the first 32 bytes of the ChaCha20 block at counter 0. */
    private static byte[] poly1305KeyGen(byte[] key, byte[] nonce) throws GeneralSecurityException {
        return chacha20(key, nonce, 0, new byte[32]);
    }

    /** Poly1305 (RFC 8439 2.5) keyed with r || s directly: BouncyCastle's Poly1305 without a block cipher. */
    private static byte[] poly1305(byte[] key, byte[] message) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] tag = new byte[mac.getMacSize()];
        mac.doFinal(tag, 0);
        return tag;
    }

    private static Cipher aead(int mode, JsonNode v) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(RecordCipher.TRANSFORMATION);
        cipher.init(mode, new SecretKeySpec(bytes(v, "key"), "ChaCha20"), new IvParameterSpec(bytes(v, "nonce")));
        cipher.updateAAD(bytes(v, "aad"));
        return cipher;
    }

    private static int padded16(int length) {
        return (length + 15) / 16 * 16;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
