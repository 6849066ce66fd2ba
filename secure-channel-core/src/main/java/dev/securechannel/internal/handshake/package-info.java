/**
 * The three-message handshake of PROTOCOL.md section 2 as two explicit state machines,
 * {@link dev.securechannel.internal.handshake.HandshakeInitiator} and
 * {@link dev.securechannel.internal.handshake.HandshakeResponder}, that consume and produce whole
 * frames and never touch a transport, so the same code runs over TCP, an in-memory pair or
 * any WebSocket stack.
 *
 * <p><b>Not API.</b> Everything under {@code dev.securechannel.internal} is public only so that
 * the project's own modules can use it; it may change in any release without notice.
 */
@NullMarked
package dev.securechannel.internal.handshake;

import org.jspecify.annotations.NullMarked;

