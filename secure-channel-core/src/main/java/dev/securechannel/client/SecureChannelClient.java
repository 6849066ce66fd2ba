package dev.securechannel.client;

import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.DefaultClientSession;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.internal.connection.ConnectionClock;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A client for one secure-channel endpoint: opens attested sessions with reconnection on I/O
 * failures (exponential backoff with jitter; never after an attestation, measurement or
 * confirmation failure), and offers request-reply over a shared session that is reopened
 * when it breaks.
 *
 * <p>Thread-safe. {@link #connect()} blocks the caller for the connection and handshake.
 * Close the client to close its shared session and timer.
 */
public final class SecureChannelClient implements AutoCloseable {

    private final URI uri;
    private final SessionConfig config;
    private final WebSocketConnector connector;
    private final Duration connectTimeout;
    private final RetryPolicy retryPolicy;
    private final ConnectionObserver observer;
    private final Duration requestTimeout;
    private final ScheduledExecutorService timer;
    private final ConnectionClock clock;
    private final Object sharedLock = new Object();
    private @Nullable ClientSession shared;

    private SecureChannelClient(Builder builder) {
        this.uri = Objects.requireNonNull(builder.uri, "uri");
        this.config = Objects.requireNonNull(builder.config, "config");
        this.connector = builder.connector != null ? builder.connector : new JdkWebSocketConnector();
        this.connectTimeout = builder.connectTimeout;
        this.retryPolicy = builder.retryPolicy;
        this.observer = builder.observer;
        this.requestTimeout = builder.requestTimeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "secure-channel-client-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.clock = ConnectionClock.system(timer);
    }

    /** A builder for a client of {@code uri}. */
    public static Builder builder(URI uri, SessionConfig config) {
        return new Builder(uri, config);
    }

    /**
     * Opens a new session, retrying per the retry policy.
     *
     * @throws WebSocketConnectException                       when the WebSocket could not be opened (the kind says why)
     * @throws IOException                                     when every attempt failed on I/O
     * @throws dev.securechannel.SecureChannelException when the handshake failed (not retried) or the last attempt's failure
     */
    public ClientSession connect() throws IOException {
        int retry = 0;
        while (true) {
            try {
                return DefaultClientSession.open(uri, config, connector, connectTimeout, observer, clock);
            } catch (IOException | RuntimeException failure) {
                if (retry >= retryPolicy.maxRetries() || !RetryPolicy.isRetryable(failure)) {
                    throw failure;
                }
                retry++;
                sleep(retryPolicy.delay(retry));
            }
        }
    }

    /** Sends {@code payload} on the shared session and waits for the reply up to the default request timeout. */
    public Message request(byte[] payload) throws IOException, InterruptedException {
        return request(payload, requestTimeout);
    }

    /** Sends {@code tensor} on the shared session and waits for the reply up to the default request timeout. */
    public Message request(Tensor tensor) throws IOException, InterruptedException {
        return request(tensor, requestTimeout);
    }

    /** Sends {@code payload} on the shared session (opened or reopened as needed) and waits for the reply. */
    public Message request(byte[] payload, Duration timeout) throws IOException, InterruptedException {
        return sharedSession().request(payload, timeout);
    }

    /** Sends {@code tensor} on the shared session and waits for the reply. */
    public Message request(Tensor tensor, Duration timeout) throws IOException, InterruptedException {
        return sharedSession().request(tensor, timeout);
    }

    /** The shared session, opened or reopened when it is not open. */
    public ClientSession sharedSession() throws IOException {
        synchronized (sharedLock) {
            ClientSession current = shared;
            if (current == null || !current.isOpen()) {
                current = connect();
                shared = current;
            }
            return current;
        }
    }

    /** The endpoint. */
    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        synchronized (sharedLock) {
            if (shared != null) {
                shared.close();
                shared = null;
            }
        }
        timer.shutdown();
    }

    private static void sleep(Duration delay) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to reconnect");
        }
    }

    /** Builds a {@link SecureChannelClient}. */
    public static final class Builder {

        private final URI uri;
        private final SessionConfig config;
        private @Nullable WebSocketConnector connector;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ConnectionObserver observer = ConnectionObserver.NONE;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(URI uri, SessionConfig config) {
            this.uri = uri;
            this.config = config;
        }

        /** The WebSocket implementation; the JDK's by default. */
        public Builder connector(WebSocketConnector connector) {
            this.connector = connector;
            return this;
        }

        /** How long opening the WebSocket may take; 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Reconnection on I/O failures; {@link RetryPolicy#defaults()} by default. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /** The timeout of {@link SecureChannelClient#request(byte[])}; 30 s by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Metrics observer. */
        public Builder observer(ConnectionObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Builds the client; connects nothing yet. */
        public SecureChannelClient build() {
            return new SecureChannelClient(this);
        }
    }
}
