package dev.securechannel.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The current key of one direction, kept only so that key update (PROTOCOL.md section 8.3)
 * can derive the next one: {@code k_next = HKDF-Expand(PRK = k_current, "cmt-key-update", 32)}.
 * The old key is wiped as soon as the next exists. Not thread-safe: owned by one context.
 */
final class TrafficKey {

    private static final byte[] KEY_UPDATE = "cmt-key-update".getBytes(StandardCharsets.US_ASCII);

    private final CryptoBackend backend;
    private byte[] current;

    TrafficKey(CryptoBackend backend, byte[] key) {
        this.backend = backend;
        this.current = key.clone();
    }

    /** Replaces the key with the next one and returns a copy of it for the cipher. */
    byte[] advance() {
        byte[] next = Hkdf.expand(backend, current, KEY_UPDATE, RecordAlgorithm.KEY_LENGTH);
        Arrays.fill(current, (byte) 0);
        current = next;
        return next.clone();
    }

    void destroy() {
        Arrays.fill(current, (byte) 0);
    }
}
