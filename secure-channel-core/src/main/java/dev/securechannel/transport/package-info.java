/**
 * What carries a session's frames: {@link dev.securechannel.transport.FrameTransport} for a
 * byte stream (plain TCP, {@link dev.securechannel.transport.TcpTransport}, interoperable with
 * the Rust reference crate's TCP peers) and {@link dev.securechannel.transport.ConnectionTransport}
 * for a message transport where one message is one frame (a WebSocket session of some stack).
 */
@NullMarked
package dev.securechannel.transport;

import org.jspecify.annotations.NullMarked;

