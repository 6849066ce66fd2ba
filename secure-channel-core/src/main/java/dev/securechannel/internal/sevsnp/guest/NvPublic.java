package dev.securechannel.internal.sevsnp.guest;

import java.util.Arrays;

/**
 * The public area of a TPM NV index as {@code TPM2_NV_ReadPublic} returns it
 * ({@code TPMS_NV_PUBLIC}).
 *
 * @param nvIndex    the index handle, for example {@code 0x01400001}
 * @param nameAlg    the name algorithm, {@code 0x000B} for SHA-256
 * @param attributes the {@code TPMA_NV} bits
 * @param authPolicy the policy digest, empty when the index has none
 * @param dataSize   the size of the index's data in bytes: 2600 for the HCL report on current Azure
 */
public record NvPublic(int nvIndex, int nameAlg, int attributes, byte[] authPolicy, int dataSize) {

    public NvPublic {
        authPolicy = authPolicy.clone();
    }

    @Override
    public byte[] authPolicy() {
        return authPolicy.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NvPublic that && nvIndex == that.nvIndex && nameAlg == that.nameAlg
                && attributes == that.attributes && Arrays.equals(authPolicy, that.authPolicy) && dataSize == that.dataSize;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(authPolicy) + nvIndex + 17 * dataSize;
    }

    @Override
    public String toString() {
        return String.format("NvPublic[index=0x%08X, nameAlg=0x%04X, attributes=0x%08X, dataSize=%d]", nvIndex, nameAlg, attributes, dataSize);
    }
}
