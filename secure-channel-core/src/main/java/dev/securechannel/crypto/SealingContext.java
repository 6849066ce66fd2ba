package dev.securechannel.crypto;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.protocol.FrameCodec;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.protocol.TensorCodec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.security.auth.Destroyable;

/**
 * Seals frames for one direction: counter from 0, one ChaCha20-Poly1305 cipher re-initialised
 * per frame, ciphertext written straight into the frame's array after the header.
 *
 * <p>Refuses to go past sequence 2^32 - 1 before doing any AEAD work. Not thread-safe: the
 * caller must seal and hand the frame to the transport under one lock, so that frames leave
 * in sequence order (CONFORMANCE finding 7).
 */
public final class SealingContext implements Destroyable {

    private final RecordCipher record;
    private long nextSequence;
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
        this.nextSequence = firstSequence;
    }

    /** A context starting at {@code firstSequence}, for tests of the counter limit only. */
    static SealingContext startingAt(byte[] key, byte[] sessionId, long firstSequence) {
        return new SealingContext(CryptoBackends.auto(), RecordAlgorithm.CHACHA20_POLY1305, key, sessionId, firstSequence);
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
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + length + RecordCipher.TAG_LENGTH];
        encrypt(frame, type, sequence, plaintext, offset, length);
        return frame;
    }

    /** Seals a whole array. */
    public byte[] seal(FrameType type, byte[] plaintext) {
        return seal(type, plaintext, 0, plaintext.length);
    }

    /**
     * Seals a tensor with one copy of its data: the sub-header and the data are written into
     * the frame, then encrypted in place. (A tensor's data is a read-only buffer, for which the
     * JDK cipher's buffer path would allocate a temporary array of the data's size and copy
     * twice; the array path encrypts the same range in place without any temporary buffer.)
     */
    public byte[] sealTensor(Tensor tensor) {
        return sealTensor(tensor, TensorCodec.encodeHeader(tensor));
    }

    /** As {@link #sealTensor(Tensor)}, with the tensor's sub-header already encoded by the caller. */
    public byte[] sealTensor(Tensor tensor, byte[] subHeader) {
        ByteBuffer data = tensor.data();
        int length = subHeader.length + data.remaining();
        checkPayload(length);
        long sequence = takeSequence();
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + length + RecordCipher.TAG_LENGTH];
        System.arraycopy(subHeader, 0, frame, FrameCodec.HEADER_LENGTH, subHeader.length);
        data.get(frame, FrameCodec.HEADER_LENGTH + subHeader.length, data.remaining());
        encrypt(frame, FrameType.TENSOR, sequence, frame, FrameCodec.HEADER_LENGTH, length);
        return frame;
    }

    /**
     * Writes the header of a {@code type} frame with {@code sequence} into {@code frame} and
     * encrypts {@code length} bytes of {@code input} into its payload, tag after them. The input
     * may be the frame's own payload range: the cipher then encrypts in place.
     */
    private void encrypt(byte[] frame, FrameType type, long sequence, byte[] input, int inputOffset, int length) {
        int flags = type.sealedFlags();
        FrameCodec.writeHeader(frame, 0, type, flags, sequence, length + RecordCipher.TAG_LENGTH);
        try {
            record.seal(type.code(), flags, sequence, input, inputOffset, length, frame, FrameCodec.HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new SecureChannelException(FailureReason.INTERNAL_ERROR, "seal failed", e);
        }
    }

    /** The sequence number the next sealed frame will carry. */
    public long nextSequence() {
        return nextSequence;
    }

    private void checkPayload(int length) {
        if (length < 0 || length > FrameCodec.MAX_PAYLOAD_LENGTH - RecordCipher.TAG_LENGTH) {
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
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }
}
