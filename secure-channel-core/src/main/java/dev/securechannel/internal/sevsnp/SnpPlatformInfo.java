package dev.securechannel.internal.sevsnp;

/**
 * The PLATFORM_INFO word of a report (SEV-SNP.md 2.3): how the host platform was configured.
 *
 * @param value the unsigned 64-bit field
 */
public record SnpPlatformInfo(long value) {

    /** Bit 0: SMT is enabled on the host. */
    public boolean smtEnabled() {
        return bit(0);
    }

    /** Bit 1: transparent SME is enabled. */
    public boolean tsmeEnabled() {
        return bit(1);
    }

    /** Bit 2: ECC memory is in use. */
    public boolean eccEnabled() {
        return bit(2);
    }

    /** Bit 3: RAPL is disabled. */
    public boolean raplDisabled() {
        return bit(3);
    }

    /** Bit 4: ciphertext hiding is enabled. */
    public boolean ciphertextHidingEnabled() {
        return bit(4);
    }

    /** Bit 5 (version 3+): the memory alias check has completed. */
    public boolean aliasCheckComplete() {
        return bit(5);
    }

    /** Bit 7 (version 5): SEV-TIO is enabled. */
    public boolean tioEnabled() {
        return bit(7);
    }

    /** The value in hex, {@code 0x25}. */
    public String hex() {
        return "0x" + Long.toHexString(value);
    }

    private boolean bit(int index) {
        return (value & (1L << index)) != 0;
    }
}
