package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;

/**
 * A TPM 2.0 command came back with a non-zero response code. The message names the command,
 * the NV index it addressed and the code in hex with its TPM 2.0 name (for example
 * {@code TPM_RC_HANDLE (handle 1)}), so an operator can look it up in the TPM specification.
 */
public final class TpmResponseException extends SnpEvidenceException {

    private static final long serialVersionUID = 1L;

    private final int commandCode;
    private final int responseCode;

    /**
     * @param target what the command addressed, for example {@code "of 0x01400001"}; may be empty
     */
    public TpmResponseException(int commandCode, int responseCode, String target) {
        super(SnpEvidenceFailure.TPM_COMMAND_FAILED, Tpm2Commands.commandName(commandCode) + (target.isEmpty() ? "" : " " + target)
                + " failed with TPM RC " + String.format("0x%08X", responseCode)
                + " (" + Tpm2Commands.describeResponseCode(responseCode) + ")");
        this.commandCode = commandCode;
        this.responseCode = responseCode;
    }

    /** The TPM_CC of the failed command, for example {@code 0x137} for TPM2_NV_Write. */
    public int commandCode() {
        return commandCode;
    }

    /** The raw TPM_RC, including the handle, parameter or session number of format-one codes. */
    public int responseCode() {
        return responseCode;
    }
}
