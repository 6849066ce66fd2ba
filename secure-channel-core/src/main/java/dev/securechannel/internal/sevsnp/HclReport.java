package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure confidential VM "HCL report", the content of vTPM NV index 0x01400001
 * (SEV-SNP.md 5.2): a 32-byte header, the 1184-byte SNP report, a 20-byte runtime-data header
 * and the runtime-claims JSON, then zero padding.
 *
 * <pre>
 *    0  "HCLA" | header version | report size | request type | status | 12 reserved
 *   32  SNP ATTESTATION_REPORT (1184 bytes)
 * 1216  data size (20 + n) | runtime-data version 1 | report type 2 (SNP) | hash type | claims size n
 * 1236  runtime claims (n bytes of UTF-8 JSON)
 * </pre>
 *
 * <p>Parsing checks the binary structure only; the claims JSON is parsed (strictly) when
 * {@link #claims()} or {@link #userDataHex()} is called, so that a report whose claims were
 * altered still yields its fields and fails the REPORT_DATA binding instead. Immutable.
 */
public final class HclReport {

    /** Offset of the SNP report. */
    public static final int SNP_REPORT_OFFSET = 32;
    /** Offset of the runtime-data header. */
    public static final int RUNTIME_DATA_OFFSET = SNP_REPORT_OFFSET + SnpReport.LENGTH;
    /** Offset of the runtime claims. */
    public static final int CLAIMS_OFFSET = RUNTIME_DATA_OFFSET + 20;

    private static final int SIGNATURE = 0x414C4348; // "HCLA" read as u32 LE
    private static final int REPORT_TYPE_SNP = 2;
    private static final int SUPPORTED_RUNTIME_DATA_VERSION = 1;
    /** The runtime claims' user-data is the 64 bytes of NV index 0x01400002. */
    private static final int USER_DATA_LENGTH = 64;

    /** How REPORT_DATA commits to the runtime claims (runtime-data hash_type). */
    public enum HashType {
        SHA_256(1, "SHA-256"),
        SHA_384(2, "SHA-384"),
        SHA_512(3, "SHA-512");

        private final int code;
        private final String jcaName;

        HashType(int code, String jcaName) {
            this.code = code;
            this.jcaName = jcaName;
        }

        /** The value of the hash_type field. */
        public int code() {
            return code;
        }

        /** The digest of {@code data}. */
        public byte[] digest(byte[] data) {
            try {
                return MessageDigest.getInstance(jcaName).digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jcaName + " is a required JDK algorithm", e);
            }
        }

        static Optional<HashType> of(long code) {
            for (HashType type : values()) {
                if (type.code == code) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    private final byte[] bytes;
    private final HashType hashType;
    private final int claimsSize;

    private HclReport(byte[] bytes, HashType hashType, int claimsSize) {
        this.bytes = bytes;
        this.hashType = hashType;
        this.claimsSize = claimsSize;
    }

    /**
     * Parses an HCL report; the bytes are copied.
     *
     * @throws SnpVerificationException HCL_REPORT_INVALID for a bad header or a report too short
     *                                  for its fixed part, VARDATA_INVALID for bad runtime data
     */
    public static HclReport parse(byte[] hclReport) {
        if (hclReport.length < CLAIMS_OFFSET) {
            throw new SnpVerificationException(SnpFailure.HCL_REPORT_INVALID,
                    "HCL report is " + hclReport.length + " bytes, shorter than its " + CLAIMS_OFFSET + "-byte fixed part");
        }
        if (SnpReport.le32(hclReport, 0) != SIGNATURE) {
            throw new SnpVerificationException(SnpFailure.HCL_REPORT_INVALID, "HCL report does not start with HCLA");
        }
        long headerVersion = u32(hclReport, 4);
        // Version 1 in the 2023-2026 samples, 2 in OpenHCL; the header layout is the same.
        if (headerVersion != 1 && headerVersion != 2) {
            throw new SnpVerificationException(SnpFailure.HCL_REPORT_INVALID, "HCL header version " + headerVersion);
        }
        long dataSize = u32(hclReport, RUNTIME_DATA_OFFSET);
        long runtimeDataVersion = u32(hclReport, RUNTIME_DATA_OFFSET + 4);
        long reportType = u32(hclReport, RUNTIME_DATA_OFFSET + 8);
        long hashTypeCode = u32(hclReport, RUNTIME_DATA_OFFSET + 12);
        long claimsSize = u32(hclReport, RUNTIME_DATA_OFFSET + 16);
        if (reportType != REPORT_TYPE_SNP) {
            throw new SnpVerificationException(SnpFailure.VARDATA_INVALID, "runtime data report type " + reportType + " is not SNP (2)");
        }
        // Version 2 inserts fields before the claims; none has been seen, so refuse rather than guess.
        if (runtimeDataVersion != SUPPORTED_RUNTIME_DATA_VERSION) {
            throw new SnpVerificationException(SnpFailure.VARDATA_INVALID, "runtime data version " + runtimeDataVersion);
        }
        Optional<HashType> hashType = HashType.of(hashTypeCode);
        if (hashType.isEmpty()) {
            throw new SnpVerificationException(SnpFailure.VARDATA_INVALID, "runtime data hash type " + hashTypeCode);
        }
        if (claimsSize > hclReport.length - CLAIMS_OFFSET) {
            throw new SnpVerificationException(SnpFailure.VARDATA_INVALID,
                    "claims size " + claimsSize + " exceeds the " + (hclReport.length - CLAIMS_OFFSET) + " bytes left");
        }
        if (dataSize != 20 + claimsSize) {
            throw new SnpVerificationException(SnpFailure.VARDATA_INVALID,
                    "runtime data size " + dataSize + " is not 20 + claims size " + claimsSize);
        }
        return new HclReport(hclReport.clone(), hashType.get(), (int) claimsSize);
    }

    /** The whole HCL report as received. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The embedded SNP attestation report, bytes {@code [32, 1216)}. */
    public byte[] snpReport() {
        return Arrays.copyOfRange(bytes, SNP_REPORT_OFFSET, RUNTIME_DATA_OFFSET);
    }

    /** The runtime claims exactly as found, the bytes REPORT_DATA commits to. */
    public byte[] runtimeClaims() {
        return Arrays.copyOfRange(bytes, CLAIMS_OFFSET, CLAIMS_OFFSET + claimsSize);
    }

    /** The header version (1 or 2). */
    public int headerVersion() {
        return SnpReport.le32(bytes, 4);
    }

    /** The header's report_size: the used length of the structure, not 1184. */
    public long headerReportSize() {
        return u32(bytes, 8);
    }

    /** The header's request_type (2 in every sample). */
    public long requestType() {
        return u32(bytes, 12);
    }

    /** The header's status (0 in every sample). */
    public long status() {
        return u32(bytes, 16);
    }

    /** How REPORT_DATA commits to the claims. */
    public HashType hashType() {
        return hashType;
    }

    /**
     * The REPORT_DATA the claims require: their digest followed by zero bytes up to 64 bytes.
     */
    public byte[] expectedReportData() {
        return Arrays.copyOf(hashType.digest(runtimeClaims()), 64);
    }

    /**
     * The claims flattened for display: {@code "vm-configuration.vmUniqueId" → "7DF7..."},
     * {@code "keys[0].kid" → "HCLAkPub"}, scalars as their JSON text, in document order.
     *
     * @throws SnpVerificationException RUNTIME_CLAIMS_INVALID unless the claims are one strict JSON object
     */
    public Map<String, String> claims() {
        return RuntimeClaims.parse(runtimeClaims()).flattened();
    }

    /**
     * The top-level {@code user-data} string as found (either case), or empty if the claims have none.
     *
     * @throws SnpVerificationException RUNTIME_CLAIMS_INVALID for invalid claims, USER_DATA_INVALID
     *                                  if {@code user-data} is not a string
     */
    public Optional<String> userDataHex() {
        return RuntimeClaims.parse(runtimeClaims()).userData();
    }

    /**
     * The decoded {@code user-data}: the 64 bytes the guest wrote to NV index 0x01400002.
     * Exactly 128 hex digits are required: the NV index holds 64 bytes, so anything else was
     * not written by the paravisor (the Rust reference's "at least 64, use the first 64" would
     * let trailing data pass unchecked).
     *
     * @throws SnpVerificationException RUNTIME_CLAIMS_INVALID or USER_DATA_INVALID
     */
    public Optional<byte[]> userData() {
        Optional<String> hex = userDataHex();
        if (hex.isEmpty()) {
            return Optional.empty();
        }
        String digits = hex.get();
        if (digits.length() != 2 * USER_DATA_LENGTH) {
            throw new SnpVerificationException(SnpFailure.USER_DATA_INVALID,
                    "user-data has " + digits.length() + " characters, expected " + 2 * USER_DATA_LENGTH + " hex digits");
        }
        try {
            return Optional.of(HexFormat.of().parseHex(digits.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new SnpVerificationException(SnpFailure.USER_DATA_INVALID, "user-data is not hex", e);
        }
    }

    @Override
    public String toString() {
        return "HclReport[" + bytes.length + " bytes, header v" + headerVersion() + ", claims " + claimsSize
                + " bytes, " + hashType + ", claims start "
                + new String(bytes, CLAIMS_OFFSET, Math.min(claimsSize, 16), StandardCharsets.UTF_8) + "...]";
    }

    private static long u32(byte[] source, int offset) {
        return Integer.toUnsignedLong(SnpReport.le32(source, offset));
    }
}
