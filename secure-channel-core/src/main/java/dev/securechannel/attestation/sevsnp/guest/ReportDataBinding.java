package dev.securechannel.attestation.sevsnp.guest;

import org.jspecify.annotations.Nullable;

/**
 * The 64 bytes both providers bind into their evidence (SEV-SNP.md section 7.2):
 * {@code publicKey(32) || nonce(32)}, raw, a missing value left as zeros, exactly as the Rust
 * reference does so that its verifiers read them back.
 */
final class ReportDataBinding {

    private static final int FIELD_SIZE = 32;

    private ReportDataBinding() {
    }

    static byte[] publicKeyThenNonce(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) {
        if (userData != null && userData.length != 0) {
            // REPORT_DATA has no room for it, and silently dropping it would let a caller believe it was attested.
            throw new IllegalArgumentException("SEV-SNP evidence cannot bind user data; only the public key and nonce fit");
        }
        byte[] bound = new byte[2 * FIELD_SIZE];
        copy(publicKey, "public key", bound, 0);
        copy(nonce, "nonce", bound, FIELD_SIZE);
        return bound;
    }

    private static void copy(byte @Nullable [] value, String name, byte[] into, int offset) {
        if (value == null) {
            return;
        }
        if (value.length != FIELD_SIZE) {
            throw new IllegalArgumentException("the " + name + " must be 32 bytes, not " + value.length);
        }
        System.arraycopy(value, 0, into, offset, FIELD_SIZE);
    }
}
