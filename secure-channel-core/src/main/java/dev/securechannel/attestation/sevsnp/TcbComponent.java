package dev.securechannel.attestation.sevsnp;

/**
 * A security patch level (SPL) inside a TCB_VERSION, named as in the VCEK extensions and KDS
 * query ({@code blSPL}, {@code teeSPL}, {@code snpSPL}, {@code ucodeSPL}, {@code fmcSPL}).
 */
public enum TcbComponent {
    /** The PSP boot loader. */
    BOOTLOADER,
    /** The PSP operating system (TEE). */
    TEE,
    /** The SNP firmware. */
    SNP,
    /** The CPU microcode. */
    MICROCODE,
    /** The firmware mask ROM patch (Turin and later only). */
    FMC
}
