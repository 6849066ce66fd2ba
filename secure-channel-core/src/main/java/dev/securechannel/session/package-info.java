/**
 * Established sessions: {@link dev.securechannel.session.SecureSession} seals and opens
 * frames under PROTOCOL.md section 4 for any transport, and
 * {@link dev.securechannel.session.SecureChannel} is the simple blocking API over a
 * {@link dev.securechannel.transport.FrameTransport} (handshake included).
 */
@NullMarked
package dev.securechannel.session;

import org.jspecify.annotations.NullMarked;
