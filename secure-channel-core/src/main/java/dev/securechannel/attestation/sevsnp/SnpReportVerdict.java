package dev.securechannel.attestation.sevsnp;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SnpReportVerifier} found: the verdict on one SEV-SNP report or Azure HCL report,
 * and every field read on the way, so that a rejected report can still be shown. Parts that
 * verification did not reach are {@code null}; nothing here is trustworthy unless
 * {@link #accepted()}.
 *
 * <p>Byte fields of the report are lower-case hex, as the SPI adapters' claims carry them;
 * words such as POLICY come with their decoded bits.
 *
 * @param evidence       which kind of evidence was verified
 * @param verifiedAt     the instant the certificates and the CRL were judged at
 * @param report         the SNP report's fields, or {@code null} if the report did not parse
 * @param product        the product the certificate chain named, else the one the report's CPUID
 *                       names, else {@code null} (a version 2 report before its chain was read)
 * @param azure          the HCL report's own fields ({@link Evidence#AZURE_HCL_REPORT} only),
 *                       or {@code null} if it did not parse or the evidence is a bare report
 * @param vekCertificate the VCEK or VLEK that the report names (see {@link KeyInfo#signingKey()}),
 *                       once the certificates were sorted out, else {@code null}
 * @param failure        why the evidence was rejected, or {@code null} if it was accepted
 */
public record SnpReportVerdict(
        Evidence evidence,
        Instant verifiedAt,
        @Nullable Report report,
        @Nullable SnpProduct product,
        @Nullable Azure azure,
        @Nullable X509Certificate vekCertificate,
        @Nullable SnpVerificationException failure) {

    /** Whether every check passed. */
    public boolean accepted() {
        return failure == null;
    }

    /** The two evidence formats {@link SnpReportVerifier} reads. */
    public enum Evidence {
        /** A bare 1184-byte ATTESTATION_REPORT with its AMD certificates. */
        SNP_REPORT,
        /** An Azure confidential VM HCL report (vTPM NV index 0x01400001): an SNP report bound to runtime claims. */
        AZURE_HCL_REPORT
    }

    /** The key KEY_INFO.SIGNING_KEY names. */
    public enum SigningKey {
        /** The chip-unique Versioned Chip Endorsement Key, issued by the ASK. */
        VCEK,
        /** The cloud provider's Versioned Loaded Endorsement Key, issued by the ASVK. */
        VLEK
    }

    /**
     * The fields of an ATTESTATION_REPORT (SEV-SNP.md 2.1), named after AMD's, as read from the
     * received bytes. TCB values are in the layout of {@link SnpReportVerdict#product()}, and in
     * the Milan/Genoa layout while the product is unknown.
     *
     * @param version                 VERSION, 2 to 5
     * @param guestSvn                GUEST_SVN, unsigned
     * @param policy                  the guest POLICY
     * @param familyId                FAMILY_ID (16 bytes, hex)
     * @param imageId                 IMAGE_ID (16 bytes, hex)
     * @param vmpl                    VMPL, unsigned; 0xFFFFFFFF for a report the host requested
     * @param signatureAlgorithm      SIGNATURE_ALGO, unsigned; 1 is ECDSA P-384 with SHA-384
     * @param platformInfo            PLATFORM_INFO
     * @param keyInfo                 KEY_INFO
     * @param currentTcb              CURRENT_TCB
     * @param reportedTcb             REPORTED_TCB, the TCB the VCEK/VLEK was derived for
     * @param committedTcb            COMMITTED_TCB, the anti-rollback floor
     * @param launchTcb               LAUNCH_TCB, current when the guest launched
     * @param currentFirmware         the firmware version running (CURRENT_MAJOR.MINOR.BUILD)
     * @param committedFirmware       the committed firmware version
     * @param cpuid                   CPUID family, model and stepping; {@code null} in a version 2 report
     * @param reportData              REPORT_DATA (64 bytes, hex), chosen by the guest
     * @param measurement             MEASUREMENT (48 bytes, hex), the launch digest
     * @param hostData                HOST_DATA (32 bytes, hex)
     * @param idKeyDigest             ID_KEY_DIGEST (48 bytes, hex)
     * @param authorKeyDigest         AUTHOR_KEY_DIGEST (48 bytes, hex)
     * @param reportId                REPORT_ID (32 bytes, hex)
     * @param reportIdMa              REPORT_ID_MA (32 bytes, hex)
     * @param chipId                  CHIP_ID (64 bytes, hex); all zero when the host masks it
     * @param launchMitigationVector  LAUNCH_MIT_VECTOR; version 5 reports only
     * @param currentMitigationVector CURRENT_MIT_VECTOR; version 5 reports only
     */
    public record Report(
            int version,
            long guestSvn,
            GuestPolicy policy,
            String familyId,
            String imageId,
            long vmpl,
            long signatureAlgorithm,
            PlatformInfo platformInfo,
            KeyInfo keyInfo,
            TcbVersion currentTcb,
            TcbVersion reportedTcb,
            TcbVersion committedTcb,
            TcbVersion launchTcb,
            FirmwareVersion currentFirmware,
            FirmwareVersion committedFirmware,
            @Nullable Cpuid cpuid,
            String reportData,
            String measurement,
            String hostData,
            String idKeyDigest,
            String authorKeyDigest,
            String reportId,
            String reportIdMa,
            String chipId,
            OptionalLong launchMitigationVector,
            OptionalLong currentMitigationVector) {
    }

    /**
     * The guest POLICY word (SEV-SNP.md 2.3), what the guest owner allowed at launch, and its bits.
     *
     * @param value                    the unsigned 64-bit word
     * @param abiMajor                 the lowest firmware ABI major version the guest accepts
     * @param abiMinor                 the lowest firmware ABI minor version the guest accepts
     * @param smtAllowed               bit 16: simultaneous multithreading may be enabled
     * @param migrationAgentAllowed    bit 18: a migration agent may be associated
     * @param debugAllowed             bit 19: debugging is allowed, so the host can read guest memory
     * @param singleSocketRequired     bit 20: the guest may run on one socket only
     * @param cxlAllowed               bit 21: CXL memory may be attached
     * @param memAes256XtsRequired     bit 22: AES-256-XTS memory encryption is required
     * @param raplDisabledRequired     bit 23: running average power limit must be disabled
     * @param ciphertextHidingRequired bit 24: ciphertext hiding for DRAM must be enabled
     * @param pageSwapDisabled         bit 25: page swap commands are disabled
     * @param reservedBitsValid        bit 17 is set and bits 63:26 are clear, as the firmware requires
     */
    public record GuestPolicy(
            long value,
            int abiMajor,
            int abiMinor,
            boolean smtAllowed,
            boolean migrationAgentAllowed,
            boolean debugAllowed,
            boolean singleSocketRequired,
            boolean cxlAllowed,
            boolean memAes256XtsRequired,
            boolean raplDisabledRequired,
            boolean ciphertextHidingRequired,
            boolean pageSwapDisabled,
            boolean reservedBitsValid) {
    }

    /**
     * The PLATFORM_INFO word (SEV-SNP.md 2.3), how the host was configured, and its bits.
     *
     * @param value                   the unsigned 64-bit word
     * @param smtEnabled              bit 0: SMT is enabled on the host
     * @param tsmeEnabled             bit 1: transparent SME is enabled
     * @param eccEnabled              bit 2: ECC memory is in use
     * @param raplDisabled            bit 3: RAPL is disabled
     * @param ciphertextHidingEnabled bit 4: ciphertext hiding is enabled
     * @param aliasCheckComplete      bit 5: the memory alias check has completed
     * @param tioEnabled              bit 7: SEV-TIO is enabled
     */
    public record PlatformInfo(
            long value,
            boolean smtEnabled,
            boolean tsmeEnabled,
            boolean eccEnabled,
            boolean raplDisabled,
            boolean ciphertextHidingEnabled,
            boolean aliasCheckComplete,
            boolean tioEnabled) {
    }

    /**
     * The KEY_INFO word and its fields.
     *
     * @param value              the unsigned 32-bit word
     * @param authorKeyEnabled   bit 0: an author key signed the ID key
     * @param maskChipKey        bit 1: the host masked the chip key, so the report is not signed
     * @param signingKeySelector bits 4:2, SIGNING_KEY: 0 VCEK, 1 VLEK, 7 none, others reserved
     * @param signingKey         the key SIGNING_KEY names, or {@code null} for none or a reserved value
     */
    public record KeyInfo(long value, boolean authorKeyEnabled, boolean maskChipKey, int signingKeySelector,
                          @Nullable SigningKey signingKey) {
    }

    /**
     * The CPU a version 3+ report was produced on.
     *
     * @param family   CPUID_FAM_ID: extended family + family
     * @param model    CPUID_MOD_ID: extended model × 16 + model
     * @param stepping CPUID_STEP
     */
    public record Cpuid(int family, int model, int stepping) {
    }

    /**
     * An SNP firmware version.
     *
     * @param major the major version
     * @param minor the minor version
     * @param build the build number
     */
    public record FirmwareVersion(int major, int minor, int build) {

        /** {@code major.minor.build}, for example {@code 1.55.29}. */
        @Override
        public String toString() {
            return major + "." + minor + "." + build;
        }
    }

    /**
     * What an Azure HCL report adds to the SNP report (SEV-SNP.md 5.2).
     *
     * @param runtimeClaims the runtime claims exactly as found, the bytes REPORT_DATA commits to
     *                      (meant to be one UTF-8 JSON object; copied in and out)
     * @param userData      the 64 bytes of the claims' {@code user-data} in lower-case hex, or
     *                      {@code null} if the claims carry none or cannot be read as such
     * @param hashType      how REPORT_DATA commits to the claims: {@code SHA-256}, {@code SHA-384}
     *                      or {@code SHA-512}
     * @param headerVersion the HCL header version (1 or 2)
     */
    public record Azure(byte[] runtimeClaims, @Nullable String userData, String hashType, int headerVersion) {

        public Azure {
            runtimeClaims = runtimeClaims.clone();
        }

        @Override
        public byte[] runtimeClaims() {
            return runtimeClaims.clone();
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Azure that && Arrays.equals(runtimeClaims, that.runtimeClaims)
                    && Objects.equals(userData, that.userData) && hashType.equals(that.hashType)
                    && headerVersion == that.headerVersion;
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(runtimeClaims), userData, hashType, headerVersion);
        }

        @Override
        public String toString() {
            return "Azure[runtimeClaims " + runtimeClaims.length + " bytes, userData=" + userData
                    + ", hashType=" + hashType + ", headerVersion=" + headerVersion + "]";
        }
    }
}
