package dev.securechannel.attestation;

import dev.securechannel.internal.crypto.Sha256;
import java.util.Arrays;

/**
 * Opaque attestation evidence as carried in a hello's {@code doc} field (at most 64 KiB).
 * Its format is the provider's: {@code MOCK_ATT_V1}, {@code SEV_SNP_V1}, {@code AZ_SNP_V1}, ...
 *
 * @param bytes the encoded document; not copied, so callers must not change it
 */
public record AttestationDocument(byte[] bytes) {

    /** The largest document a hello may carry. */
    public static final int MAX_LENGTH = 64 * 1024;

    /** SHA-256 of the whole document, as hashed into the transcript. */
    public byte[] sha256() {
        return Sha256.hash(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AttestationDocument that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AttestationDocument[" + bytes.length + " bytes]";
    }
}
