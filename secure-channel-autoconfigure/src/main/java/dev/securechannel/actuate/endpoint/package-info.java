/**
 * The read-only {@code securechannel} actuator endpoint: local attestation, sessions,
 * handshakes, per-message latencies and traffic, and the list of active sessions.
 */
@NullMarked
package dev.securechannel.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
