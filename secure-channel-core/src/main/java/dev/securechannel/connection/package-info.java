/**
 * Message-driven connections for WebSocket (or any message transport): one
 * {@link dev.securechannel.connection.SecureConnection} per peer runs the handshake, then the
 * session, enforces timeouts and limits, and maps every failure to a close code of
 * PROTOCOL.md section 7. Server stacks and clients adapt their I/O to it, so the protocol
 * logic exists once.
 */
@NullMarked
package dev.securechannel.connection;

import org.jspecify.annotations.NullMarked;
