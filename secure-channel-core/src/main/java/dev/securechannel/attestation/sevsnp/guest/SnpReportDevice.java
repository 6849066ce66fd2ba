package dev.securechannel.attestation.sevsnp.guest;

import dev.securechannel.internal.sevsnp.guest.ConfigfsTsmReportDevice;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A way to ask the SEV-SNP firmware for a report carrying 64 bytes of our choosing: configfs-tsm
 * ({@link #configfsTsm()}) today, {@code /dev/sev-guest} ioctls once Java can call them
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

    /**
     * Reports through Linux configfs-tsm (kernel 6.7 or later) at
     * {@code /sys/kernel/config/tsm/report}, at the kernel's default privilege level (right for
     * guests at VMPL 0).
     */
    static SnpReportDevice configfsTsm() {
        return new ConfigfsTsmReportDevice();
    }

    /**
     * Reports through Linux configfs-tsm. Each request uses its own entry directory and is
     * repeated in a fresh one when another writer interferes.
     *
     * @param root           the configfs-tsm report directory, normally {@code /sys/kernel/config/tsm/report}
     * @param privilegeLevel the VMPL to request (0..3), or {@code null} to leave the kernel's
     *                       default; needed only when the guest runs above VMPL 0 under an SVSM
     * @throws IllegalArgumentException if {@code privilegeLevel} is not 0..3
     */
    static SnpReportDevice configfsTsm(Path root, @Nullable Integer privilegeLevel) {
        return new ConfigfsTsmReportDevice(root, privilegeLevel, ConfigfsTsmReportDevice.DEFAULT_MAX_ATTEMPTS);
    }
}
