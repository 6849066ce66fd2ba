package dev.securechannel.attestation.sevsnp.collateral;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The bodies AMD's KDS and Azure's IMDS answer with, fed to the same parsing code the clients
 * run on a response (the network left out). Contract for any bytes: an {@link IOException} is
 * the only failure, so a bad answer is a collateral source failing, never a runtime exception
 * escaping into the verifier; what parses is usable.
 */
class CollateralResponsesFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void kdsCertificatesAndCrlsParseOrFailWithIoException(byte[] body) {
        try {
            List<X509Certificate> certificates = X509Parsing.certificates(body, "fuzzed KDS body");
            assertThat(certificates).isNotEmpty();
            for (X509Certificate certificate : certificates) {
                X509Parsing.subjectCommonName(certificate);
                X509Parsing.issuerCommonName(certificate);
                X509Parsing.isSignedBy(certificate, certificate);
            }
        } catch (IOException refused) {
            // The only failure allowed.
        }
        try {
            X509CRL crl = X509Parsing.crl(body, "fuzzed KDS CRL");
            assertThat(crl).isNotNull();
        } catch (IOException refused) {
            // The only failure allowed.
        }
    }

    @FuzzTest(maxDuration = "10m")
    void imdsCertificationParsesOrFailsWithIoException(byte[] body) {
        ThimCertification certification;
        try {
            certification = ImdsThimClient.certification(body);
        } catch (IOException refused) {
            return;
        }
        assertThat(certification.tcbRaw()).hasSize(8);
        assertThat(certification.pemChain()).startsWith(certification.vcekCert());
        try {
            assertThat(certification.certificates()).isNotEmpty();
        } catch (IOException refused) {
            // The certificate text may still be anything.
        }
    }
}
