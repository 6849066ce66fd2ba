package dev.securechannel.attestation.sevsnp.guest;

import java.util.Locale;

/**
 * Why this guest could not produce SEV-SNP evidence. The {@link #tagValue()} is a
 * low-cardinality metrics tag; the exception message carries the detail.
 */
public enum SnpEvidenceFailure {

    /** {@code /sys/kernel/config/tsm/report} is missing: no configfs, or a kernel before 6.7 without TSM reports. */
    CONFIGFS_UNAVAILABLE,
    /** The configfs-tsm entry's {@code provider} is not {@code sev_guest} (for example a TDX guest). */
    PROVIDER_UNSUPPORTED,
    /** The configured privilege level is outside 0..3 or below the guest's {@code privlevel_floor}. */
    PRIVLEVEL_INVALID,
    /** Another writer changed the configfs entry while the report was read, on every attempt. */
    CONCURRENT_WRITER,
    /** The guest driver or firmware refused the request (EINVAL, ENXIO, EFBIG...). */
    DEVICE_FAILED,
    /** The device returned a report that is not 1184 bytes or an HCL report that does not parse. */
    MALFORMED_REPORT,
    /** The host-supplied certificate table ({@code auxblob}) is out of bounds or holds a bad certificate. */
    MALFORMED_CERTIFICATE_TABLE,
    /** Neither the host nor a collateral source supplied the VCEK chain. */
    CERTIFICATES_UNAVAILABLE,
    /** A TPM 2.0 command returned a non-zero response code. */
    TPM_COMMAND_FAILED,
    /** A TPM response is truncated or its sizes disagree. */
    MALFORMED_TPM_RESPONSE,
    /** The Azure HCL report still carried other user data after the bounded number of reads. */
    STALE_REPORT;

    /** The metrics tag value: the constant's name in lower case with hyphens. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
