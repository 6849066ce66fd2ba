package dev.securechannel.attestation.sevsnp.collateral;

import dev.securechannel.testing.SharedFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** The real SEV-SNP fixtures under {@code testdata/fixtures/sev-snp}, read for tests of both guest-side packages. */
public final class SnpFixtureFiles {

    /** Milan v3 (project-oak): CPUID names the product, REPORT_DATA is 64 non-zero bytes. */
    public static final String MILAN_V3_REPORT = "project-oak/_derived/milan-report.bin";
    public static final String MILAN_V3_VCEK = "project-oak/_derived/milan-vcek.der";
    /** Genoa v5 (project-oak). */
    public static final String GENOA_V5_REPORT = "project-oak/_derived/genoa-report.bin";
    public static final String GENOA_V5_VCEK = "project-oak/_derived/genoa-vcek.der";
    /** A real Turin VCEK without a report: hwID 1e550a8ee5cf9f4d, fmc/bl/tee/snp 0, ucode 9. */
    public static final String TURIN_VCEK = "virtee-sev/tests/certs_data/vcek_turin.der";
    /** Azure Milan v3 HCL report whose claims carry upper-case non-zero user-data. */
    public static final String AZURE_USERDATA_HCL = "trustee/_derived/azure-milan-userdata-hcl-report.bin";
    public static final String AZURE_USERDATA_VCEK = "trustee/_derived/azure-milan-userdata-vcek.der";

    private SnpFixtureFiles() {
    }

    /** A file under {@code fixtures/sev-snp}. */
    public static Path path(String relative) {
        return SharedFiles.path("fixtures/sev-snp/" + relative);
    }

    /** The bytes of a fixture file. */
    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every certificate of a PEM or DER fixture file. */
    public static List<X509Certificate> certificates(String relative) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes(relative)))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one certificate of a fixture file. */
    public static X509Certificate certificate(String relative) {
        List<X509Certificate> certificates = certificates(relative);
        if (certificates.size() != 1) {
            throw new IllegalStateException(relative + " holds " + certificates.size() + " certificates");
        }
        return certificates.get(0);
    }

    /** A certificate as PEM text with LF line ends. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes {@code [offset, offset + length)} of a byte array as lower-case hex. */
    public static String hex(byte[] bytes, int offset, int length) {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }
}
