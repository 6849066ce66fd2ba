package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Reads the certificate encodings of the wire documents: concatenated DER (SEV_SNP_V1) and a
 * PEM bundle (AZ_SNP_V1). Every malformed input ends in CERT_PARSE_FAILED.
 */
final class Certificates {

    /** More certificates than any genuine chain has (ARK, ASK, ASVK, VCEK, VLEK) with room to spare. */
    static final int MAX_CERTIFICATES = 8;

    private static final String PEM_BEGIN = "-----BEGIN ";
    private static final String PEM_CERTIFICATE_BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String PEM_CERTIFICATE_END = "-----END CERTIFICATE-----";

    private Certificates() {
    }

    /** Splits concatenated DER certificates by their outer SEQUENCE headers. */
    static List<X509Certificate> splitDer(byte[] concatenated) {
        List<X509Certificate> certificates = new ArrayList<>();
        int position = 0;
        while (position < concatenated.length) {
            int end = derSequenceEnd(concatenated, position);
            checkCount(certificates.size() + 1);
            certificates.add(parseDer(Arrays.copyOfRange(concatenated, position, end)));
            position = end;
        }
        return List.copyOf(certificates);
    }

    /** Reads every CERTIFICATE block of a PEM text; text between blocks is ignored. */
    static List<X509Certificate> parsePem(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        int position = 0;
        while (true) {
            int begin = pem.indexOf(PEM_BEGIN, position);
            if (begin < 0) {
                return List.copyOf(certificates);
            }
            if (!pem.startsWith(PEM_CERTIFICATE_BEGIN, begin)) {
                throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "PEM block that is not a CERTIFICATE");
            }
            int bodyStart = begin + PEM_CERTIFICATE_BEGIN.length();
            int end = pem.indexOf(PEM_CERTIFICATE_END, bodyStart);
            if (end < 0) {
                throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "unterminated PEM CERTIFICATE block");
            }
            String body = pem.substring(bodyStart, end).replaceAll("[\\r\\n\\t ]", "");
            byte[] der;
            try {
                der = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "PEM body is not base64", e);
            }
            checkCount(certificates.size() + 1);
            certificates.add(parseDer(der));
            position = end + PEM_CERTIFICATE_END.length();
        }
    }

    /** Parses exactly one DER certificate. */
    static X509Certificate parseDer(byte[] der) {
        if (der.length == 0 || derSequenceEnd(der, 0) != der.length) {
            throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "not one DER certificate");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            // The JDK's parser is not specified to fail with CertificateException only.
            throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "certificate does not parse", e);
        }
    }

    /** The subject's single CN, if it has exactly one. */
    static Optional<String> subjectCommonName(X509Certificate certificate) {
        try {
            X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            RDN[] rdns = name.getRDNs(BCStyle.CN);
            if (rdns.length != 1 || rdns[0].isMultiValued()) {
                return Optional.empty();
            }
            ASN1Encodable value = rdns[0].getFirst().getValue();
            return value instanceof ASN1String string ? Optional.of(string.getString()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void checkCount(int count) {
        if (count > MAX_CERTIFICATES) {
            throw new SnpVerificationException(SnpFailure.CERT_CHAIN_TOO_LONG, "more than " + MAX_CERTIFICATES + " certificates");
        }
    }

    /** The end offset of the DER SEQUENCE starting at {@code start}; definite lengths of up to 4 bytes. */
    private static int derSequenceEnd(byte[] bytes, int start) {
        if (bytes.length - start < 2 || bytes[start] != 0x30) {
            throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "certificate does not start with a DER SEQUENCE");
        }
        int first = bytes[start + 1] & 0xFF;
        int headerLength;
        long contentLength;
        if (first < 0x80) {
            headerLength = 2;
            contentLength = first;
        } else {
            int lengthBytes = first & 0x7F;
            if (lengthBytes == 0 || lengthBytes > 4 || bytes.length - start < 2 + lengthBytes) {
                throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "bad DER length");
            }
            headerLength = 2 + lengthBytes;
            contentLength = 0;
            for (int i = 0; i < lengthBytes; i++) {
                contentLength = (contentLength << 8) | (bytes[start + 2 + i] & 0xFF);
            }
        }
        long end = (long) start + headerLength + contentLength;
        if (end > bytes.length) {
            throw new SnpVerificationException(SnpFailure.CERT_PARSE_FAILED, "truncated DER certificate");
        }
        return (int) end;
    }
}
