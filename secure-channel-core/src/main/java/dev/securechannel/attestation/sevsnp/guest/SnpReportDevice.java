package dev.securechannel.attestation.sevsnp.guest;

import java.io.IOException;

/**
 * A way to ask the SEV-SNP firmware for a report carrying 64 bytes of our choosing: configfs-tsm
 * ({@link ConfigfsTsmReportDevice}) today, {@code /dev/sev-guest} ioctls once Java can call them
 * without JNI. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SnpReportDevice {

    /**
     * Requests a report with the given REPORT_DATA.
     *
     * @param reportData exactly 64 bytes, copied into the report's REPORT_DATA field
     * @throws SnpEvidenceException for a refusal the caller cannot fix by retrying
     * @throws IOException          for a failure of the underlying files or device
     */
    SnpExtendedReport requestReport(byte[] reportData) throws IOException;
}
