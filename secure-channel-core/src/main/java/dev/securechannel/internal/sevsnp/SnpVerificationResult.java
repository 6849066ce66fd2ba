package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of verifying one SEV-SNP report: the parsed report, what the chain established
 * (product, VEK kind, VEK certificate) as far as verification got, and the verdict. When
 * {@link #isAccepted()}, product, VEK kind and certificate are all present. Immutable.
 */
public final class SnpVerificationResult {

    private final SnpReport report;
    private final @Nullable SnpProduct product;
    private final @Nullable VekKind vekKind;
    private final @Nullable X509Certificate vekCertificate;
    private final @Nullable SnpVerificationException failure;

    SnpVerificationResult(SnpReport report, @Nullable SnpProduct product, @Nullable VekKind vekKind,
                          @Nullable X509Certificate vekCertificate, @Nullable SnpVerificationException failure) {
        this.report = report;
        this.product = product;
        this.vekKind = vekKind;
        this.vekCertificate = vekCertificate;
        this.failure = failure;
    }

    /** The parsed report (trustworthy only if {@link #isAccepted()}). */
    public SnpReport report() {
        return report;
    }

    /** The product, once the certificate chain named it. */
    public Optional<SnpProduct> product() {
        return Optional.ofNullable(product);
    }

    /** The kind of key that signed the report, from KEY_INFO. */
    public Optional<VekKind> vekKind() {
        return Optional.ofNullable(vekKind);
    }

    /** The VCEK or VLEK certificate used, once classified. */
    public Optional<X509Certificate> vekCertificate() {
        return Optional.ofNullable(vekCertificate);
    }

    /** Whether every check passed. */
    public boolean isAccepted() {
        return failure == null;
    }

    /** Why the report was rejected. */
    public Optional<SnpVerificationException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * REPORTED_TCB in the layout of the product the chain named (the report's own guess otherwise).
     */
    public TcbVersion reportedTcb() {
        return product == null ? report.reportedTcb() : report.reportedTcb(product);
    }

    /**
     * This result if accepted.
     *
     * @throws SnpVerificationException the failure otherwise
     */
    public SnpVerificationResult orThrow() {
        if (failure != null) {
            throw failure;
        }
        return this;
    }

    @Override
    public String toString() {
        return "SnpVerificationResult[" + (failure == null ? "accepted" : "rejected " + failure.failure())
                + ", product=" + product + ", vek=" + vekKind + ", report=" + report + "]";
    }
}
