package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Optional;

/**
 * AMD's CRL check (SEV-SNP.md 3.4): the CRL is issued and signed by the ARK, current at the
 * verifier's clock, and must not list the ASK or ASVK. VCEKs and VLEKs (serial 0, issued by
 * the intermediate) are not in the ARK's CRL; AMD supersedes them with TCB versions instead.
 */
final class AmdCrlCheck {

    private AmdCrlCheck() {
    }

    /**
     * @throws SnpVerificationException CRL_UNAVAILABLE, CRL_MISSING, CRL_PARSE_FAILED,
     *                                  CRL_ISSUER_MISMATCH, CRL_SIG_INVALID, CRL_NOT_YET_VALID,
     *                                  CRL_EXPIRED or ASK_REVOKED
     */
    static void check(CrlSource source, boolean required, SnpProduct product, X509Certificate pinnedArk,
                      X509Certificate intermediate, Date now) {
        Optional<byte[]> der;
        try {
            der = source.crlDer(product);
        } catch (IOException e) {
            throw new SnpVerificationException(SnpFailure.CRL_UNAVAILABLE, "the " + product.kdsName() + " CRL could not be obtained", e);
        }
        if (der.isEmpty()) {
            if (required) {
                throw new SnpVerificationException(SnpFailure.CRL_MISSING, "the policy requires a CRL and none is available for " + product.kdsName());
            }
            return;
        }
        X509CRL crl = parse(der.get());
        if (!crl.getIssuerX500Principal().equals(pinnedArk.getSubjectX500Principal())) {
            throw new SnpVerificationException(SnpFailure.CRL_ISSUER_MISMATCH,
                    "CRL issuer " + crl.getIssuerX500Principal() + " is not ARK-" + product.kdsName());
        }
        try {
            crl.verify(pinnedArk.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SnpVerificationException(SnpFailure.CRL_SIG_INVALID, "CRL signature does not verify with ARK-" + product.kdsName(), e);
        }
        if (crl.getThisUpdate().after(now)) {
            throw new SnpVerificationException(SnpFailure.CRL_NOT_YET_VALID, "CRL thisUpdate " + crl.getThisUpdate().toInstant() + " is after now");
        }
        Date nextUpdate = crl.getNextUpdate();
        if (nextUpdate == null) {
            throw new SnpVerificationException(SnpFailure.CRL_EXPIRED, "CRL has no nextUpdate, so it never goes stale; refused");
        }
        if (nextUpdate.before(now)) {
            throw new SnpVerificationException(SnpFailure.CRL_EXPIRED, "CRL nextUpdate " + nextUpdate.toInstant() + " has passed");
        }
        if (crl.getRevokedCertificate(intermediate.getSerialNumber()) != null) {
            throw new SnpVerificationException(SnpFailure.ASK_REVOKED,
                    "ARK-" + product.kdsName() + " revoked the intermediate with serial 0x" + intermediate.getSerialNumber().toString(16));
        }
    }

    private static X509CRL parse(byte[] der) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SnpVerificationException(SnpFailure.CRL_PARSE_FAILED, "CRL does not parse", e);
        }
    }
}
