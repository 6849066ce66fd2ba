package dev.securechannel.internal.crypto;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameHeader;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.security.auth.Destroyable;

/**
 * Opens sealed frames for one direction under this project's strict rule: each frame's
 * sequence must be exactly the next one, checked before the cipher is touched (so a replay
 * is reported as a replay, and the JDK's key-and-nonce reuse guard never fires).
 *
 * <p>The first failure of any kind poisons the context: every later call fails with
 * SESSION_CLOSED, so a forger gets exactly one try. Not thread-safe: one reader owns it.
 */
public final class OpeningContext implements Destroyable {

    private final RecordCipher record;
    private final TrafficKey key;
    private long expectedSequence;
    private boolean failed;
    private boolean destroyed;

    /** A context expecting {@code firstSequence} first, for tests of the counter limit only. */
    static OpeningContext expecting(RecordAlgorithm algorithm, byte[] key, byte[] sessionId, long firstSequence) {
        OpeningContext context = new OpeningContext(algorithm, key, sessionId);
        context.expectedSequence = firstSequence;
        return context;
    }

    /** A ChaCha20-Poly1305 context for {@code key} expecting sequence 0 first. */
    public OpeningContext(byte[] key, byte[] sessionId) {
        this(RecordAlgorithm.CHACHA20_POLY1305, key, sessionId);
    }

    /** A context for {@code key} under {@code algorithm} expecting sequence 0 first. */
    public OpeningContext(RecordAlgorithm algorithm, byte[] key, byte[] sessionId) {
        this(CryptoBackends.auto(), algorithm, key, sessionId);
    }

    /** A context for {@code key} under {@code algorithm} on {@code backend} expecting sequence 0 first. */
    public OpeningContext(CryptoBackend backend, RecordAlgorithm algorithm, byte[] key, byte[] sessionId) {
        this.record = new RecordCipher(backend, algorithm, key, sessionId);
        this.key = new TrafficKey(backend, key);
    }

    /**
     * Authenticates and decrypts the payload of a frame whose header is already decoded.
     *
     * @param frame  the array holding the whole frame
     * @param header its decoded header
     * @return the plaintext
     * @throws SecureChannelException SEQUENCE_REPLAY, SEQUENCE_GAP, DECRYPTION_FAILED or SESSION_CLOSED
     */
    public byte[] open(byte[] frame, FrameHeader header) {
        if (failed || destroyed) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED);
        }
        failed = true;
        long sequence = header.sequence();
        if (sequence < expectedSequence) {
            throw new SecureChannelException(FailureReason.SEQUENCE_REPLAY, "sequence " + sequence + ", expected " + expectedSequence);
        }
        if (sequence > expectedSequence) {
            throw new SecureChannelException(FailureReason.SEQUENCE_GAP, "sequence " + sequence + ", expected " + expectedSequence);
        }
        int ciphertextLength = header.payloadLength();
        if (ciphertextLength < RecordAlgorithm.TAG_LENGTH) {
            throw new SecureChannelException(FailureReason.DECRYPTION_FAILED, "payload shorter than a tag");
        }
        byte[] plaintext = new byte[ciphertextLength - RecordAlgorithm.TAG_LENGTH];
        try {
            record.open(header.type().code(), header.flags(), sequence, frame, FrameCodec.HEADER_LENGTH, ciphertextLength, plaintext, 0);
        } catch (AEADBadTagException e) {
            throw new SecureChannelException(FailureReason.DECRYPTION_FAILED);
        } catch (GeneralSecurityException e) {
            throw new SecureChannelException(FailureReason.DECRYPTION_FAILED, e.getClass().getSimpleName());
        }
        expectedSequence++;
        failed = false;
        return plaintext;
    }

    /**
     * Follows the peer's KeyUpdate (PROTOCOL.md section 8.3), which the caller has just opened
     * and checked: replaces the key with {@code HKDF-Expand(key, "cmt-key-update", 32)} and
     * expects sequence 0 next.
     */
    public void updateKey() {
        if (failed || destroyed) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED);
        }
        byte[] next = key.advance();
        record.rekey(next);
        java.util.Arrays.fill(next, (byte) 0);
        expectedSequence = 0;
    }

    /** Marks the context failed, for failures found after a successful open (for example a bad tensor). */
    public void poison() {
        failed = true;
    }

    /** Whether a failure has ended this direction. */
    public boolean isPoisoned() {
        return failed;
    }

    /** The sequence number the next frame must carry. */
    public long expectedSequence() {
        return expectedSequence;
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
