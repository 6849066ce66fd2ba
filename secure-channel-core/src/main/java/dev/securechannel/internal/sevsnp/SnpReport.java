package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A parsed SEV-SNP ATTESTATION_REPORT (1184 bytes, SEV-SNP.md 2.1), read at fixed offsets with
 * little-endian integers straight from the received bytes, which it keeps unchanged.
 *
 * <p>Parsing checks only what is needed to read the fields (length and a known VERSION), so
 * that tools can show every field of a report that later fails verification. Nothing here is
 * trustworthy until {@link SevSnpVerifier} has verified the signature. Immutable; arrays are
 * copied out.
 */
public final class SnpReport {

    /** Size of every report version. */
    public static final int LENGTH = 0x4A0;
    /** End of the signed bytes: the signature covers {@code [0, 0x2A0)}. */
    public static final int SIGNED_LENGTH = 0x2A0;
    /** The oldest layout this parser reads. */
    public static final int MIN_VERSION = 2;
    /** The newest layout this parser reads; newer ones may give reserved bytes a meaning it cannot check. */
    public static final int MAX_VERSION = 5;
    /** VMPL of a report the host requested instead of the guest. */
    public static final long VMPL_HOST_REQUESTED = 0xFFFF_FFFFL;

    static final int OFFSET_VERSION = 0x000;
    static final int OFFSET_GUEST_SVN = 0x004;
    static final int OFFSET_POLICY = 0x008;
    static final int OFFSET_FAMILY_ID = 0x010;
    static final int OFFSET_IMAGE_ID = 0x020;
    static final int OFFSET_VMPL = 0x030;
    static final int OFFSET_SIGNATURE_ALGO = 0x034;
    static final int OFFSET_CURRENT_TCB = 0x038;
    static final int OFFSET_PLATFORM_INFO = 0x040;
    static final int OFFSET_KEY_INFO = 0x048;
    static final int OFFSET_REPORT_DATA = 0x050;
    static final int OFFSET_MEASUREMENT = 0x090;
    static final int OFFSET_HOST_DATA = 0x0C0;
    static final int OFFSET_ID_KEY_DIGEST = 0x0E0;
    static final int OFFSET_AUTHOR_KEY_DIGEST = 0x110;
    static final int OFFSET_REPORT_ID = 0x140;
    static final int OFFSET_REPORT_ID_MA = 0x160;
    static final int OFFSET_REPORTED_TCB = 0x180;
    static final int OFFSET_CPUID_FAMILY = 0x188;
    static final int OFFSET_CPUID_MODEL = 0x189;
    static final int OFFSET_CPUID_STEPPING = 0x18A;
    static final int OFFSET_CHIP_ID = 0x1A0;
    static final int OFFSET_COMMITTED_TCB = 0x1E0;
    static final int OFFSET_CURRENT_BUILD = 0x1E8;
    static final int OFFSET_COMMITTED_BUILD = 0x1EC;
    static final int OFFSET_LAUNCH_TCB = 0x1F0;
    static final int OFFSET_LAUNCH_MIT_VECTOR = 0x1F8;
    static final int OFFSET_CURRENT_MIT_VECTOR = 0x200;
    static final int OFFSET_SIGNATURE = 0x2A0;

    private final byte[] bytes;

    private SnpReport(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses a report; the bytes are copied.
     *
     * @throws SnpVerificationException REPORT_PARSE_FAILED for a length other than 1184,
     *                                  REPORT_VERSION_UNSUPPORTED for VERSION outside 2..5
     */
    public static SnpReport parse(byte[] report) {
        if (report.length != LENGTH) {
            throw new SnpVerificationException(SnpFailure.REPORT_PARSE_FAILED,
                    "report is " + report.length + " bytes, expected " + LENGTH);
        }
        long version = Integer.toUnsignedLong(le32(report, OFFSET_VERSION));
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new SnpVerificationException(SnpFailure.REPORT_VERSION_UNSUPPORTED,
                    "report version " + version + " (this parser reads " + MIN_VERSION + ".." + MAX_VERSION + ")");
        }
        return new SnpReport(report.clone());
    }

    /** The whole report as received. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The signed bytes {@code [0, 0x2A0)} exactly as received. */
    public byte[] signedBytes() {
        return Arrays.copyOf(bytes, SIGNED_LENGTH);
    }

    /** The signature area {@code [0x2A0, 0x4A0)}: r and s (72 bytes each, little-endian) and padding. */
    public byte[] signature() {
        return Arrays.copyOfRange(bytes, OFFSET_SIGNATURE, LENGTH);
    }

    /** VERSION, 2..5; version 4 was never issued and is read like version 3, as virtee/sev does. */
    public int version() {
        return le32(bytes, OFFSET_VERSION);
    }

    /** GUEST_SVN from the ID block, unsigned. */
    public long guestSvn() {
        return u32(OFFSET_GUEST_SVN);
    }

    /** The guest POLICY. */
    public SnpGuestPolicy policy() {
        return new SnpGuestPolicy(le64(OFFSET_POLICY));
    }

    /** FAMILY_ID (16 bytes) from the ID block. */
    public byte[] familyId() {
        return slice(OFFSET_FAMILY_ID, 16);
    }

    /** IMAGE_ID (16 bytes) from the ID block. */
    public byte[] imageId() {
        return slice(OFFSET_IMAGE_ID, 16);
    }

    /** The VMPL the report was requested for, unsigned; {@link #VMPL_HOST_REQUESTED} for a host request. */
    public long vmpl() {
        return u32(OFFSET_VMPL);
    }

    /** SIGNATURE_ALGO, unsigned; 1 is ECDSA P-384 with SHA-384, the only defined value. */
    public long signatureAlgorithm() {
        return u32(OFFSET_SIGNATURE_ALGO);
    }

    /** CURRENT_TCB, in this report's product layout (see {@link #reportedTcb()}). */
    public TcbVersion currentTcb() {
        return tcb(OFFSET_CURRENT_TCB, layout());
    }

    /** CURRENT_TCB in {@code product}'s layout. */
    public TcbVersion currentTcb(SnpProduct product) {
        return tcb(OFFSET_CURRENT_TCB, product.tcbLayout());
    }

    /**
     * REPORTED_TCB, the TCB the VCEK/VLEK was derived for, in the layout of {@link #product()};
     * a version 2 report has no CPUID, so the Milan/Genoa layout is assumed until the
     * certificate chain names the product (use {@link #reportedTcb(SnpProduct)} then).
     */
    public TcbVersion reportedTcb() {
        return tcb(OFFSET_REPORTED_TCB, layout());
    }

    /** REPORTED_TCB in {@code product}'s layout. */
    public TcbVersion reportedTcb(SnpProduct product) {
        return tcb(OFFSET_REPORTED_TCB, product.tcbLayout());
    }

    /** COMMITTED_TCB, the anti-rollback floor, in this report's product layout. */
    public TcbVersion committedTcb() {
        return tcb(OFFSET_COMMITTED_TCB, layout());
    }

    /** COMMITTED_TCB in {@code product}'s layout. */
    public TcbVersion committedTcb(SnpProduct product) {
        return tcb(OFFSET_COMMITTED_TCB, product.tcbLayout());
    }

    /** LAUNCH_TCB, current when the guest launched, in this report's product layout. */
    public TcbVersion launchTcb() {
        return tcb(OFFSET_LAUNCH_TCB, layout());
    }

    /** LAUNCH_TCB in {@code product}'s layout. */
    public TcbVersion launchTcb(SnpProduct product) {
        return tcb(OFFSET_LAUNCH_TCB, product.tcbLayout());
    }

    /** PLATFORM_INFO. */
    public SnpPlatformInfo platformInfo() {
        return new SnpPlatformInfo(le64(OFFSET_PLATFORM_INFO));
    }

    /** The raw KEY_INFO word, unsigned. */
    public long keyInfo() {
        return u32(OFFSET_KEY_INFO);
    }

    /** KEY_INFO bit 0: an author key signed the ID key and AUTHOR_KEY_DIGEST is meaningful. */
    public boolean authorKeyEnabled() {
        return (keyInfo() & 0x1) != 0;
    }

    /** KEY_INFO bit 1: the host masked the chip key, so the report is not signed. */
    public boolean maskChipKey() {
        return (keyInfo() & 0x2) != 0;
    }

    /** KEY_INFO bits 4:2, SIGNING_KEY: 0 VCEK, 1 VLEK, 7 none, others reserved. */
    public int signingKeySelector() {
        return (int) ((keyInfo() >>> 2) & 0x7);
    }

    /** The key SIGNING_KEY names, or empty for "none" or a reserved value. */
    public Optional<VekKind> signingKey() {
        int selector = signingKeySelector();
        for (VekKind kind : VekKind.values()) {
            if (kind.signingKeySelector() == selector) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** REPORT_DATA (64 bytes) chosen by the guest. */
    public byte[] reportData() {
        return slice(OFFSET_REPORT_DATA, 64);
    }

    /** MEASUREMENT (48 bytes), the launch digest. */
    public byte[] measurement() {
        return slice(OFFSET_MEASUREMENT, 48);
    }

    /** HOST_DATA (32 bytes) supplied by the hypervisor at launch. */
    public byte[] hostData() {
        return slice(OFFSET_HOST_DATA, 32);
    }

    /** ID_KEY_DIGEST (48 bytes), SHA-384 of the ID key; zero without an ID block. */
    public byte[] idKeyDigest() {
        return slice(OFFSET_ID_KEY_DIGEST, 48);
    }

    /** AUTHOR_KEY_DIGEST (48 bytes); zero unless {@link #authorKeyEnabled()}. */
    public byte[] authorKeyDigest() {
        return slice(OFFSET_AUTHOR_KEY_DIGEST, 48);
    }

    /** REPORT_ID (32 bytes). */
    public byte[] reportId() {
        return slice(OFFSET_REPORT_ID, 32);
    }

    /** REPORT_ID_MA (32 bytes), the migration agent's report ID; all 0xFF without one. */
    public byte[] reportIdMa() {
        return slice(OFFSET_REPORT_ID_MA, 32);
    }

    /** CHIP_ID (64 bytes); all zero when the host masks it; Turin uses only bytes 0..8. */
    public byte[] chipId() {
        return slice(OFFSET_CHIP_ID, 64);
    }

    /** Whether CHIP_ID is all zero (MaskChipId). */
    public boolean isChipIdMasked() {
        for (int i = OFFSET_CHIP_ID; i < OFFSET_CHIP_ID + 64; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** CPUID_FAM_ID (extended family + family); version 3+ only. */
    public OptionalInt cpuidFamily() {
        return version() >= 3 ? OptionalInt.of(bytes[OFFSET_CPUID_FAMILY] & 0xFF) : OptionalInt.empty();
    }

    /** CPUID_MOD_ID (extended model × 16 + model); version 3+ only. */
    public OptionalInt cpuidModel() {
        return version() >= 3 ? OptionalInt.of(bytes[OFFSET_CPUID_MODEL] & 0xFF) : OptionalInt.empty();
    }

    /** CPUID_STEP; version 3+ only. */
    public OptionalInt cpuidStepping() {
        return version() >= 3 ? OptionalInt.of(bytes[OFFSET_CPUID_STEPPING] & 0xFF) : OptionalInt.empty();
    }

    /**
     * The product named by CPUID (version 3+); empty for version 2, which has no CPUID, and for
     * a CPU that is not Milan, Genoa or Turin.
     */
    public Optional<SnpProduct> product() {
        if (version() < 3) {
            return Optional.empty();
        }
        return SnpProduct.fromCpuid(bytes[OFFSET_CPUID_FAMILY] & 0xFF, bytes[OFFSET_CPUID_MODEL] & 0xFF);
    }

    /** The firmware version now running (CURRENT_MAJOR.MINOR.BUILD). */
    public SnpFirmwareVersion currentFirmware() {
        return firmware(OFFSET_CURRENT_BUILD);
    }

    /** The committed firmware version. */
    public SnpFirmwareVersion committedFirmware() {
        return firmware(OFFSET_COMMITTED_BUILD);
    }

    /** LAUNCH_MIT_VECTOR; version 5+ only. */
    public OptionalLong launchMitigationVector() {
        return version() >= 5 ? OptionalLong.of(le64(OFFSET_LAUNCH_MIT_VECTOR)) : OptionalLong.empty();
    }

    /** CURRENT_MIT_VECTOR; version 5+ only. */
    public OptionalLong currentMitigationVector() {
        return version() >= 5 ? OptionalLong.of(le64(OFFSET_CURRENT_MIT_VECTOR)) : OptionalLong.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SnpReport that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SnpReport[version=" + version() + ", product=" + product().map(SnpProduct::kdsName).orElse("?")
                + ", vmpl=" + vmpl() + ", policy=" + policy().hex() + ", reportedTcb=" + reportedTcb().hex()
                + ", measurement=" + HexFormat.of().formatHex(measurement()) + "]";
    }

    /** Little-endian u32 of {@code bytes} at {@code offset}, as a Java int (callers widen it). */
    static int le32(byte[] source, int offset) {
        return ByteBuffer.wrap(source).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    /** The byte at {@code offset}, for the structural checks of the verifier. */
    int byteAt(int offset) {
        return bytes[offset] & 0xFF;
    }

    /** Whether {@code [from, to)} is all zero, for the structural checks of the verifier. */
    boolean isZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The received bytes without a copy, for hashing and signature verification in this package. */
    byte[] bytesUnsafe() {
        return bytes;
    }

    private TcbVersion.Layout layout() {
        return product().map(SnpProduct::tcbLayout).orElse(TcbVersion.Layout.MILAN_GENOA);
    }

    private TcbVersion tcb(int offset, TcbVersion.Layout layout) {
        return new TcbVersion(le64(offset), layout);
    }

    private SnpFirmwareVersion firmware(int buildOffset) {
        return new SnpFirmwareVersion(bytes[buildOffset + 2] & 0xFF, bytes[buildOffset + 1] & 0xFF, bytes[buildOffset] & 0xFF);
    }

    private long u32(int offset) {
        return Integer.toUnsignedLong(le32(bytes, offset));
    }

    private long le64(int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    private byte[] slice(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }
}
