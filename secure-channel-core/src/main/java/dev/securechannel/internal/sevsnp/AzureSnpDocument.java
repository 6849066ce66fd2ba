package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code AZ_SNP_V1} attestation document of the Rust reference (SEV-SNP.md 7.1):
 * {@code "AZ_SNP_V1\0\0\0" | u32 LE HCL report size | HCL report | u32 LE chain size | UTF-8 PEM}.
 * The PEM is what Azure IMDS THIM serves: VCEK, then ASK and ARK. Bytes after the chain are
 * ignored. The report array is copied in and out.
 *
 * @param hclReport the full content of vTPM NV index 0x01400001
 * @param pemChain  the PEM certificates
 */
public record AzureSnpDocument(byte[] hclReport, String pemChain) {

    static final byte[] MARKER = "AZ_SNP_V1\0\0\0".getBytes(StandardCharsets.US_ASCII);

    public AzureSnpDocument {
        hclReport = hclReport.clone();
    }

    /**
     * Decodes a document.
     *
     * @throws SnpVerificationException WIRE_MARKER_MISMATCH, WIRE_TRUNCATED, or CERT_PARSE_FAILED
     *                                  when the chain is not UTF-8
     */
    public static AzureSnpDocument decode(byte[] document) {
        WireReader reader = new WireReader(document, MARKER, "AZ_SNP_V1");
        byte[] hclReport = reader.lengthPrefixed("HCL report");
        byte[] chain = reader.lengthPrefixed("certificate chain");
        try {
            String pem = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(chain))
                    .toString();
            return new AzureSnpDocument(hclReport, pem);
        } catch (CharacterCodingException e) {
            throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "certificate chain is not UTF-8", e);
        }
    }

    /** The wire encoding. */
    public byte[] encode() {
        byte[] chain = pemChain.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(MARKER.length + 8 + hclReport.length + chain.length);
        out.writeBytes(MARKER);
        WireReader.writeLengthPrefixed(out, hclReport);
        WireReader.writeLengthPrefixed(out, chain);
        return out.toByteArray();
    }

    /**
     * The certificates of the PEM chain, in order.
     *
     * @throws SnpVerificationException CERT_PARSE_FAILED or CERT_CHAIN_TOO_LONG
     */
    public List<X509Certificate> certificates() {
        return Certificates.parsePem(pemChain);
    }

    @Override
    public byte[] hclReport() {
        return hclReport.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AzureSnpDocument that && Arrays.equals(hclReport, that.hclReport)
                && pemChain.equals(that.pemChain);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hclReport) + pemChain.hashCode();
    }

    @Override
    public String toString() {
        return "AzureSnpDocument[hclReport=" + hclReport.length + " bytes, pemChain=" + pemChain.length() + " chars]";
    }
}
