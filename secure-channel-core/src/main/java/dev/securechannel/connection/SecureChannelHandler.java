package dev.securechannel.connection;

import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;

/**
 * The application's side of a secure channel: told when a session opens (the peer's
 * attestation is verified by then), given each message, and told when it ends; or told that a
 * connection's handshake failed, when no session opened.
 *
 * <p>Callbacks for one session arrive in order on the transport's thread (a servlet container
 * thread, or a Reactor Netty event loop, where long work must be handed to another executor),
 * one at a time; only {@link #onClose} may come from the thread that ended the session (a
 * timeout, or the application's own {@link SecureSession#shutdown()} on another thread), while
 * an {@link #onMessage} on the transport's thread is still returning. {@link #onOpen} comes
 * before any {@link #onMessage}; {@link #onClose} comes exactly once, after {@link #onOpen}
 * returned; no {@link #onMessage} starts after the session closed. Replies may be sent from any
 * thread through the session.
 *
 * <p>An exception thrown by {@link #onOpen} or {@link #onMessage} is logged (with the session's
 * display id) and ends the session with close code 1011; one thrown by {@link #onClose} or
 * {@link #onHandshakeFailed} is logged.
 */
public interface SecureChannelHandler {

    /** The handshake completed; {@link SecureSession#peerAttestation()} is available. */
    default void onOpen(SecureSession session) throws Exception {
    }

    /**
     * A message arrived: {@link Message.Data}, {@link Message.TensorMessage}, {@link Message.Error}
     * or {@link Message.Heartbeat}. A Shutdown is reported through {@link #onClose} instead.
     */
    void onMessage(SecureSession session, Message message) throws Exception;

    /** The session ended, cleanly or not; called once for every session that {@link #onOpen} was told of. */
    default void onClose(SecureSession session, CloseReason reason) {
    }

    /** A connection ended without a session: no {@link #onOpen}, and no {@link #onClose}, come for it. */
    default void onHandshakeFailed(HandshakeFailure failure) {
    }
}
