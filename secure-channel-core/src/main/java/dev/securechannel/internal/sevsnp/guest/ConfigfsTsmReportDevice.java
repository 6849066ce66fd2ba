package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import dev.securechannel.attestation.sevsnp.guest.SnpExtendedReport;
import dev.securechannel.attestation.sevsnp.guest.SnpReportDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * SEV-SNP reports through the Linux configfs-tsm interface (Linux 6.7+; SEV-SNP.md section 6.1).
 * Each request gets its own entry directory under the report root, so concurrent requests in
 * this process or others do not share state:
 * <ol>
 *   <li>{@code mkdir <root>/<unique name>};</li>
 *   <li>check that {@code provider} reads {@code sev_guest} and read {@code generation};</li>
 *   <li>write {@code privlevel} if one is configured (checked against {@code privlevel_floor}),
 *       then the 64 bytes of {@code inblob};</li>
 *   <li>read {@code outblob} (the 1184-byte report) and {@code auxblob} (the host's certificate
 *       table, when the attribute exists);</li>
 *   <li>read {@code generation} again: it must have grown by exactly the number of attributes
 *       written, and the report must carry our REPORT_DATA, otherwise another writer touched the
 *       entry and the request is repeated in a fresh entry (at most {@code maxAttempts} times);</li>
 *   <li>{@code rmdir} the entry, whatever happened.</li>
 * </ol>
 * Thread-safe: instances keep no per-request state.
 */
public final class ConfigfsTsmReportDevice implements SnpReportDevice {

    /** Where the kernel exposes TSM reports when configfs is mounted at its usual place. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm/report");
    /** Requests tried before concurrent interference is reported as an error. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The {@code provider} value of the SEV-SNP guest driver. */
    public static final String SEV_GUEST_PROVIDER = "sev_guest";

    private static final int REPORT_DATA_OFFSET = 0x50;
    private static final int REPORT_DATA_SIZE = 64;
    private static final System.Logger LOG = System.getLogger(ConfigfsTsmReportDevice.class.getName());
    /** With the process id, makes entry names unique across threads and processes. */
    private static final AtomicLong ENTRY_COUNTER = new AtomicLong();

    private final Path root;
    private final @Nullable Integer privilegeLevel;
    private final int maxAttempts;
    private final TsmReportFiles files;

    /** The default root, no privilege level (VMPL 0 guests), {@link #DEFAULT_MAX_ATTEMPTS}. */
    public ConfigfsTsmReportDevice() {
        this(DEFAULT_ROOT, null, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @param root           the configfs-tsm report directory, normally {@link #DEFAULT_ROOT}
     * @param privilegeLevel the VMPL to request (0..3), or {@code null} to leave the kernel's
     *                       default; needed only when the guest runs above VMPL 0 under an SVSM
     * @param maxAttempts    how many fresh entries to try when another writer interferes (at least 1)
     */
    public ConfigfsTsmReportDevice(Path root, @Nullable Integer privilegeLevel, int maxAttempts) {
        this(root, privilegeLevel, maxAttempts, TsmReportFiles.KERNEL);
    }

    /** As the other constructor, with the file operations replaceable by a simulated configfs for tests. */
    public ConfigfsTsmReportDevice(Path root, @Nullable Integer privilegeLevel, int maxAttempts, TsmReportFiles files) {
        if (privilegeLevel != null && (privilegeLevel < 0 || privilegeLevel > 3)) {
            throw new IllegalArgumentException("privilege level must be 0..3, not " + privilegeLevel);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        this.root = root;
        this.privilegeLevel = privilegeLevel;
        this.maxAttempts = maxAttempts;
        this.files = files;
    }

    /** The report directory this device creates its entries in. */
    public Path root() {
        return root;
    }

    @Override
    public SnpExtendedReport requestReport(byte[] reportData) throws IOException {
        if (reportData.length != REPORT_DATA_SIZE) {
            throw new IllegalArgumentException("REPORT_DATA must be 64 bytes, not " + reportData.length);
        }
        if (!Files.isDirectory(root)) {
            throw new SnpEvidenceException(SnpEvidenceFailure.CONFIGFS_UNAVAILABLE, root + " does not exist: configfs-tsm"
                    + " needs Linux 6.7+ with CONFIG_TSM_REPORTS, the sev-guest driver and configfs mounted at /sys/kernel/config");
        }
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Path entry = createEntry();
            try {
                SnpExtendedReport report = requestInEntry(entry, reportData);
                if (report != null) {
                    return report;
                }
                LOG.log(System.Logger.Level.DEBUG, "configfs-tsm entry {0} was changed by another writer (attempt {1} of {2})",
                        entry, attempt, maxAttempts);
            } finally {
                removeEntry(entry);
            }
        }
        throw new SnpEvidenceException(SnpEvidenceFailure.CONCURRENT_WRITER, "another writer changed the configfs-tsm entry (or the"
                + " report did not carry our REPORT_DATA) in each of " + maxAttempts + " attempts under " + root);
    }

    /** One request in one entry; {@code null} when another writer interfered. */
    private @Nullable SnpExtendedReport requestInEntry(Path entry, byte[] reportData) throws IOException {
        requireSevGuestProvider(entry);
        long generationBefore = readGeneration(entry);
        int attributesWritten = 0;
        if (privilegeLevel != null) {
            requirePrivilegeLevelAllowed(entry, privilegeLevel);
            writeAttribute(entry, "privlevel", Integer.toString(privilegeLevel).getBytes(StandardCharsets.US_ASCII));
            attributesWritten++;
        }
        writeAttribute(entry, "inblob", reportData);
        attributesWritten++;
        byte[] report = readBlob(entry, "outblob");
        Path auxblob = entry.resolve("auxblob");
        byte[] certificateTable = files.exists(auxblob) ? readBlob(entry, "auxblob") : new byte[0];
        long generationAfter = readGeneration(entry);
        if (generationAfter != generationBefore + attributesWritten) {
            return null;
        }
        if (report.length != SnpExtendedReport.REPORT_SIZE) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_REPORT, "outblob has " + report.length
                    + " bytes instead of " + SnpExtendedReport.REPORT_SIZE);
        }
        // The generation check covers writes through configfs; comparing REPORT_DATA also
        // catches a report produced for someone else's inblob by any other route.
        if (!Arrays.equals(report, REPORT_DATA_OFFSET, REPORT_DATA_OFFSET + REPORT_DATA_SIZE, reportData, 0, REPORT_DATA_SIZE)) {
            return null;
        }
        return new SnpExtendedReport(report, certificateTable);
    }

    private Path createEntry() throws IOException {
        while (true) {
            Path entry = root.resolve("secure-channel-" + ProcessHandle.current().pid() + "-" + ENTRY_COUNTER.incrementAndGet());
            try {
                files.createEntry(entry);
                return entry;
            } catch (FileAlreadyExistsException leftover) {
                // An entry of an earlier process with the same pid: take the next name.
            } catch (AccessDeniedException e) {
                throw new SnpEvidenceException(SnpEvidenceFailure.CONFIGFS_UNAVAILABLE, "no permission to create an entry in "
                        + root + ": configfs-tsm reports need root (CAP_SYS_ADMIN)", e);
            }
        }
    }

    private void removeEntry(Path entry) {
        try {
            files.removeEntry(entry);
        } catch (IOException e) {
            // The report is valid either way; a leftover entry only costs a little kernel memory.
            LOG.log(System.Logger.Level.WARNING, "could not remove configfs-tsm entry " + entry, e);
        }
    }

    private void requireSevGuestProvider(Path entry) throws IOException {
        Path providerFile = entry.resolve("provider");
        if (!files.exists(providerFile)) {
            return; // kernels before the provider attribute; the report size check still applies
        }
        String provider = text(files.read(providerFile));
        if (!SEV_GUEST_PROVIDER.equals(provider)) {
            throw new SnpEvidenceException(SnpEvidenceFailure.PROVIDER_UNSUPPORTED, "configfs-tsm provider is '" + provider
                    + "', not '" + SEV_GUEST_PROVIDER + "': this guest is not an SEV-SNP guest");
        }
    }

    private void requirePrivilegeLevelAllowed(Path entry, int level) throws IOException {
        Path floorFile = entry.resolve("privlevel_floor");
        if (!files.exists(floorFile)) {
            return;
        }
        long floor = parseDecimal(floorFile, files.read(floorFile));
        if (level < floor) {
            throw new SnpEvidenceException(SnpEvidenceFailure.PRIVLEVEL_INVALID, "privilege level " + level
                    + " is below this guest's privlevel_floor " + floor);
        }
    }

    private long readGeneration(Path entry) throws IOException {
        Path generationFile = entry.resolve("generation");
        return parseDecimal(generationFile, files.read(generationFile));
    }

    private void writeAttribute(Path entry, String attribute, byte[] value) throws IOException {
        try {
            files.write(entry.resolve(attribute), value);
        } catch (IOException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.DEVICE_FAILED, "the kernel refused " + value.length
                    + " bytes for " + attribute + " (" + e.getMessage() + ")", e);
        }
    }

    private byte[] readBlob(Path entry, String attribute) throws IOException {
        try {
            return files.read(entry.resolve(attribute));
        } catch (IOException e) {
            // EINVAL: bad parameters; ENXIO: firmware error status; EFBIG: certificates too large.
            throw new SnpEvidenceException(SnpEvidenceFailure.DEVICE_FAILED, "reading " + attribute + " of " + entry
                    + " failed (" + e.getMessage() + "); the SEV-SNP firmware or host refused the request", e);
        }
    }

    private static long parseDecimal(Path file, byte[] content) {
        String text = text(content);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.DEVICE_FAILED, file + " holds '" + text + "', not a number");
        }
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.US_ASCII).trim();
    }

    @Override
    public String toString() {
        return "ConfigfsTsmReportDevice[" + root + (privilegeLevel == null ? "" : ", privlevel " + privilegeLevel) + "]";
    }

    /**
     * The file operations on configfs-tsm entries. In configfs these are kernel callbacks:
     * {@code mkdir} populates the attributes, reading {@code outblob} runs the firmware request,
     * {@code rmdir} removes a non-empty entry. Tests stand in a simulated kernel here, over a
     * real directory.
     */
    public interface TsmReportFiles {

        /** The real configfs, through ordinary file operations. */
        TsmReportFiles KERNEL = new TsmReportFiles() {

            @Override
            public void createEntry(Path entry) throws IOException {
                Files.createDirectory(entry);
            }

            @Override
            public boolean exists(Path attribute) {
                return Files.exists(attribute);
            }

            @Override
            public byte[] read(Path attribute) throws IOException {
                return Files.readAllBytes(attribute);
            }

            @Override
            public void write(Path attribute, byte[] value) throws IOException {
                // No CREATE or TRUNCATE_EXISTING: configfs attributes exist already and take
                // one whole value per open, committed when the file is closed.
                try (FileChannel channel = FileChannel.open(attribute, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(value);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }

            @Override
            public void removeEntry(Path entry) throws IOException {
                Files.delete(entry);
            }
        };

        void createEntry(Path entry) throws IOException;

        boolean exists(Path attribute);

        byte[] read(Path attribute) throws IOException;

        void write(Path attribute, byte[] value) throws IOException;

        void removeEntry(Path entry) throws IOException;
    }
}
