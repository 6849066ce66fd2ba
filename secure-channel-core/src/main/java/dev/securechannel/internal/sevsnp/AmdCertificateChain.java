package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The AMD certificate chain of SEV-SNP evidence (SEV-SNP.md 3.1, 4.2): certificates are
 * classified by subject CN, never by position; the trust anchor is always the pinned ARK of the
 * product the ASK/ASVK names; an ARK in the evidence must have the pinned key.
 */
final class AmdCertificateChain {

    private static final BigInteger P384_ORDER = new BigInteger(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973", 16);
    private static final String ARK_PREFIX = "ARK-";
    private static final String VLEK_INTERMEDIATE_PREFIX = "SEV-VLEK-";
    private static final String ASK_PREFIX = "SEV-";

    /** The evidence's certificates by role. Certificates of the VEK kind the report does not use are ignored. */
    record Classified(@Nullable X509Certificate ark, X509Certificate intermediate, X509Certificate vek, SnpProduct product) {
    }

    private AmdCertificateChain() {
    }

    /**
     * Sorts the certificates into ARK, ASK/ASVK and VEK for {@code kind}.
     *
     * @throws SnpVerificationException CERT_CHAIN_MISSING, CERT_UNKNOWN_SUBJECT, CERT_DUPLICATE,
     *                                  CERT_TYPE_MISSING
     */
    static Classified classify(List<X509Certificate> certificates, VekKind kind) {
        if (certificates.isEmpty()) {
            throw new SnpVerificationException(SnpFailure.CERT_CHAIN_MISSING, "the evidence carries no certificates");
        }
        if (certificates.size() > Certificates.MAX_CERTIFICATES) {
            throw new SnpVerificationException(SnpFailure.CERT_CHAIN_TOO_LONG, certificates.size() + " certificates");
        }
        X509Certificate ark = null;
        X509Certificate ask = null;
        X509Certificate asvk = null;
        X509Certificate vcek = null;
        X509Certificate vlek = null;
        for (X509Certificate certificate : certificates) {
            String cn = Certificates.subjectCommonName(certificate).orElseThrow(() -> new SnpVerificationException(
                    SnpFailure.CERT_UNKNOWN_SUBJECT, "certificate without a single CN: " + certificate.getSubjectX500Principal()));
            if (cn.equals(VekKind.VCEK.commonName())) {
                vcek = unique(vcek, certificate, cn);
            } else if (cn.equals(VekKind.VLEK.commonName())) {
                vlek = unique(vlek, certificate, cn);
            } else if (cn.startsWith(ARK_PREFIX)) {
                productNamed(cn, ARK_PREFIX);
                ark = unique(ark, certificate, cn);
            } else if (cn.startsWith(VLEK_INTERMEDIATE_PREFIX)) {
                productNamed(cn, VLEK_INTERMEDIATE_PREFIX);
                asvk = unique(asvk, certificate, cn);
            } else if (cn.startsWith(ASK_PREFIX)) {
                productNamed(cn, ASK_PREFIX);
                ask = unique(ask, certificate, cn);
            } else {
                throw new SnpVerificationException(SnpFailure.CERT_UNKNOWN_SUBJECT, "certificate CN " + cn + " is not AMD's");
            }
        }
        X509Certificate vek = kind == VekKind.VCEK ? vcek : vlek;
        X509Certificate intermediate = kind == VekKind.VCEK ? ask : asvk;
        if (vek == null) {
            throw new SnpVerificationException(SnpFailure.CERT_TYPE_MISSING, "the report is signed by a " + kind + ", none is present");
        }
        if (intermediate == null) {
            throw new SnpVerificationException(SnpFailure.CERT_TYPE_MISSING,
                    "no " + (kind == VekKind.VCEK ? "ASK" : "ASVK") + " for the " + kind);
        }
        String intermediateCn = Certificates.subjectCommonName(intermediate).orElseThrow();
        SnpProduct product = productNamed(intermediateCn, kind == VekKind.VCEK ? ASK_PREFIX : VLEK_INTERMEDIATE_PREFIX);
        return new Classified(ark, intermediate, vek, product);
    }

    /**
     * Checks an ARK that came with the evidence against the pinned one.
     *
     * @throws SnpVerificationException ARK_NOT_KNOWN if its key is not the pinned key of the
     *                                  product it names, PRODUCT_MISMATCH if it names another product
     */
    static void checkEvidenceArk(X509Certificate ark, SnpProduct product, Map<SnpProduct, X509Certificate> pinned) {
        SnpProduct named = productNamed(Certificates.subjectCommonName(ark).orElseThrow(), ARK_PREFIX);
        X509Certificate pinnedArk = pinned.get(named);
        if (pinnedArk == null
                || !MessageDigest.isEqual(ark.getPublicKey().getEncoded(), pinnedArk.getPublicKey().getEncoded())) {
            throw new SnpVerificationException(SnpFailure.ARK_NOT_KNOWN, "the evidence's ARK-" + named.kdsName() + " is not AMD's pinned key");
        }
        if (named != product) {
            throw new SnpVerificationException(SnpFailure.PRODUCT_MISMATCH,
                    "ARK-" + named.kdsName() + " with an intermediate for " + product.kdsName());
        }
    }

    /**
     * Checks the three validity windows at {@code now}, then the signatures and constraints of
     * VEK ← intermediate ← pinned ARK with the JDK's PKIX validator (revocation is checked
     * separately against AMD's CRL). The ARK's own signature was checked when it was pinned.
     */
    static void validate(X509Certificate pinnedArk, X509Certificate intermediate, X509Certificate vek, Date now) {
        checkValidity(pinnedArk, now, SnpFailure.ARK_NOT_YET_VALID, SnpFailure.ARK_EXPIRED, "ARK");
        checkValidity(intermediate, now, SnpFailure.ASK_NOT_YET_VALID, SnpFailure.ASK_EXPIRED, "ASK/ASVK");
        checkValidity(vek, now, SnpFailure.VEK_NOT_YET_VALID, SnpFailure.VEK_EXPIRED, "VCEK/VLEK");
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(vek, intermediate));
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(pinnedArk, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SnpVerificationException(SnpFailure.CHAIN_SIG_INVALID,
                    "VEK <- intermediate <- ARK does not validate: " + e.getMessage(), e);
        }
    }

    /**
     * The VEK's public key, which must be EC P-384.
     *
     * @throws SnpVerificationException VEK_KEY_UNSUPPORTED otherwise
     */
    static ECPublicKey vekKey(X509Certificate vek) {
        PublicKey key = vek.getPublicKey();
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 384
                && ec.getParams().getOrder().equals(P384_ORDER)) {
            return ec;
        }
        throw new SnpVerificationException(SnpFailure.VEK_KEY_UNSUPPORTED, "the VEK key is not EC P-384: " + key.getAlgorithm());
    }

    /** The product a CN names after {@code prefix}; unknown products are not AMD certificates we can verify. */
    static SnpProduct productNamed(String cn, String prefix) {
        return SnpProduct.fromKdsName(cn.substring(prefix.length())).orElseThrow(() -> new SnpVerificationException(
                SnpFailure.CERT_UNKNOWN_SUBJECT, "certificate CN " + cn + " names no known product"));
    }

    private static void checkValidity(X509Certificate certificate, Date now, SnpFailure notYetValid, SnpFailure expired, String role) {
        try {
            certificate.checkValidity(now);
        } catch (CertificateNotYetValidException e) {
            throw new SnpVerificationException(notYetValid, role + " is valid from " + certificate.getNotBefore().toInstant(), e);
        } catch (CertificateExpiredException e) {
            throw new SnpVerificationException(expired, role + " expired at " + certificate.getNotAfter().toInstant(), e);
        }
    }

    private static X509Certificate unique(@Nullable X509Certificate existing, X509Certificate candidate, String cn) {
        if (existing != null) {
            throw new SnpVerificationException(SnpFailure.CERT_DUPLICATE, "two certificates with CN " + cn);
        }
        return candidate;
    }
}
