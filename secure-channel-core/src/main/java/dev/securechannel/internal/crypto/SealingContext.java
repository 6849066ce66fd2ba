package dev.securechannel.internal.crypto;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.protocol.FrameType;
import java.security.GeneralSecurityException;
import javax.security.auth.Destroyable;

/**
 * Seals frames for one direction: counter from 0, one AEAD (ChaCha20-Poly1305, or AES-256-GCM
 * when negotiated) re-initialised per frame, ciphertext written straight into the frame's array
 * after the header.
 *
 * <p>Refuses to go past sequence 2^32 - 1 before doing any AEAD work. With key update
 * (PROTOCOL.md section 8.3) the session calls {@link #sealKeyUpdate(boolean)} before that limit,
 * before the AES-256-GCM plaintext limit ({@link #mustUpdateKeyBefore(int)}) and whenever its own
 * interval has passed; each update replaces the key and restarts the counter at 0. Not
 * thread-safe: the caller must seal and hand the frame to the transport under one lock, so that
 * frames leave in sequence order (CONFORMANCE finding 7).
 */
public final class SealingContext implements Destroyable {

    /** The most plaintext AES-256-GCM may protect under one key (PROTOCOL.md section 8.2): 2^36 bytes. */
    public static final long AES_GCM_MAX_BYTES_PER_KEY = 1L << 36;
    /** What a sealed frame adds to its plaintext: the header before it and the tag after it. */
    public static final int FRAME_OVERHEAD = FrameCodec.HEADER_LENGTH + RecordAlgorithm.TAG_LENGTH;

    private final RecordCipher record;
    private final TrafficKey key;
    private long nextSequence;
    private long bytesUnderKey;
    private boolean destroyed;

    /** A ChaCha20-Poly1305 context for {@code key} whose first frame has sequence 0. */
    public SealingContext(byte[] key, byte[] sessionId) {
        this(RecordAlgorithm.CHACHA20_POLY1305, key, sessionId);
    }

    /** A context for {@code key} under {@code algorithm} whose first frame has sequence 0. */
    public SealingContext(RecordAlgorithm algorithm, byte[] key, byte[] sessionId) {
        this(CryptoBackends.auto(), algorithm, key, sessionId);
    }

    /** A context for {@code key} under {@code algorithm} on {@code backend} whose first frame has sequence 0. */
    public SealingContext(CryptoBackend backend, RecordAlgorithm algorithm, byte[] key, byte[] sessionId) {
        this(backend, algorithm, key, sessionId, 0);
    }

    SealingContext(CryptoBackend backend, RecordAlgorithm algorithm, byte[] key, byte[] sessionId, long firstSequence) {
        this.record = new RecordCipher(backend, algorithm, key, sessionId);
        this.key = new TrafficKey(backend, key);
        this.nextSequence = firstSequence;
    }

    /** A context starting at {@code firstSequence}, for tests of the counter limit only. */
    static SealingContext startingAt(byte[] key, byte[] sessionId, long firstSequence) {
        return startingAt(RecordAlgorithm.CHACHA20_POLY1305, key, sessionId, firstSequence, 0);
    }

    /**
     * A context starting at {@code firstSequence} with {@code bytesAlreadySealed} counted against
     * its key, for tests of the counter and AES-256-GCM limits only.
     */
    static SealingContext startingAt(RecordAlgorithm algorithm, byte[] key, byte[] sessionId, long firstSequence,
                                     long bytesAlreadySealed) {
        SealingContext context = new SealingContext(CryptoBackends.auto(), algorithm, key, sessionId, firstSequence);
        context.bytesUnderKey = bytesAlreadySealed;
        return context;
    }

    /**
     * Seals {@code length} bytes of {@code plaintext} as one frame of {@code type}.
     *
     * @return the whole frame: header, ciphertext and tag
     * @throws SecureChannelException SEQUENCE_EXHAUSTED after 2^32 frames
     */
    public byte[] seal(FrameType type, byte[] plaintext, int offset, int length) {
        // Checked before a sequence number is taken: a bad range must not leave a gap.
        java.util.Objects.checkFromIndexSize(offset, length, plaintext.length);
        checkPayload(length);
        long sequence = takeSequence();
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + length + RecordAlgorithm.TAG_LENGTH];
        encrypt(frame, type, sequence, plaintext, offset, length);
        return frame;
    }

    /** Seals a whole array. */
    public byte[] seal(FrameType type, byte[] plaintext) {
        return seal(type, plaintext, 0, plaintext.length);
    }

    /**
     * Seals the frame laid out in {@code frame}, in place: {@link FrameCodec#HEADER_LENGTH} bytes
     * of room for the header, the plaintext payload, then {@link RecordAlgorithm#TAG_LENGTH} bytes
     * of room for the tag ({@link #FRAME_OVERHEAD} bytes beyond the plaintext in all). Codecs lay
     * out their payloads this way (a tensor's data is then copied once, by its codec) and the
     * record layer stays ignorant of what the payload holds.
     *
     * @return {@code frame}, now sealed
     * @throws SecureChannelException SEQUENCE_EXHAUSTED after 2^32 frames
     */
    public byte[] sealInPlace(FrameType type, byte[] frame) {
        int length = frame.length - FRAME_OVERHEAD;
        checkPayload(length);
        long sequence = takeSequence();
        encrypt(frame, type, sequence, frame, FrameCodec.HEADER_LENGTH, length);
        return frame;
    }

    /**
     * Writes the header of a {@code type} frame with {@code sequence} into {@code frame} and
     * encrypts {@code length} bytes of {@code input} into its payload, tag after them. The input
     * may be the frame's own payload range: the cipher then encrypts in place.
     */
    private void encrypt(byte[] frame, FrameType type, long sequence, byte[] input, int inputOffset, int length) {
        int flags = type.sealedFlags();
        FrameCodec.writeHeader(frame, 0, type, flags, sequence, length + RecordAlgorithm.TAG_LENGTH);
        bytesUnderKey += length;
        try {
            record.seal(type.code(), flags, sequence, input, inputOffset, length, frame, FrameCodec.HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new SecureChannelException(FailureReason.INTERNAL_ERROR, "seal failed", e);
        }
    }

    /**
     * Seals a KeyUpdate (PROTOCOL.md section 8.3) under the current key, then replaces the key
     * with {@code HKDF-Expand(key, "cmt-key-update", 32)} and restarts the counter at 0: the
     * returned frame carries the last sequence number under the old key.
     *
     * @param requestPeerUpdate whether the peer is asked to update its own sending key too (0x01)
     */
    public byte[] sealKeyUpdate(boolean requestPeerUpdate) {
        byte[] frame = seal(FrameType.KEY_UPDATE, new byte[] {(byte) (requestPeerUpdate ? 1 : 0)});
        byte[] next = key.advance();
        record.rekey(next);
        java.util.Arrays.fill(next, (byte) 0);
        nextSequence = 0;
        bytesUnderKey = 0;
        return frame;
    }

    /**
     * Whether a frame of {@code plaintextLength} bytes may not be sealed under the current key:
     * only the last sequence number is left (reserved for the KeyUpdate), or, under AES-256-GCM,
     * the frame would take the key past 2^36 bytes of plaintext.
     */
    public boolean mustUpdateKeyBefore(int plaintextLength) {
        return nextSequence >= FrameCodec.MAX_SEQUENCE || exceedsKeyLimit(plaintextLength);
    }

    /** Whether sealing {@code plaintextLength} more bytes would take an AES-256-GCM key past its limit. */
    public boolean exceedsKeyLimit(int plaintextLength) {
        return record.algorithm() == RecordAlgorithm.AES_256_GCM
                && bytesUnderKey + plaintextLength > AES_GCM_MAX_BYTES_PER_KEY;
    }

    /** Plaintext bytes sealed under the current key. */
    public long bytesUnderKey() {
        return bytesUnderKey;
    }

    /** The algorithm this context seals with. */
    public RecordAlgorithm algorithm() {
        return record.algorithm();
    }

    /** The sequence number the next sealed frame will carry. */
    public long nextSequence() {
        return nextSequence;
    }

    private void checkPayload(int length) {
        if (length < 0 || length > FrameCodec.MAX_PAYLOAD_LENGTH - RecordAlgorithm.TAG_LENGTH) {
            throw new IllegalArgumentException("plaintext of " + length + " bytes exceeds the protocol maximum");
        }
    }

    private long takeSequence() {
        if (destroyed) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED);
        }
        if (nextSequence > FrameCodec.MAX_SEQUENCE) {
            throw new SecureChannelException(FailureReason.SEQUENCE_EXHAUSTED);
        }
        return nextSequence++;
    }

    @Override
    public void destroy() {
        destroyed = true;
        record.wipe();
        key.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
