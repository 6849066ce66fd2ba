package dev.securechannel.connection;

import dev.securechannel.FailureReason;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.session.SecureSession;

/**
 * Receives lifecycle and per-frame events for metrics. Every method has an empty default;
 * implementations must be thread-safe and cheap (they run on the I/O path). The application
 * learns of sessions and failed handshakes through its {@link SecureChannelHandler}, not here.
 */
public interface ConnectionObserver {

    /** Does nothing. */
    ConnectionObserver NONE = new ConnectionObserver() {
    };

    /** A handshake completed. */
    default void handshakeCompleted(Role role, HandshakeTimings timings) {
    }

    /** A handshake failed. */
    default void handshakeFailed(Role role, FailureReason reason, long elapsedNanos) {
    }

    /**
     * The peer's attestation was rejected (before {@link #handshakeFailed}, which follows with
     * ATTESTATION_VERIFICATION_FAILED).
     *
     * @param role       this side's role
     * @param verifier   the verifier's type, for example {@code sev-snp}
     * @param detailCode which check failed ({@link dev.securechannel.SecureChannelException#detailCode()})
     */
    default void attestationRejected(Role role, String verifier, String detailCode) {
    }

    /** A session opened (before the handler's onOpen). */
    default void sessionOpened(SecureSession session) {
    }

    /** A session closed (before the handler's onClose). */
    default void sessionClosed(SecureSession session, CloseReason reason) {
    }

    /**
     * A Data or Tensor frame was sealed: {@code nanos} is the seal alone, neither the wait for
     * the session's send lock nor the transport write (see {@link #frameWritten}).
     */
    default void frameSealed(FrameType type, int plaintextLength, long nanos) {
    }

    /**
     * A sealed Data or Tensor frame was handed to the transport: {@code nanos} is how long the
     * transport's write or enqueue took (backpressure shows here).
     */
    default void frameWritten(FrameType type, int plaintextLength, long nanos) {
    }

    /** A frame was opened. */
    default void frameOpened(FrameType type, int plaintextLength, long nanos) {
    }

    /** A client request received its reply (request-to-reply round trip). */
    default void requestCompleted(long nanos) {
    }
}
