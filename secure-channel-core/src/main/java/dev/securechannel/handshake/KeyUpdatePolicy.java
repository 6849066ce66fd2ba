package dev.securechannel.handshake;

import java.time.Duration;
import java.util.Objects;

/**
 * When a sender replaces its key in a session that negotiated key update (PROTOCOL.md section
 * 8.3), besides the protocol's own limits (the counter's 2^32 - 1, AES-256-GCM's 2^36 bytes):
 * after {@code afterBytes} bytes of plaintext, or {@code afterTime} since the key was made,
 * whichever comes first.
 *
 * @param afterBytes plaintext bytes sealed under one key before the next frame updates it; at least 1 MiB
 * @param afterTime  age of a key after which the next frame updates it; positive
 */
public record KeyUpdatePolicy(long afterBytes, Duration afterTime) {

    /** Default: a new key every 1 GiB of plaintext or every hour. */
    public static final KeyUpdatePolicy DEFAULT = new KeyUpdatePolicy(1L << 30, Duration.ofHours(1));

    /** Smallest byte interval accepted: an update per frame would only cost time. */
    public static final long MIN_AFTER_BYTES = 1L << 20;

    /** Checks the bounds. */
    public KeyUpdatePolicy {
        Objects.requireNonNull(afterTime, "afterTime");
        if (afterBytes < MIN_AFTER_BYTES) {
            throw new IllegalArgumentException("key update interval must be at least 1 MiB: " + afterBytes + " bytes");
        }
        if (afterTime.isNegative() || afterTime.isZero()) {
            throw new IllegalArgumentException("key update interval must be positive: " + afterTime);
        }
    }
}
