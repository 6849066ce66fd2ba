package dev.securechannel.client;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how often a client reconnects: exponential backoff with jitter, for I/O failures,
 * timeouts and transient closes only. A failure of attestation, binding, measurements or
 * confirmation is never retried: retrying would not change the answer and would turn the
 * client into an oracle. Nor is an endpoint that answers but refuses
 * ({@link WebSocketConnectException#isTransient()}: a wrong path, an untrusted certificate,
 * a server without the {@code cmt.v4} subprotocol): that is a configuration to fix.
 *
 * @param maxRetries     retries after the first attempt (0: none)
 * @param initialBackoff delay before the first retry
 * @param maxBackoff     longest delay
 * @param multiplier     growth factor per retry
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    /** Validates. */
    public RetryPolicy {
        if (maxRetries < 0 || multiplier < 1.0 || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("invalid retry policy");
        }
    }

    /** The defaults: 3 retries, 1 s growing by 2 up to 30 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);
    }

    /** No retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1.0);
    }

    /** The delay before retry number {@code retry} (1-based): the capped base, jittered to [0.5, 1] of it. */
    public Duration delay(int retry) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double jittered = capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) jittered);
    }

    /** Whether {@code failure} may be retried. */
    public static boolean isRetryable(Throwable failure) {
        if (failure instanceof PeerClosedException closed) {
            return closed.isTransient();
        }
        if (failure instanceof SecureChannelException secure) {
            FailureReason reason = secure.reason();
            return reason == FailureReason.HANDSHAKE_TIMEOUT || reason == FailureReason.CONNECTION_CLOSED
                    || reason == FailureReason.TRUNCATED;
        }
        if (failure instanceof WebSocketConnectException connect) {
            return connect.isTransient();
        }
        return failure instanceof IOException;
    }
}
