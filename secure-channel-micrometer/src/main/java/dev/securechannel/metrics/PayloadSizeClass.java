package dev.securechannel.metrics;

/**
 * A bounded classification of frame payload sizes, the {@code size} tag of the per-message
 * timers: small messages, a page, activation tensors, and anything larger.
 */
public enum PayloadSizeClass {

    /** Up to 2 KiB: control frames and small requests. */
    UP_TO_2_KIB("le-2KiB", 2 * 1024),
    /** Above 2 KiB, up to 8 KiB. */
    UP_TO_8_KIB("le-8KiB", 8 * 1024),
    /** Above 8 KiB, up to 512 KiB. */
    UP_TO_512_KIB("le-512KiB", 512 * 1024),
    /** Above 512 KiB. */
    LARGER("gt-512KiB", Integer.MAX_VALUE);

    private static final PayloadSizeClass[] VALUES = values();

    private final String tagValue;
    private final int maxBytes;

    PayloadSizeClass(String tagValue, int maxBytes) {
        this.tagValue = tagValue;
        this.maxBytes = maxBytes;
    }

    /** The class of a payload of {@code bytes} plaintext bytes; no allocation. */
    public static PayloadSizeClass of(int bytes) {
        return VALUES[indexOf(bytes)];
    }

    /** The ordinal of {@link #of(int)}, for indexing pre-registered meters. */
    static int indexOf(int bytes) {
        if (bytes <= 2 * 1024) {
            return 0;
        }
        if (bytes <= 8 * 1024) {
            return 1;
        }
        return bytes <= 512 * 1024 ? 2 : 3;
    }

    /** The metrics tag value, for example {@code le-2KiB}. */
    public String tagValue() {
        return tagValue;
    }

    /** The largest payload in this class, in bytes ({@link Integer#MAX_VALUE} for the last). */
    public int maxBytes() {
        return maxBytes;
    }
}
