package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of verifying an Azure HCL report: the SNP result, the HCL report with its runtime
 * claims, and the {@code user-data} the claims bind. The verdict is the SNP verdict followed by
 * the REPORT_DATA and user-data checks. Immutable.
 */
public final class AzureSnpVerificationResult {

    private final HclReport hclReport;
    private final SnpVerificationResult snp;
    private final byte @Nullable [] userData;
    private final @Nullable SnpVerificationException failure;

    AzureSnpVerificationResult(HclReport hclReport, SnpVerificationResult snp, byte @Nullable [] userData,
                               @Nullable SnpVerificationException failure) {
        this.hclReport = hclReport;
        this.snp = snp;
        this.userData = userData == null ? null : userData.clone();
        this.failure = failure;
    }

    /** The parsed HCL report. */
    public HclReport hclReport() {
        return hclReport;
    }

    /** The verification of the embedded SNP report. */
    public SnpVerificationResult snp() {
        return snp;
    }

    /** The runtime claims exactly as found in the HCL report. */
    public byte[] runtimeClaims() {
        return hclReport.runtimeClaims();
    }

    /**
     * The runtime claims flattened for display (see {@link HclReport#claims()}); empty if they are not valid JSON.
     */
    public Map<String, String> claims() {
        try {
            return hclReport.claims();
        } catch (SnpVerificationException e) {
            return Map.of();
        }
    }

    /** The 64 bytes of {@code user-data}, once REPORT_DATA was shown to bind the claims. */
    public Optional<byte[]> userData() {
        return Optional.ofNullable(userData).map(byte[]::clone);
    }

    /** Whether every check passed. */
    public boolean isAccepted() {
        return failure == null;
    }

    /** Why the evidence was rejected. */
    public Optional<SnpVerificationException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * This result if accepted.
     *
     * @throws SnpVerificationException the failure otherwise
     */
    public AzureSnpVerificationResult orThrow() {
        if (failure != null) {
            throw failure;
        }
        return this;
    }

    @Override
    public String toString() {
        return "AzureSnpVerificationResult[" + (failure == null ? "accepted" : "rejected " + failure.failure())
                + ", snp=" + snp + "]";
    }
}
