package dev.securechannel.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * A client's WebSocket could not be opened; {@link #failure()} says why, in a form callers and
 * {@link RetryPolicy} can branch on, and the message names the endpoint and the cause (the
 * host and port refused, the HTTP status, the timeout).
 *
 * <p>An {@link IOException}: nothing of the secure channel has happened yet. Whether another
 * attempt may succeed is {@link #isTransient()}; a wrong path or an untrusted certificate is
 * not retried.
 */
public class WebSocketConnectException extends IOException {

    private static final long serialVersionUID = 1L;

    private final ConnectFailure failure;
    private final URI uri;
    private final int httpStatus;
    private final @Nullable Duration timeout;

    private WebSocketConnectException(ConnectFailure failure, URI uri, String message, int httpStatus,
                                      @Nullable Duration timeout, @Nullable Throwable cause) {
        super("WebSocket to " + uri + " failed: " + message, cause);
        this.failure = failure;
        this.uri = uri;
        this.httpStatus = httpStatus;
        this.timeout = timeout;
    }

    /** Nothing accepted the TCP connection. */
    public static WebSocketConnectException connectionRefused(URI uri, @Nullable Throwable cause) {
        return new WebSocketConnectException(ConnectFailure.CONNECTION_REFUSED, uri,
                "connection refused (nothing accepts connections at " + hostAndPort(uri) + ")", -1, null, cause);
    }

    /** The host name did not resolve. */
    public static WebSocketConnectException unknownHost(URI uri, @Nullable Throwable cause) {
        return new WebSocketConnectException(ConnectFailure.UNKNOWN_HOST, uri, "unknown host " + uri.getHost(), -1, null, cause);
    }

    /** Opening took longer than {@code timeout}; {@code stage} names what was awaited, for the message. */
    public static WebSocketConnectException timeout(URI uri, Duration timeout, String stage, @Nullable Throwable cause) {
        return new WebSocketConnectException(ConnectFailure.TIMEOUT, uri,
                "no " + stage + " within the connect timeout of " + timeout, -1, timeout, cause);
    }

    /** The TLS handshake failed. */
    public static WebSocketConnectException tls(URI uri, Throwable cause) {
        return new WebSocketConnectException(ConnectFailure.TLS, uri, "TLS handshake with " + hostAndPort(uri)
                + " failed: " + cause.getMessage(), -1, null, cause);
    }

    /** The server answered the upgrade with {@code status}. */
    public static WebSocketConnectException upgradeRefused(URI uri, int status, @Nullable Throwable cause) {
        return new WebSocketConnectException(ConnectFailure.UPGRADE_REFUSED, uri,
                "the server answered the WebSocket upgrade with HTTP " + status + statusHint(status), status, null, cause);
    }

    /** The server upgraded without selecting the {@code cmt.v4} subprotocol ({@code selected}, empty for none). */
    public static WebSocketConnectException subprotocolRefused(URI uri, String offered, String selected, @Nullable Throwable cause) {
        return new WebSocketConnectException(ConnectFailure.SUBPROTOCOL_REFUSED, uri, "the server did not select the "
                + offered + " subprotocol (" + (selected.isEmpty() ? "it selected none" : "it selected " + selected)
                + "): not a secure-channel endpoint", 101, null, cause);
    }

    /**
     * Names the cause of a failed opening from what the JDK's sockets and TLS report, which
     * every WebSocket stack passes through; connectors first recognise their own handshake
     * failures (the HTTP status, the subprotocol). Returns {@code failure} itself when it is
     * already one of these.
     *
     * @param timeout the connect timeout, named when the cause is a timeout
     */
    public static WebSocketConnectException classify(URI uri, Duration timeout, Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (cause instanceof WebSocketConnectException known) {
                return known;
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return unknownHost(uri, failure);
            }
            if (cause instanceof SSLException) {
                return tls(uri, cause);
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return connectionRefused(uri, failure);
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return timeout(uri, timeout, "TCP connection to " + hostAndPort(uri), failure);
            }
            if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
                return timeout(uri, timeout, "WebSocket upgrade response", failure);
            }
        }
        String detail = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
        return new WebSocketConnectException(ConnectFailure.OTHER, uri, detail, -1, null, failure);
    }

    /** Why opening failed. */
    public ConnectFailure failure() {
        return failure;
    }

    /** The endpoint. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status the server answered the upgrade with, when it answered ({@code 101} for a refused subprotocol). */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The connect timeout that ran out, for {@link ConnectFailure#TIMEOUT}. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Whether another attempt may succeed; {@link RetryPolicy} retries only these. */
    public boolean isTransient() {
        return failure == ConnectFailure.UPGRADE_REFUSED ? ConnectFailure.isTransientStatus(httpStatus) : failure.isTransient();
    }

    /** {@code host:port} of {@code uri}, with the scheme's default port when it names none. */
    public static String hostAndPort(URI uri) {
        int port = uri.getPort();
        if (port < 0) {
            port = "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
        return uri.getHost() + ":" + port;
    }

    private static String statusHint(int status) {
        return switch (status) {
            case 404 -> " (no WebSocket endpoint at that path)";
            case 401, 403 -> " (refused: origin, credentials or access rules)";
            case 200 -> " (a plain HTTP resource, not a WebSocket endpoint)";
            case 400, 426 -> " (the server refused the upgrade request)";
            default -> "";
        };
    }
}
