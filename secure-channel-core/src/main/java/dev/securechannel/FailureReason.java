package dev.securechannel;

/**
 * Why a frame, a handshake or a session was rejected.
 *
 * <p>This bounded set is the single vocabulary of failure across the project: the reason of
 * every {@link SecureChannelException}, the low-cardinality {@code reason} tag of metrics,
 * and (through {@link #closeCode()}) the WebSocket close code of PROTOCOL.md section 7. The
 * {@link #peerMessage()} is a short fixed string that may be sent to the peer: it never
 * carries key material, plaintext or internal detail.
 */
public enum FailureReason {

    // Frame codec (PROTOCOL.md section 1): wire-format errors close with 1002, size with 1009.
    INVALID_MAGIC(1002, "invalid magic"),
    UNSUPPORTED_VERSION(1002, "unsupported protocol version"),
    UNKNOWN_MESSAGE_TYPE(1002, "unknown message type"),
    PAYLOAD_TOO_LARGE(1009, "frame too large"),
    MALFORMED_FRAME(1002, "malformed frame"),
    INVALID_FLAGS(1002, "invalid flags"),
    TEXT_MESSAGE(1003, "text messages are not accepted"),

    // Tensor sub-frame (section 5). Inside an authenticated frame these come from the real
    // peer, so they end the session like any authentication failure (CONFORMANCE N2).
    SHAPE_OVERFLOW(1008, "invalid tensor shape"),
    UNKNOWN_DTYPE(1008, "unknown tensor dtype"),
    INCOMPLETE_TENSOR_HEADER(1008, "incomplete tensor header"),
    INVALID_TENSOR_NAME(1008, "invalid tensor name"),
    INVALID_PADDING(1008, "invalid tensor padding"),
    TENSOR_DATA_SIZE_MISMATCH(1008, "tensor data size mismatch"),
    TENSOR_NAME_TOO_LONG(1008, "tensor name too long"),

    // Handshake structure (section 2).
    UNEXPECTED_MESSAGE(1002, "unexpected message"),
    UNEXPECTED_SEQUENCE(1002, "unexpected handshake sequence"),
    MALFORMED_HELLO(1002, "malformed hello"),
    ATTESTATION_DOCUMENT_TOO_LARGE(1009, "attestation document too large"),
    HANDSHAKE_BUFFER_OVERFLOW(1009, "handshake message too large"),
    HANDSHAKE_TIMEOUT(1008, "handshake timeout"),

    // Handshake authentication (sections 2 and 3): all close with 1008.
    ATTESTATION_GENERATION_FAILED(1011, "attestation generation failed"),
    ATTESTATION_VERIFICATION_FAILED(1008, "attestation verification failed"),
    PUBLIC_KEY_MISSING(1008, "attestation lacks public_key"),
    PUBLIC_KEY_MISMATCH(1008, "attestation public_key mismatch"),
    NONCE_MISSING(1008, "attestation lacks nonce"),
    NONCE_MISMATCH(1008, "attestation nonce mismatch"),
    MEASUREMENT_MISSING(1008, "expected measurement missing"),
    MEASUREMENT_MISMATCH(1008, "measurement mismatch"),
    REFLECTED_HELLO(1008, "reflected hello"),
    NON_CONTRIBUTORY_KEY(1008, "non-contributory key"),
    CONFIRMATION_MISMATCH(1008, "confirmation hash mismatch"),
    /** A protocol extension this side requires was not negotiated (section 8.1): a downgrade this side refuses. */
    EXTENSION_REQUIRED(1008, "required extension not negotiated"),

    // Record layer (section 4): all close with 1008.
    DECRYPTION_FAILED(1008, "decryption failed"),
    SEQUENCE_REPLAY(1008, "sequence replay"),
    SEQUENCE_GAP(1008, "sequence gap"),
    UNENCRYPTED_FRAME(1008, "unencrypted frame"),
    SEQUENCE_EXHAUSTED(1011, "sequence space exhausted"),
    /** AES-256-GCM without key update reached its plaintext limit under one key (section 8.2). */
    KEY_USAGE_EXHAUSTED(1011, "key usage limit reached"),
    /** A KeyUpdate whose plaintext is not exactly one byte 0x00 or 0x01 (section 8.3). */
    MALFORMED_KEY_UPDATE(1002, "malformed key update"),

    // Session lifecycle and local conditions.
    SESSION_CLOSED(1011, "session closed"),
    TRUNCATED(1011, "connection closed without shutdown"),
    CONNECTION_CLOSED(1001, "connection closed"),
    IDLE_TIMEOUT(1008, "idle timeout"),
    TOO_MANY_HANDSHAKES(1013, "too many handshakes in progress"),
    TOO_MANY_SESSIONS(1013, "too many sessions"),
    SEND_LIMIT_EXCEEDED(1008, "send buffer limit exceeded"),
    CONFIGURATION_REJECTED(1011, "configuration rejected"),
    INTERNAL_ERROR(1011, "internal error");

    private final int closeCode;
    private final String peerMessage;

    FailureReason(int closeCode, String peerMessage) {
        this.closeCode = closeCode;
        this.peerMessage = peerMessage;
    }

    /** The WebSocket close code for this failure (PROTOCOL.md section 7). */
    public int closeCode() {
        return closeCode;
    }

    /** A short, fixed text that is safe to show the peer and to log. */
    public String peerMessage() {
        return peerMessage;
    }

    /** The metrics tag value: the enum name in lower case with dashes. */
    public String tagValue() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
