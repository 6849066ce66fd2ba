/**
 * The application's side of message-driven secure channels (a WebSocket endpoint or client):
 * the {@link dev.securechannel.connection.SecureChannelHandler} that receives each
 * {@link dev.securechannel.session.SecureSession}, why a session ended
 * ({@link dev.securechannel.connection.CloseReason}) or never opened
 * ({@link dev.securechannel.connection.HandshakeFailure}), the limits an endpoint applies
 * ({@link dev.securechannel.connection.ConnectionLimits}), and the metrics hook
 * ({@link dev.securechannel.connection.ConnectionObserver}).
 */
@NullMarked
package dev.securechannel.connection;

import org.jspecify.annotations.NullMarked;

