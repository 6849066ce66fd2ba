package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.guest.TpmDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The Linux TPM character device, by default the kernel resource manager {@code /dev/tpmrm0}:
 * one {@code write} of the whole command, one {@code read} of the whole response (at most
 * 4096 bytes), as the kernel driver requires (SEV-SNP.md section 9). No native library.
 *
 * <p>Each command opens the device afresh: the resource manager gives every open file its own
 * context, so concurrent callers never see each other's half-finished exchanges, and there is
 * no long-lived handle to close. The commands used here keep no TPM objects between calls, so
 * nothing is lost when the file closes. Thread-safe.
 */
public final class LinuxTpmDevice implements TpmDevice {

    /** The kernel TPM resource manager, which multiplexes the TPM between processes. */
    public static final Path DEFAULT_PATH = Path.of("/dev/tpmrm0");

    /** The kernel TPM driver's buffer size: no response is larger. */
    private static final int MAX_RESPONSE_SIZE = 4096;

    private final Path devicePath;

    /** Uses {@link #DEFAULT_PATH}. */
    public LinuxTpmDevice() {
        this(DEFAULT_PATH);
    }

    /** Uses the given TPM character device, for example {@code /dev/tpm0} when no resource manager is wanted. */
    public LinuxTpmDevice(Path devicePath) {
        this.devicePath = devicePath;
    }

    /** The device this instance talks to. */
    public Path devicePath() {
        return devicePath;
    }

    @Override
    public byte[] transmit(byte[] command) throws IOException {
        if (command.length < Tpm2Commands.HEADER_SIZE || command.length > MAX_RESPONSE_SIZE) {
            throw new IllegalArgumentException("a TPM command has 10 to 4096 bytes, not " + command.length);
        }
        try (FileChannel tpm = FileChannel.open(devicePath, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer out = ByteBuffer.allocateDirect(command.length).put(command).flip();
            int written = tpm.write(out);
            if (written != command.length) {
                throw new IOException("short write to " + devicePath + ": " + written + " of " + command.length + " bytes");
            }
            ByteBuffer in = ByteBuffer.allocateDirect(MAX_RESPONSE_SIZE);
            int read = tpm.read(in);
            if (read < Tpm2Commands.HEADER_SIZE) {
                throw new IOException("TPM response from " + devicePath + " has " + Math.max(read, 0) + " bytes, less than a header");
            }
            byte[] response = new byte[read];
            in.flip().get(response);
            return response;
        } catch (NoSuchFileException e) {
            throw new IOException("no TPM at " + devicePath + ": an Azure confidential VM exposes its vTPM there"
                    + " (the kernel's tpm_tis/tpm_crb driver and resource manager must be loaded)", e);
        } catch (AccessDeniedException e) {
            throw new IOException("no permission to open " + devicePath + ": run as root or in group 'tss'", e);
        }
    }

    @Override
    public String toString() {
        return "LinuxTpmDevice[" + devicePath + "]";
    }
}
