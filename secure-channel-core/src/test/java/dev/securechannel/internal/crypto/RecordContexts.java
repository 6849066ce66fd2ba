package dev.securechannel.internal.crypto;

/**
 * Test access to record contexts that start part-way through their counter or their key's
 * byte budget, so the limits of PROTOCOL.md sections 4, 8.2 and 8.3 can be reached without
 * sealing 2^32 frames or 2^36 bytes.
 */
public final class RecordContexts {

    private RecordContexts() {
    }

    /** A sealing context whose next frame has {@code firstSequence}, with {@code bytesSealed} already counted against its key. */
    public static SealingContext sealingFrom(RecordAlgorithm algorithm, byte[] key, byte[] sessionId, long firstSequence,
                                             long bytesSealed) {
        return SealingContext.startingAt(algorithm, key, sessionId, firstSequence, bytesSealed);
    }

    /** An opening context that expects {@code firstSequence} next. */
    public static OpeningContext openingFrom(RecordAlgorithm algorithm, byte[] key, byte[] sessionId, long firstSequence) {
        return OpeningContext.expecting(algorithm, key, sessionId, firstSequence);
    }
}
