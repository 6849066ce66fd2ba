package dev.securechannel.attestation.sevsnp.guest;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.collateral.ImdsThimClient;
import dev.securechannel.attestation.sevsnp.collateral.ThimCertification;
import dev.securechannel.internal.sevsnp.AzureSnpDocument;
import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SnpReport;
import dev.securechannel.internal.sevsnp.guest.AzureVtpmReportDevice;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Produces {@code AZ_SNP_V1} evidence in an Azure confidential VM (SEV-SNP.md sections 5 and
 * 7.1): the user data {@code publicKey(32) || nonce(32)} goes through the vTPM mailbox
 * (NV indexes 0x01400002 and 0x01400001), which returns an HCL report whose runtime claims carry it and
 * whose REPORT_DATA hashes those claims; the VCEK chain comes from Azure IMDS THIM and is sent as
 * {@code vcekCert + "\n" + certificateChain}, as the Rust reference does.
 *
 * <p>The THIM answer is reused while its {@code tcbm} equals the report's REPORTED_TCB: a
 * VCEK changes only with the TCB, and this spares IMDS a request per handshake. Thread-safe.
 */
public final class AzureSevSnpAttestationProvider implements AttestationProvider {

    /** The provider type in configuration, health and metrics. */
    public static final String TYPE = "sev-snp-azure";
    /** The platform name shown to operators. */
    public static final String PLATFORM = "SEV-SNP (Azure)";

    private final AzureVtpmReportDevice device;
    private final ImdsThimClient thim;
    private final AtomicReference<@Nullable ThimCertification> lastCertification = new AtomicReference<>();

    /**
     * Uses the vTPM through {@link TpmDevice#linux()}, re-reading a stale report every 2 seconds
     * (the paravisor's refresh period) at most 5 times.
     *
     * @param thim the IMDS THIM client
     */
    public AzureSevSnpAttestationProvider(ImdsThimClient thim) {
        this(new AzureVtpmReportDevice(), thim);
    }

    /**
     * @param tpm                   the vTPM, normally {@link TpmDevice#linux()}
     * @param reportRefreshInterval the least time between two reads of the HCL report, and so
     *                              the wait before re-reading a stale one (the paravisor
     *                              refreshes it at most every 2 seconds)
     * @param maxReportReads        reads of the report before a stale one is an error (at least 1)
     * @param thim                  the IMDS THIM client
     * @throws IllegalArgumentException if the interval is negative or {@code maxReportReads} is below 1
     */
    public AzureSevSnpAttestationProvider(TpmDevice tpm, Duration reportRefreshInterval, int maxReportReads, ImdsThimClient thim) {
        this(new AzureVtpmReportDevice(tpm, reportRefreshInterval, maxReportReads), thim);
    }

    private AzureSevSnpAttestationProvider(AzureVtpmReportDevice device, ImdsThimClient thim) {
        this.device = device;
        this.thim = thim;
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
     * @throws SnpEvidenceException     if the vTPM flow fails (TPM errors, stale or malformed report)
     *                                  or IMDS does not answer
     * @throws IOException              if the TPM device fails
     */
    @Override
    public AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) throws IOException {
        byte[] boundData = ReportDataBinding.publicKeyThenNonce(userData, nonce, publicKey);
        byte[] hclReport = device.hclReport(boundData);
        byte[] reportedTcb;
        try {
            reportedTcb = SnpReport.parse(HclReport.parse(hclReport).snpReport()).reportedTcb().raw();
        } catch (SnpVerificationException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_REPORT, "the vTPM returned an unusable HCL report: " + e.getMessage(), e);
        }
        ThimCertification certification = certificationFor(reportedTcb);
        return new AttestationDocument(new AzureSnpDocument(hclReport, certification.pemChain()).encode());
    }

    private ThimCertification certificationFor(byte[] reportedTcb) {
        ThimCertification cached = lastCertification.get();
        if (cached != null && Arrays.equals(cached.tcbRaw(), reportedTcb)) {
            return cached;
        }
        try {
            ThimCertification fetched = thim.fetch();
            lastCertification.set(fetched);
            return fetched;
        } catch (IOException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CERTIFICATES_UNAVAILABLE, "Azure IMDS THIM: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AzureSevSnpAttestationProvider[" + device + ", " + thim + "]";
    }
}
