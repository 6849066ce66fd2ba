package dev.securechannel.internal.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Date;
import java.util.Optional;

/**
 * AMD's CRL check fed any bytes as the Milan CRL, at a time inside the genuine CRL's validity.
 * Contract: a {@link SnpVerificationException} is the only failure; and no CRL passes unless it
 * carries exactly the list AMD's ARK signed (the genuine CRL's signed part): bytes cannot forge
 * a revocation list that hides a revoked intermediate.
 */
class AmdCrlCheckFuzzTest {

    private static final SnpProduct PRODUCT = SnpProduct.MILAN;
    private static final byte[] GENUINE_SIGNED_PART = signedPart(SnpFixtures.crl(PRODUCT));

    @FuzzTest(maxDuration = "10m")
    void acceptsOnlyTheListTheArkSignedOrFailsTyped(byte[] crl) {
        try {
            AmdCrlCheck.check(product -> Optional.of(crl), true, PRODUCT, AmdRootKeys.ark(PRODUCT), SnpFixtures.ask(PRODUCT),
                    Date.from(SnpFixtures.FIXTURE_TIME));
        } catch (SnpVerificationException refused) {
            return;
        }
        assertThat(signedPart(crl)).isEqualTo(GENUINE_SIGNED_PART);
    }

    private static byte[] signedPart(byte[] der) {
        try {
            return ((X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der))).getTBSCertList();
        } catch (Exception e) {
            throw new AssertionError("an accepted CRL must parse", e);
        }
    }
}
