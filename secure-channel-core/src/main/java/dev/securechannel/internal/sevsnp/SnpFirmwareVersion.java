package dev.securechannel.internal.sevsnp;

/**
 * An SNP firmware version as reported at 0x1E8 (current) and 0x1EC (committed): build, minor,
 * major in that byte order.
 */
public record SnpFirmwareVersion(int major, int minor, int build) {

    @Override
    public String toString() {
        return major + "." + minor + "." + build;
    }
}
