package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.jspecify.annotations.Nullable;

/**
 * Verifies SEV-SNP reports and Azure HCL reports against AMD's pinned roots, in the order of
 * SEV-SNP.md section 4:
 *
 * <ol>
 *   <li>structure: VERSION, SIGNATURE_ALGO, KEY_INFO, reserved bytes, POLICY reserved bits;</li>
 *   <li>certificates: classification by CN, ARK pin, product consistency (CPUID, ASK/ASVK,
 *       VEK productName, ARK), validity at the injected clock, PKIX to the pinned ARK, CRL;</li>
 *   <li>the report signature over the received bytes {@code [0, 0x2A0)};</li>
 *   <li>certificate binding: VEK SPLs == REPORTED_TCB, REPORTED_TCB ≤ CURRENT_TCB, VCEK hwID == CHIP_ID;</li>
 *   <li>guest policy and pins ({@link SnpPolicy}).</li>
 * </ol>
 *
 * <p>{@code verify...} methods throw {@link SnpVerificationException} at the first failure;
 * {@code evaluate...} methods return the verdict with everything learnt so far, for tools that
 * show a rejected report. Binding REPORT_DATA to a handshake is the caller's job (the SPI
 * adapters do it). Immutable and thread-safe if the {@link CrlSource} is.
 */
public final class SevSnpVerifier {

    private static final long SIGNATURE_ALGO_ECDSA_P384_SHA384 = 1;
    private static final int SIGNATURE_COMPONENT_LENGTH = 72;
    private static final int SIGNATURE_SIGNIFICANT_LENGTH = 48;
    /** NIST P-384 with BouncyCastle's dedicated field implementation. */
    private static final ECDomainParameters P384 = new ECDomainParameters(CustomNamedCurves.getByName("P-384"));

    private final SnpPolicy policy;
    private final CrlSource crlSource;
    private final Clock clock;
    private final Map<SnpProduct, X509Certificate> pinnedArks;

    /** A verifier trusting AMD's bundled ARKs ({@link AmdRootKeys}). */
    public SevSnpVerifier(SnpPolicy policy, CrlSource crlSource, Clock clock) {
        this(policy, crlSource, clock, AmdRootKeys.all());
    }

    /** A verifier trusting other roots: for tests with synthetic chains only. */
    public SevSnpVerifier(SnpPolicy policy, CrlSource crlSource, Clock clock, Map<SnpProduct, X509Certificate> pinnedArks) {
        this.policy = Objects.requireNonNull(policy);
        this.crlSource = Objects.requireNonNull(crlSource);
        this.clock = Objects.requireNonNull(clock);
        this.pinnedArks = Map.copyOf(pinnedArks);
    }

    /** The policy applied. */
    public SnpPolicy policy() {
        return policy;
    }

    /**
     * Parses and verifies a raw report.
     *
     * @throws SnpVerificationException at the first failing check
     */
    public SnpVerificationResult verify(byte[] report, List<X509Certificate> certificates) {
        return verify(SnpReport.parse(report), certificates);
    }

    /**
     * Verifies a parsed report.
     *
     * @throws SnpVerificationException at the first failing check
     */
    public SnpVerificationResult verify(SnpReport report, List<X509Certificate> certificates) {
        return evaluate(report, certificates).orThrow();
    }

    /** Verifies a parsed report and returns the verdict instead of throwing it. */
    public SnpVerificationResult evaluate(SnpReport report, List<X509Certificate> certificates) {
        Progress progress = new Progress();
        try {
            verifySteps(report, certificates, progress);
            return new SnpVerificationResult(report, progress.product, progress.kind, progress.vek, null);
        } catch (SnpVerificationException e) {
            return new SnpVerificationResult(report, progress.product, progress.kind, progress.vek, e);
        }
    }

    /**
     * Parses and verifies an Azure HCL report: the embedded SNP report completely, then
     * REPORT_DATA == hash(runtime claims) || zeros, then a well-formed {@code user-data} if present.
     *
     * @throws SnpVerificationException at the first failing check
     */
    public AzureSnpVerificationResult verifyAzure(byte[] hclReport, List<X509Certificate> certificates) {
        return verifyAzure(HclReport.parse(hclReport), certificates);
    }

    /**
     * Verifies a parsed Azure HCL report.
     *
     * @throws SnpVerificationException at the first failing check
     */
    public AzureSnpVerificationResult verifyAzure(HclReport hclReport, List<X509Certificate> certificates) {
        return evaluateAzure(hclReport, certificates).orThrow();
    }

    /**
     * Verifies a parsed Azure HCL report and returns the verdict instead of throwing it.
     *
     * @throws SnpVerificationException only if the embedded SNP report does not parse
     */
    public AzureSnpVerificationResult evaluateAzure(HclReport hclReport, List<X509Certificate> certificates) {
        SnpReport report = SnpReport.parse(hclReport.snpReport());
        SnpVerificationResult snp = evaluate(report, certificates);
        if (!snp.isAccepted()) {
            return new AzureSnpVerificationResult(hclReport, snp, null, snp.failure().orElseThrow());
        }
        try {
            byte[] userData = checkAzureBinding(hclReport, report).orElse(null);
            return new AzureSnpVerificationResult(hclReport, snp, userData, null);
        } catch (SnpVerificationException e) {
            return new AzureSnpVerificationResult(hclReport, snp, null, e);
        }
    }

    /** What verification has established so far, reported even when a later step fails. */
    private static final class Progress {
        @Nullable SnpProduct product;
        @Nullable VekKind kind;
        @Nullable X509Certificate vek;
    }

    private void verifySteps(SnpReport report, List<X509Certificate> certificates, Progress progress) {
        VekKind kind = checkStructure(report);
        progress.kind = kind;

        AmdCertificateChain.Classified chain = AmdCertificateChain.classify(certificates, kind);
        progress.vek = chain.vek();
        SnpProduct product = chain.product();
        X509Certificate pinnedArk = pinnedArks.get(product);
        if (pinnedArk == null) {
            throw new SnpVerificationException(SnpFailure.ARK_NOT_KNOWN, "no pinned ARK for " + product.kdsName());
        }
        if (chain.ark() != null) {
            AmdCertificateChain.checkEvidenceArk(chain.ark(), product, pinnedArks);
        }
        VekExtensions extensions = VekExtensions.parse(chain.vek());
        checkProductConsistency(report, product, extensions);
        progress.product = product;
        checkExtensionKind(kind, extensions);

        Date now = Date.from(clock.instant());
        AmdCertificateChain.validate(pinnedArk, chain.intermediate(), chain.vek(), now);
        AmdCrlCheck.check(crlSource, policy.requireCrl(), product, pinnedArk, chain.intermediate(), now);

        verifyReportSignature(report, AmdCertificateChain.vekKey(chain.vek()));

        if (policy.checkTcbBinding()) {
            checkTcbBinding(report, product, extensions);
            if (kind == VekKind.VCEK) {
                checkChipBinding(report, product, extensions);
            }
        }
        SnpPolicyCheck.enforce(policy, report, product);
    }

    /** Step 1 (SEV-SNP.md 4.1): fields that must hold before anything is looked up; returns the signing key. */
    private VekKind checkStructure(SnpReport report) {
        int version = report.version();
        if (version < policy.minimumReportVersion()) {
            throw new SnpVerificationException(SnpFailure.REPORT_VERSION_TOO_OLD,
                    "report version " + version + " < minimum " + policy.minimumReportVersion());
        }
        if (report.signatureAlgorithm() != SIGNATURE_ALGO_ECDSA_P384_SHA384) {
            throw new SnpVerificationException(SnpFailure.UNSUPPORTED_SIGNATURE_ALGO,
                    "SIGNATURE_ALGO " + report.signatureAlgorithm() + ", only 1 (ECDSA P-384 SHA-384) is defined");
        }
        if (report.maskChipKey()) {
            throw new SnpVerificationException(SnpFailure.MASK_CHIP_KEY_ENABLED, "MASK_CHIP_KEY is set: the report is not signed");
        }
        VekKind kind = report.signingKey().orElseThrow(() -> new SnpVerificationException(
                SnpFailure.SIGNING_KEY_UNSUPPORTED, "SIGNING_KEY " + report.signingKeySelector() + " names neither VCEK nor VLEK"));
        if ((report.keyInfo() & ~0x1FL) != 0) {
            throw new SnpVerificationException(SnpFailure.REPORT_RESERVED_NONZERO, "KEY_INFO reserved bits 31:5 are set");
        }
        requireZero(report, 0x04C, 0x050, "reserved 0x04C");
        requireZero(report, version >= 3 ? 0x18B : 0x188, 0x1A0, "reserved before CHIP_ID");
        requireZero(report, 0x1EB, 0x1EC, "reserved 0x1EB");
        requireZero(report, 0x1EF, 0x1F0, "reserved 0x1EF");
        requireZero(report, version >= 5 ? 0x208 : 0x1F8, SnpReport.SIGNED_LENGTH, "reserved before the signature");
        int r = SnpReport.OFFSET_SIGNATURE;
        int s = r + SIGNATURE_COMPONENT_LENGTH;
        requireZero(report, r + SIGNATURE_SIGNIFICANT_LENGTH, s, "signature r padding");
        requireZero(report, s + SIGNATURE_SIGNIFICANT_LENGTH, s + SIGNATURE_COMPONENT_LENGTH, "signature s padding");
        requireZero(report, s + SIGNATURE_COMPONENT_LENGTH, SnpReport.LENGTH, "signature reserved area");
        if (!report.policy().reservedBitsValid()) {
            throw new SnpVerificationException(SnpFailure.GUEST_POLICY_INVALID,
                    "POLICY " + report.policy().hex() + " must have bit 17 set and bits 63:26 clear");
        }
        return kind;
    }

    /** CPUID (v3+), ASK/ASVK, evidence ARK and VEK productName must all name one product. */
    private static void checkProductConsistency(SnpReport report, SnpProduct product, VekExtensions extensions) {
        if (report.version() >= 3) {
            SnpProduct cpuidProduct = report.product().orElseThrow(() -> new SnpVerificationException(
                    SnpFailure.PRODUCT_UNKNOWN, "CPUID family 0x" + Integer.toHexString(report.cpuidFamily().orElse(0))
                            + " model 0x" + Integer.toHexString(report.cpuidModel().orElse(0)) + " is not Milan, Genoa or Turin"));
            if (cpuidProduct != product) {
                throw new SnpVerificationException(SnpFailure.PRODUCT_MISMATCH,
                        "the report's CPUID is " + cpuidProduct.kdsName() + ", the certificates are for " + product.kdsName());
            }
        }
        String productName = extensions.productName().orElseThrow(() -> new SnpVerificationException(
                SnpFailure.VEK_EXTENSIONS_INVALID, "the VEK has no productName"));
        if (extensions.product().orElse(null) != product) {
            throw new SnpVerificationException(SnpFailure.PRODUCT_MISMATCH,
                    "the VEK is for " + productName + ", its intermediate for " + product.kdsName());
        }
    }

    /** A VCEK names its chip (hwID), a VLEK its cloud provider (cspId); never both. */
    private static void checkExtensionKind(VekKind kind, VekExtensions extensions) {
        boolean hasHwId = extensions.hwId().isPresent();
        boolean hasCspId = extensions.cspId().isPresent();
        if (kind == VekKind.VCEK && (!hasHwId || hasCspId)) {
            throw new SnpVerificationException(SnpFailure.VEK_EXTENSIONS_INVALID, "a VCEK must carry hwID and no cspId");
        }
        if (kind == VekKind.VLEK && (hasHwId || !hasCspId)) {
            throw new SnpVerificationException(SnpFailure.VEK_EXTENSIONS_INVALID, "a VLEK must carry cspId and no hwID");
        }
    }

    /** ECDSA P-384 / SHA-384 over the received bytes; r and s are 72-byte little-endian fields. */
    static void verifyReportSignature(SnpReport report, ECPublicKey vekKey) {
        byte[] bytes = report.bytesUnsafe();
        int r = SnpReport.OFFSET_SIGNATURE;
        int s = r + SIGNATURE_COMPONENT_LENGTH;
        boolean valid;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-384").digest(Arrays.copyOf(bytes, SnpReport.SIGNED_LENGTH));
            // BouncyCastle's P-384 with its dedicated field arithmetic: about 2x faster than the
            // JDK's ECDSA here, where the report signature is most of a verification's cost.
            ECPoint point = P384.getCurve().createPoint(vekKey.getW().getAffineX(), vekKey.getW().getAffineY());
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, new ECPublicKeyParameters(point, P384));
            valid = signer.verifySignature(digest, littleEndian(bytes, r), littleEndian(bytes, s));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SnpVerificationException(SnpFailure.REPORT_SIG_INVALID, "report signature cannot be checked", e);
        }
        if (!valid) {
            throw new SnpVerificationException(SnpFailure.REPORT_SIG_INVALID, "report signature does not verify with the VEK");
        }
    }

    /** The unsigned integer in the 48 significant bytes of a little-endian signature component at {@code offset}. */
    private static BigInteger littleEndian(byte[] bytes, int offset) {
        byte[] bigEndian = new byte[SIGNATURE_SIGNIFICANT_LENGTH];
        for (int i = 0; i < SIGNATURE_SIGNIFICANT_LENGTH; i++) {
            bigEndian[SIGNATURE_SIGNIFICANT_LENGTH - 1 - i] = bytes[offset + i];
        }
        return new BigInteger(1, bigEndian);
    }

    /** VEK SPLs == REPORTED_TCB in the product's layout, and REPORTED_TCB ≤ CURRENT_TCB. */
    private static void checkTcbBinding(SnpReport report, SnpProduct product, VekExtensions extensions) {
        TcbVersion reported = report.reportedTcb(product);
        for (TcbComponent component : TcbComponent.values()) {
            if (reported.component(component).isEmpty()) {
                continue; // FMC outside Turin
            }
            int expected = reported.component(component).getAsInt();
            int certified = extensions.spl(component).orElseThrow(() -> new SnpVerificationException(
                    SnpFailure.VEK_EXTENSIONS_INVALID, "the VEK has no " + component + " SPL"));
            if (certified != expected) {
                throw new SnpVerificationException(mismatchFailure(component),
                        "VEK " + component + " SPL " + certified + " != REPORTED_TCB " + expected);
            }
        }
        TcbVersion current = report.currentTcb(product);
        if (!current.isAtLeast(reported)) {
            throw new SnpVerificationException(SnpFailure.REPORTED_TCB_ABOVE_CURRENT,
                    "REPORTED_TCB " + reported + " is above CURRENT_TCB " + current);
        }
    }

    /** VCEK hwID == CHIP_ID prefix; a masked CHIP_ID cannot be bound and is refused unless the policy allows it. */
    private void checkChipBinding(SnpReport report, SnpProduct product, VekExtensions extensions) {
        if (report.isChipIdMasked()) {
            if (policy.allowMaskedChipId()) {
                return;
            }
            throw new SnpVerificationException(SnpFailure.CHIP_ID_MASKED, "CHIP_ID is all zero, so the VCEK cannot be bound to the chip");
        }
        byte[] hwId = extensions.hwId().orElseThrow();
        int expectedLength = product == SnpProduct.TURIN ? 8 : 64;
        if (hwId.length != expectedLength) {
            throw new SnpVerificationException(SnpFailure.VEK_EXTENSIONS_INVALID,
                    "a " + product.kdsName() + " hwID has " + expectedLength + " bytes, this one " + hwId.length);
        }
        byte[] chipId = report.chipId();
        if (!MessageDigest.isEqual(hwId, Arrays.copyOf(chipId, hwId.length))) {
            throw new SnpVerificationException(SnpFailure.CHIP_ID_MISMATCH,
                    "VCEK hwID " + HexFormat.of().formatHex(hwId) + " is not the report's CHIP_ID " + HexFormat.of().formatHex(chipId));
        }
    }

    /** REPORT_DATA == hash(claims) || zeros, then a well-formed user-data if the claims carry one. */
    private static Optional<byte[]> checkAzureBinding(HclReport hclReport, SnpReport report) {
        if (!MessageDigest.isEqual(hclReport.expectedReportData(), report.reportData())) {
            throw new SnpVerificationException(SnpFailure.AZURE_VARDATA_BINDING_MISMATCH,
                    "REPORT_DATA is not " + hclReport.hashType() + "(runtime claims) followed by zero bytes");
        }
        return hclReport.userData();
    }

    private static SnpFailure mismatchFailure(TcbComponent component) {
        return switch (component) {
            case BOOTLOADER -> SnpFailure.TCB_BOOTLOADER_MISMATCH;
            case TEE -> SnpFailure.TCB_TEE_MISMATCH;
            case SNP -> SnpFailure.TCB_SNP_MISMATCH;
            case MICROCODE -> SnpFailure.TCB_MICROCODE_MISMATCH;
            case FMC -> SnpFailure.TCB_FMC_MISMATCH;
        };
    }

    private static void requireZero(SnpReport report, int from, int to, String what) {
        if (!report.isZero(from, to)) {
            throw new SnpVerificationException(SnpFailure.REPORT_RESERVED_NONZERO, what + " is not zero");
        }
    }
}
