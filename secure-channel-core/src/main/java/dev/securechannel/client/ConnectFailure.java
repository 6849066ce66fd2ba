package dev.securechannel.client;

import java.util.Locale;

/**
 * Why a client's WebSocket could not be opened, before any secure-channel frame was
 * exchanged: the kind of a {@link WebSocketConnectException}.
 *
 * <p>A bounded set, so that it can be branched on, used as a low-cardinality metrics tag, and
 * decide retries: {@link #isTransient()} says whether another attempt may succeed.
 */
public enum ConnectFailure {

    /** Nothing accepted the TCP connection at host:port (refused, or no route to the host). */
    CONNECTION_REFUSED(true),
    /** The host name did not resolve. Retried: name services lag behind new deployments. */
    UNKNOWN_HOST(true),
    /** No TCP connection or no upgrade response within the connect timeout. */
    TIMEOUT(true),
    /**
     * The TLS handshake failed: an untrusted or mismatched certificate, or no common protocol.
     * Not retried: the next attempt would meet the same certificate.
     */
    TLS(false),
    /**
     * The server answered the upgrade with another HTTP status ({@link WebSocketConnectException#httpStatus()}).
     * A wrong path (404), a refused origin or credentials (401, 403) or a plain HTTP server (200) is
     * not transient; a proxy's or overloaded server's 5xx and 429 are.
     */
    UPGRADE_REFUSED(false),
    /** The server upgraded but did not select the {@code cmt.v4} subprotocol: it is not a secure-channel endpoint. */
    SUBPROTOCOL_REFUSED(false),
    /** Any other I/O failure while opening (the cause says which); retried like any I/O failure. */
    OTHER(true);

    private final boolean transientByKind;

    ConnectFailure(boolean transientByKind) {
        this.transientByKind = transientByKind;
    }

    /** Whether a later attempt may succeed; for {@link #UPGRADE_REFUSED} the status decides ({@link #isTransientStatus(int)}). */
    public boolean isTransient() {
        return transientByKind;
    }

    /** The metrics tag value: the name in lower case with dashes. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether an HTTP status refusing an upgrade may pass: 429 Too Many Requests, 502, 503 and 504 from a proxy or a restarting server. */
    static boolean isTransientStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}
