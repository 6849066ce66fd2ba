package dev.securechannel.attestation.sevsnp.collateral;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Certificate and CRL decoding shared by the collateral sources; failures are {@link IOException}s. */
final class X509Parsing {

    private X509Parsing() {
    }

    /** Every certificate in a PEM bundle or in one or more concatenated DER certificates. */
    static List<X509Certificate> certificates(byte[] encoded, String source) throws IOException {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : factory().generateCertificates(new ByteArrayInputStream(encoded))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IOException(source + " holds no certificate");
            }
            return List.copyOf(certificates);
        } catch (CertificateException | RuntimeException e) {
            throw new IOException(source + " is not a PEM or DER certificate bundle", e);
        }
    }

    /** A DER (or PEM) CRL. */
    static X509CRL crl(byte[] encoded, String source) throws IOException {
        try {
            return (X509CRL) factory().generateCRL(new ByteArrayInputStream(encoded));
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new IOException(source + " is not a CRL", e);
        }
    }

    /** The subject's single CN, if it has exactly one. */
    static Optional<String> subjectCommonName(X509Certificate certificate) {
        return commonName(certificate.getSubjectX500Principal().getEncoded());
    }

    /** The issuer's single CN, if it has exactly one. */
    static Optional<String> issuerCommonName(X509Certificate certificate) {
        return commonName(certificate.getIssuerX500Principal().getEncoded());
    }

    /** Whether {@code issuer}'s key verifies {@code subject}'s signature. */
    static boolean isSignedBy(X509Certificate subject, X509Certificate issuer) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<String> commonName(byte[] encodedName) {
        try {
            RDN[] rdns = X500Name.getInstance(encodedName).getRDNs(BCStyle.CN);
            if (rdns.length != 1 || rdns[0].isMultiValued()) {
                return Optional.empty();
            }
            ASN1Encodable value = rdns[0].getFirst().getValue();
            return value instanceof ASN1String string ? Optional.of(string.getString()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static CertificateFactory factory() throws CertificateException {
        return CertificateFactory.getInstance("X.509");
    }
}
