package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.internal.sevsnp.AzureSnpVerificationResult;
import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SevSnpVerifier;
import dev.securechannel.internal.sevsnp.SnpReport;
import dev.securechannel.internal.sevsnp.SnpVerificationResult;
import dev.securechannel.internal.sevsnp.VekKind;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@code verify-sev-snp} run, with everything parsed or established on the
 * way, so that a rejected report still shows its fields.
 *
 * @param kind       raw SNP report or Azure HCL report
 * @param verifiedAt the verifier's clock
 * @param report     the parsed SNP report, or null if it did not parse
 * @param product    the product the certificate chain named, else the report's CPUID, else null
 * @param hclReport  the parsed HCL report (Azure only), or null
 * @param vekKind    the key KEY_INFO names, once the report's structure was checked
 * @param vek        the VCEK or VLEK certificate, once the chain was classified
 * @param failure    why the evidence was rejected, or null if it was accepted
 */
record Verdict(EvidenceKind kind, Instant verifiedAt, @Nullable SnpReport report, @Nullable SnpProduct product,
               @Nullable HclReport hclReport, @Nullable VekKind vekKind, @Nullable X509Certificate vek,
               @Nullable SnpVerificationException failure) {

    /** Which evidence format was verified; the JSON {@code kind}. */
    enum EvidenceKind {
        RAW("sev-snp"),
        AZURE("sev-snp-azure");

        private final String jsonName;

        EvidenceKind(String jsonName) {
            this.jsonName = jsonName;
        }

        String jsonName() {
            return jsonName;
        }
    }

    /** Parses and verifies a raw report; a report that does not parse is a rejection, not an error. */
    static Verdict ofRawReport(SevSnpVerifier verifier, Instant verifiedAt, byte[] reportBytes, List<X509Certificate> certificates) {
        SnpReport report;
        try {
            report = SnpReport.parse(reportBytes);
        } catch (SnpVerificationException e) {
            return new Verdict(EvidenceKind.RAW, verifiedAt, null, null, null, null, null, e);
        }
        SnpVerificationResult result = verifier.evaluate(report, certificates);
        return fromSnpResult(EvidenceKind.RAW, verifiedAt, null, result, result.failure().orElse(null));
    }

    /** Parses and verifies an Azure HCL report; evidence that does not parse is a rejection, not an error. */
    static Verdict ofHclReport(SevSnpVerifier verifier, Instant verifiedAt, byte[] hclBytes, List<X509Certificate> certificates) {
        HclReport hclReport;
        try {
            hclReport = HclReport.parse(hclBytes);
        } catch (SnpVerificationException e) {
            return new Verdict(EvidenceKind.AZURE, verifiedAt, null, null, null, null, null, e);
        }
        AzureSnpVerificationResult result;
        try {
            result = verifier.evaluateAzure(hclReport, certificates);
        } catch (SnpVerificationException embeddedReportUnparsable) {
            return new Verdict(EvidenceKind.AZURE, verifiedAt, null, null, hclReport, null, null, embeddedReportUnparsable);
        }
        return fromSnpResult(EvidenceKind.AZURE, verifiedAt, hclReport, result.snp(), result.failure().orElse(null));
    }

    /** Whether every check passed. */
    boolean accepted() {
        return failure == null;
    }

    private static Verdict fromSnpResult(EvidenceKind kind, Instant verifiedAt, @Nullable HclReport hclReport,
                                         SnpVerificationResult result, @Nullable SnpVerificationException failure) {
        SnpReport report = result.report();
        SnpProduct product = result.product().or(report::product).orElse(null);
        return new Verdict(kind, verifiedAt, report, product, hclReport, result.vekKind().orElse(null),
                result.vekCertificate().orElse(null), failure);
    }
}
