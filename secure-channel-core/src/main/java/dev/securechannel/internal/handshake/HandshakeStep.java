package dev.securechannel.internal.handshake;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of feeding one frame to a handshake: a frame to send back (if any) and, once
 * the handshake is complete, its result. Send the reply before using the result, then call
 * {@link Handshake#replySent()} (the responder derives its keys there, after hello 2 is out).
 *
 * @param reply  the frame to send to the peer, or {@code null}
 * @param result the completed handshake, or {@code null} while it goes on
 */
public record HandshakeStep(byte @Nullable [] reply, @Nullable HandshakeResult result) {

    /** Whether the handshake is complete. */
    public boolean isComplete() {
        return result != null;
    }
}
