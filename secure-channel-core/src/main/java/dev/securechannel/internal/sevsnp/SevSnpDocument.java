package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code SEV_SNP_V1} attestation document of the Rust reference (SEV-SNP.md 7.1):
 * {@code "SEV_SNP_V1\0\0" | u32 LE report size | report | u32 LE chain size | concatenated DER
 * certificates}. Bytes after the chain are ignored, as the reference does. Arrays are copied
 * in and out.
 *
 * @param report       the attestation report (1184 bytes when genuine; the codec does not check)
 * @param certChainDer the certificates (ARK, ASK or ASVK, VCEK or VLEK) in any order, DER, concatenated
 */
public record SevSnpDocument(byte[] report, byte[] certChainDer) {

    static final byte[] MARKER = "SEV_SNP_V1\0\0".getBytes(StandardCharsets.US_ASCII);

    public SevSnpDocument {
        report = report.clone();
        certChainDer = certChainDer.clone();
    }

    /** A document carrying {@code report} and the DER encodings of {@code chain} in list order. */
    public static SevSnpDocument of(byte[] report, List<X509Certificate> chain) {
        ByteArrayOutputStream der = new ByteArrayOutputStream();
        for (X509Certificate certificate : chain) {
            try {
                der.writeBytes(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate cannot be encoded", e);
            }
        }
        return new SevSnpDocument(report, der.toByteArray());
    }

    /**
     * Decodes a document.
     *
     * @throws SnpVerificationException WIRE_MARKER_MISMATCH or WIRE_TRUNCATED
     */
    public static SevSnpDocument decode(byte[] document) {
        WireReader reader = new WireReader(document, MARKER, "SEV_SNP_V1");
        byte[] report = reader.lengthPrefixed("report");
        byte[] chain = reader.lengthPrefixed("certificate chain");
        return new SevSnpDocument(report, chain);
    }

    /** The wire encoding. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MARKER.length + 8 + report.length + certChainDer.length);
        out.writeBytes(MARKER);
        WireReader.writeLengthPrefixed(out, report);
        WireReader.writeLengthPrefixed(out, certChainDer);
        return out.toByteArray();
    }

    /**
     * The certificates, split at their DER boundaries.
     *
     * @throws SnpVerificationException CERT_PARSE_FAILED or CERT_CHAIN_TOO_LONG
     */
    public List<X509Certificate> certificates() {
        return Certificates.splitDer(certChainDer);
    }

    @Override
    public byte[] report() {
        return report.clone();
    }

    @Override
    public byte[] certChainDer() {
        return certChainDer.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SevSnpDocument that && Arrays.equals(report, that.report)
                && Arrays.equals(certChainDer, that.certChainDer);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(report) + Arrays.hashCode(certChainDer);
    }

    @Override
    public String toString() {
        return "SevSnpDocument[report=" + report.length + " bytes, certChainDer=" + certChainDer.length + " bytes]";
    }
}
