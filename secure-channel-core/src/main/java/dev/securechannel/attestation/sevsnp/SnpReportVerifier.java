package dev.securechannel.attestation.sevsnp;

import dev.securechannel.internal.sevsnp.AzureSnpVerificationResult;
import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SevSnpVerifier;
import dev.securechannel.internal.sevsnp.SnpFirmwareVersion;
import dev.securechannel.internal.sevsnp.SnpGuestPolicy;
import dev.securechannel.internal.sevsnp.SnpPlatformInfo;
import dev.securechannel.internal.sevsnp.SnpReport;
import dev.securechannel.internal.sevsnp.SnpVerificationResult;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a bare SEV-SNP report or an Azure HCL report offline, outside a handshake, and
 * returns a {@link SnpReportVerdict} with every field read, accepted or not: for tools that
 * show why evidence was rejected, such as the {@code secure-channel verify-sev-snp} command.
 *
 * <p>The checks are those of {@link SevSnpAttestationVerifier} and
 * {@link AzureSevSnpAttestationVerifier}: structure, the AMD certificate chain to the pinned ARK,
 * the CRL, the report signature, the VCEK/VLEK binding, the {@link SnpPolicy}, and for Azure the
 * binding of REPORT_DATA to the runtime claims. Unlike those adapters it binds nothing to a
 * handshake and never throws on bad evidence: evidence that does not even parse is a rejected
 * verdict. Immutable and thread-safe if the {@link CrlSource} is.
 */
public final class SnpReportVerifier {

    /** The size of an ATTESTATION_REPORT, whatever its version. */
    public static final int REPORT_LENGTH = SnpReport.LENGTH;

    private static final HexFormat HEX = HexFormat.of();

    private final SnpPolicy policy;
    private final CrlSource crlSource;
    private final Clock clock;

    /**
     * A verifier trusting AMD's pinned ARKs.
     *
     * @param policy    what the guest must satisfy
     * @param crlSource the AMD CRLs
     * @param clock     the time certificates and CRLs are judged at
     */
    public SnpReportVerifier(SnpPolicy policy, CrlSource crlSource, Clock clock) {
        this.policy = Objects.requireNonNull(policy);
        this.crlSource = Objects.requireNonNull(crlSource);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Verifies a raw ATTESTATION_REPORT.
     *
     * @param report       the 1184 bytes as the firmware produced them; another length or an
     *                     unknown VERSION is a verdict without report fields
     *                     ({@link SnpFailure#REPORT_PARSE_FAILED}, {@link SnpFailure#REPORT_VERSION_UNSUPPORTED})
     * @param certificates the VCEK or VLEK, its ASK or ASVK and optionally the ARK, in any order
     */
    public SnpReportVerdict verifyReport(byte[] report, List<X509Certificate> certificates) {
        Instant verifiedAt = clock.instant();
        SnpReport parsed;
        try {
            parsed = SnpReport.parse(report);
        } catch (SnpVerificationException unreadable) {
            return new SnpReportVerdict(SnpReportVerdict.Evidence.SNP_REPORT, verifiedAt, null, null, null, null, unreadable);
        }
        SnpVerificationResult result = engineAt(verifiedAt).evaluate(parsed, certificates);
        return verdict(SnpReportVerdict.Evidence.SNP_REPORT, verifiedAt, result, null, result.failure().orElse(null));
    }

    /**
     * Verifies an Azure HCL report: its SNP report as {@link #verifyReport} does, then
     * REPORT_DATA = hash(runtime claims) followed by zeros, then a well-formed {@code user-data}
     * if the claims carry one. Claims without {@code user-data} are accepted here: only a
     * handshake needs it.
     *
     * @param hclReport    the content of vTPM NV index 0x01400001; one that does not parse is a
     *                     verdict without fields, one whose SNP report does not parse keeps its
     *                     {@link SnpReportVerdict#azure() HCL fields}
     * @param certificates the VCEK or VLEK, its ASK or ASVK and optionally the ARK, in any order
     */
    public SnpReportVerdict verifyHclReport(byte[] hclReport, List<X509Certificate> certificates) {
        Instant verifiedAt = clock.instant();
        HclReport parsed;
        try {
            parsed = HclReport.parse(hclReport);
        } catch (SnpVerificationException unreadable) {
            return new SnpReportVerdict(SnpReportVerdict.Evidence.AZURE_HCL_REPORT, verifiedAt, null, null, null, null, unreadable);
        }
        SnpReportVerdict.Azure azure = azure(parsed);
        AzureSnpVerificationResult result;
        try {
            result = engineAt(verifiedAt).evaluateAzure(parsed, certificates);
        } catch (SnpVerificationException embeddedReportUnreadable) {
            return new SnpReportVerdict(SnpReportVerdict.Evidence.AZURE_HCL_REPORT, verifiedAt, null, null, azure, null,
                    embeddedReportUnreadable);
        }
        return verdict(SnpReportVerdict.Evidence.AZURE_HCL_REPORT, verifiedAt, result.snp(), azure, result.failure().orElse(null));
    }

    /** The engine at one fixed instant, so that the verdict names exactly the instant the chain was judged at. */
    private SevSnpVerifier engineAt(Instant instant) {
        return new SevSnpVerifier(policy, crlSource, Clock.fixed(instant, clock.getZone()));
    }

    private static SnpReportVerdict verdict(SnpReportVerdict.Evidence evidence, Instant verifiedAt, SnpVerificationResult result,
                                            SnpReportVerdict.@Nullable Azure azure, @Nullable SnpVerificationException failure) {
        SnpReport report = result.report();
        SnpProduct product = result.product().or(report::product).orElse(null);
        return new SnpReportVerdict(evidence, verifiedAt, fields(report, product), product, azure,
                result.vekCertificate().orElse(null), failure);
    }

    private static SnpReportVerdict.Report fields(SnpReport report, @Nullable SnpProduct product) {
        return new SnpReportVerdict.Report(
                report.version(),
                report.guestSvn(),
                policy(report.policy()),
                HEX.formatHex(report.familyId()),
                HEX.formatHex(report.imageId()),
                report.vmpl(),
                report.signatureAlgorithm(),
                platformInfo(report.platformInfo()),
                keyInfo(report),
                // Without a product (a version 2 report whose chain was not read) the report's own guess, Milan/Genoa.
                product == null ? report.currentTcb() : report.currentTcb(product),
                product == null ? report.reportedTcb() : report.reportedTcb(product),
                product == null ? report.committedTcb() : report.committedTcb(product),
                product == null ? report.launchTcb() : report.launchTcb(product),
                firmware(report.currentFirmware()),
                firmware(report.committedFirmware()),
                cpuid(report),
                HEX.formatHex(report.reportData()),
                HEX.formatHex(report.measurement()),
                HEX.formatHex(report.hostData()),
                HEX.formatHex(report.idKeyDigest()),
                HEX.formatHex(report.authorKeyDigest()),
                HEX.formatHex(report.reportId()),
                HEX.formatHex(report.reportIdMa()),
                HEX.formatHex(report.chipId()),
                report.launchMitigationVector(),
                report.currentMitigationVector());
    }

    private static SnpReportVerdict.GuestPolicy policy(SnpGuestPolicy policy) {
        return new SnpReportVerdict.GuestPolicy(policy.value(), policy.abiMajor(), policy.abiMinor(), policy.smtAllowed(),
                policy.migrationAgentAllowed(), policy.debugAllowed(), policy.singleSocketRequired(), policy.cxlAllowed(),
                policy.memAes256XtsRequired(), policy.raplDisabledRequired(), policy.ciphertextHidingRequired(),
                policy.pageSwapDisabled(), policy.reservedBitsValid());
    }

    private static SnpReportVerdict.PlatformInfo platformInfo(SnpPlatformInfo info) {
        return new SnpReportVerdict.PlatformInfo(info.value(), info.smtEnabled(), info.tsmeEnabled(), info.eccEnabled(),
                info.raplDisabled(), info.ciphertextHidingEnabled(), info.aliasCheckComplete(), info.tioEnabled());
    }

    private static SnpReportVerdict.KeyInfo keyInfo(SnpReport report) {
        SnpReportVerdict.SigningKey signingKey = report.signingKey()
                .map(kind -> SnpReportVerdict.SigningKey.valueOf(kind.name())).orElse(null);
        return new SnpReportVerdict.KeyInfo(report.keyInfo(), report.authorKeyEnabled(), report.maskChipKey(),
                report.signingKeySelector(), signingKey);
    }

    private static SnpReportVerdict.@Nullable Cpuid cpuid(SnpReport report) {
        if (report.cpuidFamily().isEmpty()) {
            return null; // version 2 reports have none
        }
        return new SnpReportVerdict.Cpuid(report.cpuidFamily().getAsInt(), report.cpuidModel().orElseThrow(),
                report.cpuidStepping().orElseThrow());
    }

    private static SnpReportVerdict.FirmwareVersion firmware(SnpFirmwareVersion version) {
        return new SnpReportVerdict.FirmwareVersion(version.major(), version.minor(), version.build());
    }

    private static SnpReportVerdict.Azure azure(HclReport hclReport) {
        return new SnpReportVerdict.Azure(hclReport.runtimeClaims(), userDataHex(hclReport),
                hclReport.hashType().name().replace('_', '-'), hclReport.headerVersion());
    }

    /** The decoded {@code user-data} in lower case; null if absent or unreadable, which the verdict reports once the binding is checked. */
    private static @Nullable String userDataHex(HclReport hclReport) {
        try {
            return hclReport.userData().map(HEX::formatHex).orElse(null);
        } catch (SnpVerificationException e) {
            return null;
        }
    }
}
