package dev.securechannel.connection;

import java.time.Duration;

/**
 * Limits a server applies across its connections.
 *
 * @param maxPendingHandshakes connections allowed in the handshake at once; more are closed with 1013
 * @param maxSessions          connections allowed at once, handshaking or open; more are closed with 1013
 * @param idleTimeout          how long an open session may receive nothing; zero means no limit
 */
public record ConnectionLimits(int maxPendingHandshakes, int maxSessions, Duration idleTimeout) {

    /** Generous defaults: 256 pending handshakes, 10,000 sessions, no idle limit. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(256, 10_000, Duration.ZERO);
    }

    /** Validates. */
    public ConnectionLimits {
        if (maxPendingHandshakes < 1 || maxSessions < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative");
        }
    }
}
