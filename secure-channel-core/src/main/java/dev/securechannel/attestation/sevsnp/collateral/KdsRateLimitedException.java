package dev.securechannel.attestation.sevsnp.collateral;

import java.net.URI;
import java.time.Duration;

/**
 * AMD KDS is throttling this client (HTTP 429), or did so recently enough that the client
 * refused to send another request before the server's {@code Retry-After} has passed. Retrying
 * earlier only extends the throttle; callers should fall back to cached or offline collateral.
 */
public final class KdsRateLimitedException extends KdsResponseException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;
    private final boolean sent;

    /**
     * @param uri        the URL that was (or would have been) requested
     * @param retryAfter how long to wait before the next request to KDS
     * @param sent       whether this request reached KDS ({@code false}: refused locally during a back-off)
     */
    public KdsRateLimitedException(URI uri, Duration retryAfter, boolean sent) {
        super(429, uri, (sent ? "rate limited" : "not sent, still backing off from an earlier HTTP 429")
                + "; retry after " + retryAfter.toMillis() + " ms");
        this.retryAfter = retryAfter;
        this.sent = sent;
    }

    /** How long to wait before KDS accepts requests again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether this request reached KDS; {@code false} if it was refused locally during a back-off. */
    public boolean sent() {
        return sent;
    }
}
