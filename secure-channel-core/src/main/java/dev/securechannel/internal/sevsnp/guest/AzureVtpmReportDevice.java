package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import dev.securechannel.attestation.sevsnp.guest.TpmDevice;
import dev.securechannel.internal.sevsnp.HclReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Gets an Azure HCL report that carries 64 bytes of our choosing, through the vTPM NV mailbox of
 * an Azure confidential VM (SEV-SNP.md sections 5.5 and 5.8):
 * <ol>
 *   <li>make sure NV index 0x01400002 exists with 64 bytes (define it, or
 *       undefine and redefine it if its size is wrong);</li>
 *   <li>{@code TPM2_NV_Write} the user data to it;</li>
 *   <li>read NV index 0x01400001 from offset 0 in chunks of the TPM's
 *       NV_BUFFER_MAX: the paravisor regenerates the report on that offset-0 read;</li>
 *   <li>parse the report's runtime claims; if their {@code user-data} is not ours (the paravisor
 *       refreshes at most once per two seconds and keeps the old report otherwise), wait the
 *       refresh interval and read again, at most {@code maxReads} times.</li>
 * </ol>
 * The user-data index is one mailbox for the whole VM, so report generation is serialised across
 * every instance in this process by a static lock, and a read is never issued sooner than the
 * refresh interval after this process's previous one. Other processes writing the mailbox at the
 * same time can still make a report stale; the bounded re-reads absorb that. Thread-safe.
 */
public final class AzureVtpmReportDevice {

    /** NV index of the HCL report the paravisor publishes. */
    public static final int HCL_REPORT_INDEX = 0x01400001;
    /** NV index the guest writes its 64 bytes of user data to. */
    public static final int USER_DATA_INDEX = 0x01400002;
    private static final String HCL_REPORT_INDEX_HEX = "0x01400001";
    private static final String USER_DATA_INDEX_HEX = "0x01400002";
    /** Size of the user data, copied into the claims as {@code user-data}. */
    public static final int USER_DATA_SIZE = 64;
    /** The attributes Microsoft's own tool gives the user-data index: owner or auth may read and write. */
    public static final int USER_DATA_ATTRIBUTES = Tpm2Commands.TPMA_NV_OWNERWRITE | Tpm2Commands.TPMA_NV_AUTHWRITE
            | Tpm2Commands.TPMA_NV_OWNERREAD | Tpm2Commands.TPMA_NV_AUTHREAD;
    /** OpenHCL's REPORT_TIMER_PERIOD: the paravisor refreshes the report at most this often. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(2);
    /** Reads of the report before giving up on a stale one (about eight seconds at the default interval). */
    public static final int DEFAULT_MAX_READS = 5;

    /** The kernel's TPM buffer is 4096 bytes; a read chunk plus the response framing must fit. */
    private static final int MAX_CHUNK = 4096 - 64;
    private static final int TRANSIENT_RETRIES = 3;

    /** One lock for the VM-global mailbox; also guards {@link #lastReportRead}. */
    private static final ReentrantLock NV_MAILBOX = new ReentrantLock(true);
    /** System.nanoTime() of this process's last read of the report, or null before the first. */
    private static @Nullable Long lastReportRead;

    private final TpmDevice tpm;
    private final Duration refreshInterval;
    private final int maxReads;
    private volatile int chunkSize;

    /** {@code /dev/tpmrm0} with the default interval and number of reads. */
    public AzureVtpmReportDevice() {
        this(new LinuxTpmDevice(), DEFAULT_REFRESH_INTERVAL, DEFAULT_MAX_READS);
    }

    /**
     * @param tpm             the vTPM
     * @param refreshInterval the least time between two reads of the report, and so the wait
     *                        before re-reading a stale one (normally {@link #DEFAULT_REFRESH_INTERVAL})
     * @param maxReads        reads of the report before a stale one is an error (at least 1)
     */
    public AzureVtpmReportDevice(TpmDevice tpm, Duration refreshInterval, int maxReads) {
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval must not be negative");
        }
        if (maxReads < 1) {
            throw new IllegalArgumentException("maxReads must be at least 1, not " + maxReads);
        }
        this.tpm = tpm;
        this.refreshInterval = refreshInterval;
        this.maxReads = maxReads;
    }

    /**
     * Writes {@code userData} to the mailbox and returns the whole HCL report (the NV index's
     * full content, zero padding included) once its claims carry that user data.
     *
     * @param userData exactly 64 bytes
     * @throws TpmResponseException for a TPM error, with the response code in the message
     * @throws SnpEvidenceException STALE_REPORT if every read returned other user data,
     *                              MALFORMED_REPORT if the report does not parse
     * @throws IOException          if the TPM device fails
     */
    public byte[] hclReport(byte[] userData) throws IOException {
        if (userData.length != USER_DATA_SIZE) {
            throw new IllegalArgumentException("user data must be 64 bytes, not " + userData.length);
        }
        String expected = HexFormat.of().formatHex(userData);
        try {
            NV_MAILBOX.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the vTPM mailbox");
        }
        try {
            ensureUserDataIndex();
            Tpm2Commands.requireSuccess(Tpm2Commands.TPM_CC_NV_WRITE, "of " + USER_DATA_INDEX_HEX,
                    transmit(Tpm2Commands.nvWrite(USER_DATA_INDEX, userData, 0)));
            String lastSeen = "none";
            for (int read = 1; read <= maxReads; read++) {
                awaitRefreshWindow();
                byte[] report = readHclReport();
                Optional<String> carried = userDataHex(report);
                if (carried.isPresent() && carried.get().equalsIgnoreCase(expected)) {
                    return report;
                }
                lastSeen = carried.map(hex -> hex.length() > 16 ? hex.substring(0, 16) + "..." : hex).orElse("none");
            }
            throw new SnpEvidenceException(SnpEvidenceFailure.STALE_REPORT, "the HCL report still carried user-data " + lastSeen
                    + " after " + maxReads + " reads " + refreshInterval.toMillis() + " ms apart; another process may be"
                    + " writing NV index " + USER_DATA_INDEX_HEX + " or the paravisor failed to refresh the report");
        } finally {
            NV_MAILBOX.unlock();
        }
    }

    /** Defines the user-data index with 64 bytes unless it already exists with that size. */
    private void ensureUserDataIndex() throws IOException {
        try {
            NvPublic existing = Tpm2Commands.parseNvReadPublic(USER_DATA_INDEX, transmit(Tpm2Commands.nvReadPublic(USER_DATA_INDEX)));
            if (existing.dataSize() == USER_DATA_SIZE) {
                return;
            }
            Tpm2Commands.requireSuccess(Tpm2Commands.TPM_CC_NV_UNDEFINE_SPACE, "of " + USER_DATA_INDEX_HEX + " (" + existing.dataSize()
                    + " bytes instead of 64)", transmit(Tpm2Commands.nvUndefineSpace(USER_DATA_INDEX)));
        } catch (TpmResponseException e) {
            if (e.commandCode() != Tpm2Commands.TPM_CC_NV_READ_PUBLIC || !Tpm2Commands.isUndefinedIndex(e.responseCode())) {
                throw e;
            }
        }
        byte[] response = transmit(Tpm2Commands.nvDefineSpace(USER_DATA_INDEX, USER_DATA_ATTRIBUTES, USER_DATA_SIZE));
        try {
            Tpm2Commands.requireSuccess(Tpm2Commands.TPM_CC_NV_DEFINE_SPACE, "of " + USER_DATA_INDEX_HEX, response);
        } catch (TpmResponseException e) {
            // Another process defined it between our look-up and our definition: fine.
            if (e.responseCode() != Tpm2Commands.TPM_RC_NV_DEFINED) {
                throw e;
            }
        }
    }

    /** Reads the whole report index from offset 0, in chunks. */
    private byte[] readHclReport() throws IOException {
        byte[] publicResponse = transmit(Tpm2Commands.nvReadPublic(HCL_REPORT_INDEX));
        Tpm2Commands.requireSuccess(Tpm2Commands.TPM_CC_NV_READ_PUBLIC,
                "of " + HCL_REPORT_INDEX_HEX + " (the HCL report; is this an Azure confidential VM?)", publicResponse);
        int size = Tpm2Commands.parseNvReadPublic(HCL_REPORT_INDEX, publicResponse).dataSize();
        int chunk = chunkSize();
        ByteArrayOutputStream report = new ByteArrayOutputStream(size);
        try {
            for (int offset = 0; offset < size; offset += chunk) {
                int length = Math.min(chunk, size - offset);
                byte[] data = Tpm2Commands.parseNvRead(HCL_REPORT_INDEX, transmit(Tpm2Commands.nvRead(HCL_REPORT_INDEX, length, offset)));
                if (data.length != length) {
                    throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_TPM_RESPONSE, "TPM2_NV_Read of " + HCL_REPORT_INDEX_HEX
                            + " returned " + data.length + " bytes at offset " + offset + " instead of " + length);
                }
                report.writeBytes(data);
            }
        } finally {
            lastReportRead = System.nanoTime(); // the offset-0 read started the paravisor's refresh period
        }
        return report.toByteArray();
    }

    /** The TPM's NV_BUFFER_MAX, asked once, bounded by what the kernel's buffer can return. */
    private int chunkSize() throws IOException {
        int known = chunkSize;
        if (known > 0) {
            return known;
        }
        int reported = Tpm2Commands.parseTpmProperty(transmit(Tpm2Commands.getTpmProperty(Tpm2Commands.TPM_PT_NV_BUFFER_MAX)),
                Tpm2Commands.TPM_PT_NV_BUFFER_MAX);
        if (reported <= 0) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_TPM_RESPONSE, "TPM reports NV_BUFFER_MAX " + reported);
        }
        chunkSize = Math.min(reported, MAX_CHUNK);
        return chunkSize;
    }

    private void awaitRefreshWindow() throws InterruptedIOException {
        Long previousRead = lastReportRead;
        if (previousRead == null) {
            return;
        }
        long wait = previousRead + refreshInterval.toNanos() - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the HCL report refresh");
            }
        }
    }

    private static Optional<String> userDataHex(byte[] report) {
        try {
            return HclReport.parse(report).userDataHex();
        } catch (SnpVerificationException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_REPORT, "NV index " + HCL_REPORT_INDEX_HEX
                    + " does not hold a valid HCL report: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a command, resending it a few times on the TPM's "busy, try again" warnings
     * (TPM_RC_YIELDED, TPM_RC_TESTING, TPM_RC_RETRY), which a resource manager may pass through.
     */
    private byte[] transmit(byte[] command) throws IOException {
        byte[] response = tpm.transmit(command);
        for (int retry = 0; retry < TRANSIENT_RETRIES && isTransient(response); retry++) {
            try {
                TimeUnit.MILLISECONDS.sleep(20L << retry);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while resending a TPM command");
            }
            response = tpm.transmit(command);
        }
        return response;
    }

    private static boolean isTransient(byte[] response) {
        if (response.length < Tpm2Commands.HEADER_SIZE) {
            return false;
        }
        int code = ((response[6] & 0xFF) << 24) | ((response[7] & 0xFF) << 16) | ((response[8] & 0xFF) << 8) | (response[9] & 0xFF);
        return code == 0x908 || code == 0x90A || code == 0x922;
    }

    @Override
    public String toString() {
        return "AzureVtpmReportDevice[" + tpm + ", refresh " + refreshInterval.toMillis() + " ms, " + maxReads + " reads]";
    }
}
