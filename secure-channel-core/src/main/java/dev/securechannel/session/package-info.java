/**
 * Established sessions: {@link dev.securechannel.session.SecureChannel} is the simple
 * blocking API over a {@link dev.securechannel.transport.FrameTransport} (handshake included).
 */
@NullMarked
package dev.securechannel.session;

import org.jspecify.annotations.NullMarked;

