package dev.securechannel.internal.crypto;

/** The size checks every record AEAD applies before a provider sees its inputs. */
final class AeadArguments {

    private AeadArguments() {
    }

    /** A copy of a 32-byte key. */
    static byte[] key(byte[] key) {
        if (key.length != RecordAlgorithm.KEY_LENGTH) {
            throw new IllegalArgumentException("record key must be " + RecordAlgorithm.KEY_LENGTH + " bytes, was " + key.length);
        }
        return key.clone();
    }

    /** Refuses nonces other than 12 bytes, which some providers would otherwise accept (GCM takes any length). */
    static void nonce(byte[] nonce) {
        if (nonce.length != RecordAlgorithm.NONCE_LENGTH) {
            throw new IllegalArgumentException("record nonce must be " + RecordAlgorithm.NONCE_LENGTH + " bytes, was " + nonce.length);
        }
    }
}
