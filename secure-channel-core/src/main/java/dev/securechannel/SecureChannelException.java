package dev.securechannel;

import java.util.Objects;

/**
 * The one exception root of secure-channel: every rejected frame, handshake or session
 * surfaces as this type with a {@link FailureReason}.
 *
 * <p>The message is the reason's fixed text, optionally followed by local detail for logs
 * (never key material or plaintext). Use {@link #reason()} to branch, not the message.
 */
public class SecureChannelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final FailureReason reason;

    public SecureChannelException(FailureReason reason) {
        super(reason.peerMessage());
        this.reason = reason;
    }

    public SecureChannelException(FailureReason reason, String detail) {
        super(reason.peerMessage() + ": " + detail);
        this.reason = reason;
    }

    public SecureChannelException(FailureReason reason, String detail, Throwable cause) {
        super(reason.peerMessage() + ": " + detail, cause);
        this.reason = reason;
    }

    /** Why the operation failed. */
    public FailureReason reason() {
        return Objects.requireNonNull(reason);
    }

    /**
     * A finer low-cardinality code for metrics and operators, for example which attestation
     * check rejected a peer ({@code debug-guest-rejected}); by default the reason's tag.
     * Subclasses return a value from a fixed set, never free text.
     */
    public String detailCode() {
        return reason().tagValue();
    }
}
