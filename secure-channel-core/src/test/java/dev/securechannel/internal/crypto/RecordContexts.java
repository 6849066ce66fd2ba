package dev.securechannel.internal.crypto;

import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;

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

    /** Seals {@code tensor} as the core does: laid out by its codec with room for header and tag, sealed in place. */
    public static byte[] sealTensor(SealingContext sealing, Tensor tensor) {
        return sealing.sealInPlace(FrameType.TENSOR, TensorCodec.encode(tensor, FrameCodec.HEADER_LENGTH, RecordAlgorithm.TAG_LENGTH));
    }

    /** An opening context that expects {@code firstSequence} next. */
    public static OpeningContext openingFrom(RecordAlgorithm algorithm, byte[] key, byte[] sessionId, long firstSequence) {
        return OpeningContext.expecting(algorithm, key, sessionId, firstSequence);
    }
}
