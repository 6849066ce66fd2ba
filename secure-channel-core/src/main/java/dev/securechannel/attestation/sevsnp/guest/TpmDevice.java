package dev.securechannel.attestation.sevsnp.guest;

import dev.securechannel.internal.sevsnp.guest.LinuxTpmDevice;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A TPM 2.0 command transport: one complete command in, one complete response out. The real
 * one is {@link #linux()}; tests substitute a simulated TPM. Implementations must be
 * safe to call from several threads (a TPM executes one command at a time anyway).
 */
@FunctionalInterface
public interface TpmDevice {

    /**
     * Sends one command and returns the TPM's whole response, header included. A TPM error is
     * a normal response with a non-zero code, not an exception.
     *
     * @throws IOException if the command could not be delivered or no response came back
     */
    byte[] transmit(byte[] command) throws IOException;

    /**
     * The kernel's TPM resource manager {@code /dev/tpmrm0}, which gives every command its own
     * context so that other processes using the TPM do not interfere.
     */
    static TpmDevice linux() {
        return new LinuxTpmDevice();
    }

    /**
     * A Linux TPM character device, for example {@code /dev/tpm0} when no resource manager is
     * wanted. Each command opens the device afresh; no native library is used.
     */
    static TpmDevice linux(Path devicePath) {
        return new LinuxTpmDevice(devicePath);
    }
}
