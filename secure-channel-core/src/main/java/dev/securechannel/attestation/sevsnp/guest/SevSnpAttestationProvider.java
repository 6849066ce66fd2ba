package dev.securechannel.attestation.sevsnp.guest;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.collateral.SnpCollateralSource;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import dev.securechannel.internal.sevsnp.SnpReport;
import dev.securechannel.internal.sevsnp.VekKind;
import dev.securechannel.internal.sevsnp.guest.SnpCertificateTable;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Produces {@code SEV_SNP_V1} evidence on an SEV-SNP guest outside Azure (SEV-SNP.md sections
 * 6 and 7.1): REPORT_DATA = {@code publicKey(32) || nonce(32)}, raw, zeros for a missing value;
 * the report from a {@link SnpReportDevice} (normally {@link SnpReportDevice#configfsTsm()}); the
 * certificates from the host's certificate table when it holds a whole chain (VCEK or VLEK, ASK,
 * ARK), otherwise the VCEK chain from the collateral source (AMD KDS behind a
 * {@link dev.securechannel.attestation.sevsnp.collateral.CollateralCache}, or offline files),
 * because verifiers such as the Rust reference require the chain in the document. Only
 * certificates go into the document, never other certificate-table entries.
 *
 * <p>Thread-safe: it keeps no state between calls; concurrency is the device's and the
 * collateral source's concern.
 */
public final class SevSnpAttestationProvider implements AttestationProvider {

    /** The provider type in configuration, health and metrics. */
    public static final String TYPE = "sev-snp";
    /** The platform name shown to operators. */
    public static final String PLATFORM = "SEV-SNP";

    private static final System.Logger LOG = System.getLogger(SevSnpAttestationProvider.class.getName());

    private final SnpReportDevice device;
    private final @Nullable SnpCollateralSource collateral;
    private final @Nullable SnpProduct productHint;

    /**
     * @param device     where reports come from
     * @param collateral where the VCEK chain comes from when the host supplies none; {@code null}
     *                   to require the host's certificate table
     */
    public SevSnpAttestationProvider(SnpReportDevice device, @Nullable SnpCollateralSource collateral) {
        this(device, collateral, null);
    }

    /**
     * @param productHint the chip's product for version 2 reports, which carry no CPUID; ignored
     *                    when the report names its product
     */
    public SevSnpAttestationProvider(SnpReportDevice device, @Nullable SnpCollateralSource collateral, @Nullable SnpProduct productHint) {
        this.device = device;
        this.collateral = collateral;
        this.productHint = productHint;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    /**
     * @throws IllegalArgumentException if the public key or nonce is not 32 bytes, or user data is given
     * @throws SnpEvidenceException     if the device or the certificate sources fail
     * @throws IOException              if the device's files fail
     */
    @Override
    public AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) throws IOException {
        byte[] reportData = ReportDataBinding.publicKeyThenNonce(userData, nonce, publicKey);
        SnpExtendedReport extended = device.requestReport(reportData);
        byte[] reportBytes = extended.report();
        SnpReport report;
        try {
            report = SnpReport.parse(reportBytes);
        } catch (SnpVerificationException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_REPORT, "the device returned an unusable report: " + e.getMessage(), e);
        }
        if (!Arrays.equals(report.reportData(), reportData)) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_REPORT, "the device returned a report for other REPORT_DATA");
        }
        List<X509Certificate> chain = certificates(hostCertificateTable(extended), report);
        return new AttestationDocument(SevSnpDocument.of(reportBytes, chain).encode());
    }

    /**
     * The host's certificate table; a malformed one is ignored when a collateral source can
     * supply the chain instead, since the host, not this guest, got it wrong.
     */
    private SnpCertificateTable hostCertificateTable(SnpExtendedReport extended) {
        try {
            return SnpCertificateTable.parse(extended.certificateTable());
        } catch (SnpEvidenceException e) {
            if (collateral == null) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "ignoring the host certificate table and using the collateral source: " + e.getMessage());
            return SnpCertificateTable.empty();
        }
    }

    private List<X509Certificate> certificates(SnpCertificateTable table, SnpReport report) {
        if (table.hasCompleteChain()) {
            return table.certificates();
        }
        String why = table.isEmpty() ? "the host supplied no certificates" : "the host's certificate table lacks part of the chain";
        if (collateral == null) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE, why + " and no collateral source is configured");
        }
        if (report.signingKey().orElse(VekKind.VCEK) == VekKind.VLEK) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE, why
                    + "; the report is signed by a VLEK, which only the host can supply");
        }
        Optional<SnpProduct> product = report.product().or(() -> Optional.ofNullable(productHint));
        if (product.isEmpty()) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE, why + "; the version " + report.version()
                    + " report names no product (no CPUID), so configure the chip's product");
        }
        if (report.isChipIdMasked()) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE, why
                    + "; the host masks CHIP_ID, so no VCEK can be looked up");
        }
        try {
            return collateral.chainFor(product.get(), report.chipId(), report.reportedTcb(product.get()));
        } catch (IOException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE, why + " and the collateral source failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SevSnpAttestationProvider[" + device + (collateral == null ? "" : ", " + collateral) + "]";
    }
}
