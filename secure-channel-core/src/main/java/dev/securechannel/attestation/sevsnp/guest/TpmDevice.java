package dev.securechannel.attestation.sevsnp.guest;

import java.io.IOException;

/**
 * A TPM 2.0 command transport: one complete command in, one complete response out. The real
 * one is {@link LinuxTpmDevice}; tests substitute a simulated TPM. Implementations must be
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
}
