package dev.securechannel.internal.session;

import dev.securechannel.protocol.FrameType;

/**
 * Hears how long each sent frame took to seal and, separately, to hand to the {@link FrameSink}.
 * The session measures both under its send lock, so neither includes the wait for the lock,
 * and a slow transport never shows up as slow sealing.
 *
 * <p>Called under the send lock on the sending thread, once per frame (KeyUpdates and Shutdowns
 * the session sends on its own included), after the sink accepted the frame: implementations
 * must be cheap and must not send on the same session.
 */
@FunctionalInterface
public interface SendTimer {

    /** Hears nothing. */
    SendTimer NONE = (type, plaintextLength, sealNanos, writeNanos) -> {
    };

    /**
     * One frame left the session.
     *
     * @param type            the frame's type
     * @param plaintextLength plaintext bytes sealed (a Tensor's sub-header included)
     * @param sealNanos       time spent sealing the frame, alone
     * @param writeNanos      time the sink took to accept the sealed frame
     */
    void frameSent(FrameType type, int plaintextLength, long sealNanos, long writeNanos);
}
