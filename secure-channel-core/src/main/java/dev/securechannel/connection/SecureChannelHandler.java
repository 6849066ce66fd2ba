package dev.securechannel.connection;

import dev.securechannel.session.Message;

/**
 * The application's side of a secure channel: told when a session opens (the peer's
 * attestation is verified by then), given each message, and told when it ends.
 *
 * <p>Callbacks for one connection arrive one at a time, in order, on the transport's thread
 * (a servlet container thread, or a Reactor Netty event loop, where long work must be handed
 * to another executor). Replies may be sent from any thread through the connection.
 */
public interface SecureChannelHandler {

    /** The handshake completed; {@link SecureConnection#peerAttestation()} is available. */
    default void onOpen(SecureConnection connection) throws Exception {
    }

    /**
     * A message arrived: {@link Message.Data}, {@link Message.TensorMessage}, {@link Message.Error}
     * or {@link Message.Heartbeat}. A Shutdown is reported through {@link #onClose} instead.
     * An exception thrown here closes the connection with 1011.
     */
    void onMessage(SecureConnection connection, Message message) throws Exception;

    /** The session ended, cleanly or not; not called for connections whose handshake failed. */
    default void onClose(SecureConnection connection, CloseReason reason) {
    }
}
