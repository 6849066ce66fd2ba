package dev.securechannel.internal.sevsnp;

import static dev.securechannel.internal.sevsnp.SnpFixtures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The SEV_SNP_V1 and AZ_SNP_V1 documents of the Rust reference: exact layout, round trips,
 * truncation at every length, marker checks, trailing bytes, DER splitting and PEM parsing.
 */
class WireDocumentTest {

    private static final JsonNode MILAN = SnpFixtures.caseById("oak-milan-v3");
    private static final JsonNode AZURE = SnpFixtures.caseById("trustee-azure-milan-v2-hcl");

    private static SevSnpDocument milanDocument() {
        return SevSnpDocument.of(SnpFixtures.report(MILAN), SnpFixtures.chain(MILAN));
    }

    private static AzureSnpDocument azureDocument() {
        return new AzureSnpDocument(SnpFixtures.hclReport(AZURE),
                new String(SnpFixtures.bytes("trustee/deps/verifier/test_data/az-snp-vtpm/vcek.pem"), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("SEV_SNP_V1 is marker, u32 LE report size, report, u32 LE chain size, concatenated DER (byte for byte)")
    void sevSnpLayout() throws Exception {
        SevSnpDocument document = new SevSnpDocument(new byte[] {1, 2, 3}, new byte[] {4, 5});
        assertThat(HexFormat.of().formatHex(document.encode()))
                .isEqualTo("5345565f534e505f56310000" + "03000000" + "010203" + "02000000" + "0405");
        SevSnpDocument milan = milanDocument();
        byte[] expectedChain = concat(SnpFixtures.vek(MILAN).getEncoded(), SnpFixtures.ask(SnpProduct.MILAN).getEncoded(),
                SnpFixtures.ark(SnpProduct.MILAN).getEncoded());
        assertThat(milan.certChainDer()).isEqualTo(expectedChain);
        assertThat(milan.report()).hasSize(1184);
    }

    @Test
    @DisplayName("AZ_SNP_V1 is marker, u32 LE HCL size, HCL report, u32 LE PEM size, UTF-8 PEM")
    void azureLayout() {
        AzureSnpDocument document = new AzureSnpDocument(new byte[] {9}, "pem");
        assertThat(HexFormat.of().formatHex(document.encode()))
                .isEqualTo("415a5f534e505f5631000000" + "01000000" + "09" + "03000000" + "70656d");
    }

    @Test
    @DisplayName("both documents round-trip, with equal records and certificates in order")
    void roundTrips() {
        SevSnpDocument milan = milanDocument();
        SevSnpDocument decoded = SevSnpDocument.decode(milan.encode());
        assertThat(decoded).isEqualTo(milan).hasSameHashCodeAs(milan);
        assertThat(decoded.certificates()).containsExactlyElementsOf(SnpFixtures.chain(MILAN));
        assertThat(decoded.toString()).contains("1184 bytes");

        AzureSnpDocument azure = azureDocument();
        AzureSnpDocument azureDecoded = AzureSnpDocument.decode(azure.encode());
        assertThat(azureDecoded).isEqualTo(azure).hasSameHashCodeAs(azure);
        assertThat(azureDecoded.certificates()).hasSize(3);
        assertThat(Certificates.subjectCommonName(azureDecoded.certificates().get(0))).contains("SEV-VCEK");

        SevSnpDocument empty = SevSnpDocument.decode(new SevSnpDocument(new byte[0], new byte[0]).encode());
        assertThat(empty.report()).isEmpty();
        assertThat(empty.certificates()).isEmpty();
    }

    @Test
    @DisplayName("every strict prefix of a document is WIRE_TRUNCATED")
    void truncationAtEveryLength() {
        byte[] sevSnp = milanDocument().encode();
        for (int length = 0; length < sevSnp.length; length++) {
            byte[] prefix = Arrays.copyOf(sevSnp, length);
            assertThat(failureOf(() -> SevSnpDocument.decode(prefix))).as("SEV_SNP_V1 length %d", length).isEqualTo(SnpFailure.WIRE_TRUNCATED);
        }
        byte[] azure = azureDocument().encode();
        for (int length = 0; length < azure.length; length++) {
            byte[] prefix = Arrays.copyOf(azure, length);
            assertThat(failureOf(() -> AzureSnpDocument.decode(prefix))).as("AZ_SNP_V1 length %d", length).isEqualTo(SnpFailure.WIRE_TRUNCATED);
        }
    }

    @Test
    @DisplayName("a wrong marker is WIRE_MARKER_MISMATCH, including the other platform's document and the string INVALID")
    void markerMismatch() {
        assertThat(failureOf(() -> SevSnpDocument.decode("INVALID".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(SnpFailure.WIRE_MARKER_MISMATCH);
        assertThat(failureOf(() -> AzureSnpDocument.decode("INVALID".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(SnpFailure.WIRE_MARKER_MISMATCH);
        assertThat(failureOf(() -> SevSnpDocument.decode(azureDocument().encode()))).isEqualTo(SnpFailure.WIRE_MARKER_MISMATCH);
        assertThat(failureOf(() -> AzureSnpDocument.decode(milanDocument().encode()))).isEqualTo(SnpFailure.WIRE_MARKER_MISMATCH);
        byte[] lateDifference = milanDocument().encode();
        lateDifference[11] = 1;
        assertThat(failureOf(() -> SevSnpDocument.decode(lateDifference))).isEqualTo(SnpFailure.WIRE_MARKER_MISMATCH);
    }

    @Test
    @DisplayName("a length larger than what is left, up to 0xFFFFFFFF, is WIRE_TRUNCATED; bytes after the chain are ignored")
    void lengthsAndTrailingBytes() {
        byte[] encoded = milanDocument().encode();
        byte[] huge = encoded.clone();
        Arrays.fill(huge, 12, 16, (byte) 0xFF);
        assertThat(failureOf(() -> SevSnpDocument.decode(huge))).isEqualTo(SnpFailure.WIRE_TRUNCATED);
        byte[] trailing = concat(encoded, new byte[] {1, 2, 3});
        assertThat(SevSnpDocument.decode(trailing)).isEqualTo(milanDocument());
        byte[] azureTrailing = concat(azureDocument().encode(), "junk".getBytes(StandardCharsets.US_ASCII));
        assertThat(AzureSnpDocument.decode(azureTrailing)).isEqualTo(azureDocument());
    }

    @Test
    @DisplayName("the record copies its arrays in and out")
    void recordsCopy() {
        byte[] report = {1, 2, 3};
        SevSnpDocument document = new SevSnpDocument(report, new byte[] {4});
        report[0] = 9;
        document.report()[1] = 9;
        assertThat(document.report()).containsExactly(1, 2, 3);
        byte[] hcl = {7};
        AzureSnpDocument azure = new AzureSnpDocument(hcl, "");
        hcl[0] = 0;
        assertThat(azure.hclReport()).containsExactly(7);
    }

    @Test
    @DisplayName("a DER chain that is cut, padded, not a SEQUENCE or with an indefinite length is CERT_PARSE_FAILED")
    void derSplitting() throws Exception {
        byte[] chain = milanDocument().certChainDer();
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], Arrays.copyOf(chain, chain.length - 1)).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], concat(chain, new byte[] {0})).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], new byte[] {0x30, 0x00}).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], new byte[] {0x30, (byte) 0x80, 0, 0}).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], new byte[] {0x04, 0x01, 0}).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        byte[] pemInsteadOfDer = SnpFixtures.bytes("amd-kds/Milan/ark.pem");
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], pemInsteadOfDer).certificates())).isEqualTo(SnpFailure.CERT_PARSE_FAILED);
    }

    @Test
    @DisplayName("more than eight certificates are CERT_CHAIN_TOO_LONG")
    void tooManyCertificates() throws Exception {
        byte[] ark = SnpFixtures.ark(SnpProduct.MILAN).getEncoded();
        byte[] nine = new byte[0];
        for (int i = 0; i < 9; i++) {
            nine = concat(nine, ark);
        }
        byte[] chain = nine;
        assertThat(failureOf(() -> new SevSnpDocument(new byte[0], chain).certificates())).isEqualTo(SnpFailure.CERT_CHAIN_TOO_LONG);
        String pem = new String(SnpFixtures.bytes("amd-kds/Milan/ark.pem"), StandardCharsets.US_ASCII).repeat(9);
        assertThat(failureOf(() -> new AzureSnpDocument(new byte[0], pem).certificates())).isEqualTo(SnpFailure.CERT_CHAIN_TOO_LONG);
    }

    @Test
    @DisplayName("PEM: CRLF line ends (the Turin KDS file), text between blocks and THIM's newline join are accepted")
    void pemVariants() {
        String turin = new String(SnpFixtures.bytes("amd-kds/Turin/cert_chain.pem"), StandardCharsets.US_ASCII);
        assertThat(turin).contains("\r\n");
        List<X509Certificate> certificates = new AzureSnpDocument(new byte[0], "leading text\n" + turin + "\ntrailing text").certificates();
        assertThat(certificates).containsExactly(SnpFixtures.ask(SnpProduct.TURIN), SnpFixtures.ark(SnpProduct.TURIN));
        assertThat(new AzureSnpDocument(new byte[0], "").certificates()).isEmpty();
    }

    @Test
    @DisplayName("PEM: another block type, an unterminated block or bad base64 is CERT_PARSE_FAILED; a non-UTF-8 chain too")
    void pemErrors() {
        String ark = new String(SnpFixtures.bytes("amd-kds/Milan/ark.pem"), StandardCharsets.US_ASCII);
        assertThat(failureOf(() -> new AzureSnpDocument(new byte[0], "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .certificates())).isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new AzureSnpDocument(new byte[0], ark.substring(0, ark.length() - 30)).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new AzureSnpDocument(new byte[0], ark.replace("MII", "M*I")).certificates()))
                .isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        assertThat(failureOf(() -> new AzureSnpDocument(new byte[0], "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .certificates())).isEqualTo(SnpFailure.CERT_PARSE_FAILED);
        byte[] notUtf8 = new AzureSnpDocument(new byte[] {1}, "x").encode();
        notUtf8[notUtf8.length - 1] = (byte) 0xFF;
        assertThat(failureOf(() -> AzureSnpDocument.decode(notUtf8))).isEqualTo(SnpFailure.CERT_PARSE_FAILED);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, position, part.length);
            position += part.length;
        }
        return joined;
    }
}
