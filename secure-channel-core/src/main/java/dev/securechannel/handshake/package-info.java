/**
 * The three-message handshake of PROTOCOL.md section 2 as two explicit state machines,
 * {@link dev.securechannel.handshake.HandshakeInitiator} and
 * {@link dev.securechannel.handshake.HandshakeResponder}, that consume and produce whole
 * frames and never touch a transport, so the same code runs over TCP, an in-memory pair or
 * any WebSocket stack.
 */
@NullMarked
package dev.securechannel.handshake;

import org.jspecify.annotations.NullMarked;
