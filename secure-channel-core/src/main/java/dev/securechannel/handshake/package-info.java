/**
 * How a session is set up: {@link dev.securechannel.handshake.SessionConfig} (attestation,
 * expected measurements, limits, extensions, crypto backend) and the values it is built from.
 * The handshake itself (PROTOCOL.md section 2) is internal.
 */
@NullMarked
package dev.securechannel.handshake;

import org.jspecify.annotations.NullMarked;

