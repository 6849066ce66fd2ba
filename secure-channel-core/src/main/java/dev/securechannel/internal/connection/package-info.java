/**
 * Message-driven connections for WebSocket (or any message transport): one
 * {@link dev.securechannel.internal.connection.Connection} per peer runs the handshake, then the
 * session, enforces timeouts and limits, and maps every failure to a close code of PROTOCOL.md
 * section 7. Server stacks and client connectors adapt their I/O to it through
 * {@link dev.securechannel.transport.ConnectionTransport} and its transport events, so
 * the protocol logic exists once; applications see only the
 * {@link dev.securechannel.session.SecureSession} it implements.
 *
 * <p><b>Not API.</b> Everything under {@code dev.securechannel.internal} is public only so that
 * the project's own modules can use it; it may change in any release without notice.
 */
@NullMarked
package dev.securechannel.internal.connection;

import org.jspecify.annotations.NullMarked;

