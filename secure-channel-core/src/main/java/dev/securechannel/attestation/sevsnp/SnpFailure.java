package dev.securechannel.attestation.sevsnp;

import java.util.Locale;

/**
 * Why SEV-SNP evidence was rejected: one constant per distinct rejection, named like the Rust
 * reference's {@code SNP_*} error codes without the prefix, plus the checks the reference lacks.
 * The {@link #tagValue()} is a low-cardinality metrics tag; the {@link #layer()} groups the
 * constants as the reference does.
 */
public enum SnpFailure {

    // Wire documents and report structure.
    WIRE_MARKER_MISMATCH(Layer.PARSE),
    WIRE_TRUNCATED(Layer.PARSE),
    /** The report is not exactly 1184 bytes. */
    REPORT_PARSE_FAILED(Layer.PARSE),
    /** VERSION is 0, 1 or newer than the newest layout this parser knows (5). */
    REPORT_VERSION_UNSUPPORTED(Layer.PARSE),
    /** VERSION is below the policy's minimum. */
    REPORT_VERSION_TOO_OLD(Layer.PARSE),
    UNSUPPORTED_SIGNATURE_ALGO(Layer.PARSE),
    /** KEY_INFO.MASK_CHIP_KEY is set: the firmware did not sign the report. */
    MASK_CHIP_KEY_ENABLED(Layer.PARSE),
    /** KEY_INFO.SIGNING_KEY names neither the VCEK nor the VLEK. */
    SIGNING_KEY_UNSUPPORTED(Layer.PARSE),
    /** A reserved field, KEY_INFO bit or signature padding byte is not zero. */
    REPORT_RESERVED_NONZERO(Layer.PARSE),
    /** POLICY has its must-be-one bit 17 clear or a reserved bit set. */
    GUEST_POLICY_INVALID(Layer.PARSE),
    /** The Azure HCL report header or size is not what the paravisor writes. */
    HCL_REPORT_INVALID(Layer.PARSE),
    /** The HCL runtime-data header (sizes, version, report type, hash type) is invalid. */
    VARDATA_INVALID(Layer.PARSE),
    /** The runtime claims are not one strict JSON object (duplicate keys, bad UTF-8...). */
    RUNTIME_CLAIMS_INVALID(Layer.PARSE),

    // Signatures and bindings.
    REPORT_SIG_INVALID(Layer.CRYPTO),
    /** REPORT_DATA is not the hash of the runtime claims followed by zero bytes. */
    AZURE_VARDATA_BINDING_MISMATCH(Layer.CRYPTO),
    /** The runtime claims carry no {@code user-data}. */
    USER_DATA_MISSING(Layer.CRYPTO),
    /** {@code user-data} is not a string of exactly 128 hex digits. */
    USER_DATA_INVALID(Layer.CRYPTO),

    // Certificates and revocation.
    CERT_CHAIN_MISSING(Layer.CHAIN),
    CERT_CHAIN_TOO_LONG(Layer.CHAIN),
    CERT_PARSE_FAILED(Layer.CHAIN),
    /** A certificate's subject CN is none of AMD's ({@code ARK-*}, {@code SEV-*}). */
    CERT_UNKNOWN_SUBJECT(Layer.CHAIN),
    /** Two certificates claim the same role. */
    CERT_DUPLICATE(Layer.CHAIN),
    /** The VEK the report names, or its ASK/ASVK, is not in the evidence. */
    CERT_TYPE_MISSING(Layer.CHAIN),
    ARK_NOT_KNOWN(Layer.CHAIN),
    ARK_NOT_YET_VALID(Layer.CHAIN),
    ARK_EXPIRED(Layer.CHAIN),
    /** The ASK or ASVK is not yet valid. */
    ASK_NOT_YET_VALID(Layer.CHAIN),
    /** The ASK or ASVK has expired. */
    ASK_EXPIRED(Layer.CHAIN),
    VEK_NOT_YET_VALID(Layer.CHAIN),
    VEK_EXPIRED(Layer.CHAIN),
    /** A certificate signature or path constraint fails under the pinned ARK. */
    CHAIN_SIG_INVALID(Layer.CHAIN),
    /** The VCEK/VLEK AMD extensions are missing, malformed or of the wrong kind. */
    VEK_EXTENSIONS_INVALID(Layer.CHAIN),
    /** The VCEK/VLEK key is not an EC P-384 key. */
    VEK_KEY_UNSUPPORTED(Layer.CHAIN),
    /** The report's CPUID, the ARK, the ASK/ASVK and the VEK productName disagree. */
    PRODUCT_MISMATCH(Layer.CHAIN),
    /** A version 3+ report names a CPU family/model that is not Milan, Genoa or Turin. */
    PRODUCT_UNKNOWN(Layer.CHAIN),
    /** The CRL source failed. */
    CRL_UNAVAILABLE(Layer.CHAIN),
    /** The policy requires a CRL and the source has none. */
    CRL_MISSING(Layer.CHAIN),
    CRL_PARSE_FAILED(Layer.CHAIN),
    CRL_ISSUER_MISMATCH(Layer.CHAIN),
    CRL_SIG_INVALID(Layer.CHAIN),
    CRL_NOT_YET_VALID(Layer.CHAIN),
    /** The CRL is past its nextUpdate or has none. */
    CRL_EXPIRED(Layer.CHAIN),
    /** The ARK's CRL lists the serial of the ASK or ASVK. */
    ASK_REVOKED(Layer.CHAIN),

    // Certificate-to-report binding.
    TCB_BOOTLOADER_MISMATCH(Layer.POLICY),
    TCB_TEE_MISMATCH(Layer.POLICY),
    TCB_SNP_MISMATCH(Layer.POLICY),
    TCB_MICROCODE_MISMATCH(Layer.POLICY),
    TCB_FMC_MISMATCH(Layer.POLICY),
    /** REPORTED_TCB is above CURRENT_TCB in some component. */
    REPORTED_TCB_ABOVE_CURRENT(Layer.POLICY),
    CHIP_ID_MISMATCH(Layer.POLICY),
    /** CHIP_ID is all zero, so the VCEK cannot be bound to the chip, and the policy forbids that. */
    CHIP_ID_MASKED(Layer.POLICY),

    // Guest policy.
    HOST_REQUESTED_REPORT_REJECTED(Layer.POLICY),
    VMPL_MISMATCH(Layer.POLICY),
    DEBUG_GUEST_REJECTED(Layer.POLICY),
    MIGRATABLE_GUEST_REJECTED(Layer.POLICY),
    SMT_POLICY_MISMATCH(Layer.POLICY),
    SINGLE_SOCKET_POLICY_MISMATCH(Layer.POLICY),
    /** The product is not in the policy's accepted set. */
    PRODUCT_NOT_ACCEPTED(Layer.POLICY),
    /** A REPORTED_TCB component is below the policy's minimum. */
    TCB_BELOW_MINIMUM(Layer.POLICY),
    /** COMMITTED_TCB differs from CURRENT_TCB and the policy forbids provisional firmware. */
    COMMITTED_TCB_MISMATCH(Layer.POLICY),
    GUEST_SVN_BELOW_MINIMUM(Layer.POLICY),
    FAMILY_ID_MISMATCH(Layer.POLICY),
    IMAGE_ID_MISMATCH(Layer.POLICY),
    HOST_DATA_MISMATCH(Layer.POLICY),
    ID_KEY_DIGEST_MISMATCH(Layer.POLICY),
    AUTHOR_KEY_DIGEST_MISMATCH(Layer.POLICY),
    MEASUREMENT_MISMATCH(Layer.POLICY);

    /** The reference's grouping of failures. */
    public enum Layer {
        /** Wire format and structure: nothing was verified yet. */
        PARSE,
        /** Signatures and hash bindings. */
        CRYPTO,
        /** Certificates, pinning and revocation. */
        CHAIN,
        /** Certificate binding and guest policy on a genuine report. */
        POLICY
    }

    private final Layer layer;

    SnpFailure(Layer layer) {
        this.layer = layer;
    }

    /** The group this failure belongs to. */
    public Layer layer() {
        return layer;
    }

    /** The metrics tag value: the constant's name in lower case with hyphens. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
