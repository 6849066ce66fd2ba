package dev.securechannel.internal.sevsnp;

/**
 * The guest POLICY word of a report (SEV-SNP.md 2.3): what the guest owner allowed at launch.
 *
 * @param value the unsigned 64-bit field
 */
public record SnpGuestPolicy(long value) {

    private static final long RESERVED_MUST_BE_ONE = 1L << 17;
    private static final long RESERVED_MUST_BE_ZERO = -1L << 26;

    /** Minimum firmware ABI minor version the guest accepts. */
    public int abiMinor() {
        return (int) (value & 0xFF);
    }

    /** Minimum firmware ABI major version the guest accepts. */
    public int abiMajor() {
        return (int) ((value >>> 8) & 0xFF);
    }

    /** Bit 16: simultaneous multithreading may be enabled. */
    public boolean smtAllowed() {
        return bit(16);
    }

    /** Bit 18: a migration agent may be associated with the guest. */
    public boolean migrationAgentAllowed() {
        return bit(18);
    }

    /** Bit 19: debugging is allowed, so the host can decrypt guest memory. */
    public boolean debugAllowed() {
        return bit(19);
    }

    /** Bit 20: the guest may only run on one socket. */
    public boolean singleSocketRequired() {
        return bit(20);
    }

    /** Bit 21: CXL memory may be attached. */
    public boolean cxlAllowed() {
        return bit(21);
    }

    /** Bit 22: AES-256-XTS memory encryption is required. */
    public boolean memAes256XtsRequired() {
        return bit(22);
    }

    /** Bit 23: running average power limit must be disabled. */
    public boolean raplDisabledRequired() {
        return bit(23);
    }

    /** Bit 24: ciphertext hiding for DRAM must be enabled. */
    public boolean ciphertextHidingRequired() {
        return bit(24);
    }

    /** Bit 25 (version 5 reports): page swap commands are disabled. */
    public boolean pageSwapDisabled() {
        return bit(25);
    }

    /** Whether bit 17 is set and bits 63:26 are clear, as the firmware requires. */
    public boolean reservedBitsValid() {
        return (value & RESERVED_MUST_BE_ONE) != 0 && (value & RESERVED_MUST_BE_ZERO) == 0;
    }

    /** The value in hex, {@code 0x3001f}. */
    public String hex() {
        return "0x" + Long.toHexString(value);
    }

    @Override
    public String toString() {
        return "SnpGuestPolicy[" + hex() + ", abi=" + abiMajor() + "." + abiMinor() + ", smt=" + smtAllowed()
                + ", migrateMa=" + migrationAgentAllowed() + ", debug=" + debugAllowed()
                + ", singleSocket=" + singleSocketRequired() + "]";
    }

    private boolean bit(int index) {
        return (value & (1L << index)) != 0;
    }
}
