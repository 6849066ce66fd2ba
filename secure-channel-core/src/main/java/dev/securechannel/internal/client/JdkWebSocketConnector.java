package dev.securechannel.internal.client;

import dev.securechannel.client.WebSocketConnectException;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.internal.protocol.WebSocketMapping;
import dev.securechannel.internal.transport.SendBudget;
import dev.securechannel.transport.ConnectionTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link WebSocketConnector} on the JDK's {@code java.net.http.WebSocket}: no dependencies.
 * Sends are chained so that only one is outstanding at a time, as the JDK requires, without
 * blocking the caller; at most {@code sendBufferLimit} bytes may wait.
 */
public final class JdkWebSocketConnector implements WebSocketConnector {

    private static final long BACKSTOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HttpClient httpClient;
    private final long sendBufferLimit;

    /** A connector with its own HTTP client and a 32 MiB send buffer limit. */
    public JdkWebSocketConnector() {
        this(HttpClient.newHttpClient(), 32L * 1024 * 1024);
    }

    /** A connector on {@code httpClient}. */
    public JdkWebSocketConnector(HttpClient httpClient, long sendBufferLimit) {
        this.httpClient = httpClient;
        this.sendBufferLimit = sendBufferLimit;
    }

    @Override
    public ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events) throws IOException {
        Listener listener = new Listener(events, maxMessageSize);
        CompletableFuture<WebSocket> opening = httpClient.newWebSocketBuilder()
                .connectTimeout(timeout)
                .subprotocols(WebSocketMapping.SUBPROTOCOL)
                .buildAsync(uri, listener);
        try {
            // The JDK's own timeout (the builder's connect timeout) says whether TCP connected;
            // this wait is only a backstop, a moment later.
            WebSocket webSocket = opening.get(timeout.toNanos() + BACKSTOP_GRACE_NANOS, TimeUnit.NANOSECONDS);
            if (!WebSocketMapping.SUBPROTOCOL.equals(webSocket.getSubprotocol())) {
                // The JDK accepts an upgrade that selects no subprotocol; Netty does not, and neither do we.
                webSocket.abort();
                throw WebSocketConnectException.subprotocolRefused(uri, WebSocketMapping.SUBPROTOCOL, webSocket.getSubprotocol(), null);
            }
            return new Transport(webSocket, sendBufferLimit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.cancel(true);
            throw new java.io.InterruptedIOException("interrupted while connecting");
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw WebSocketConnectException.timeout(uri, timeout, "connection and WebSocket upgrade", e);
        } catch (ExecutionException e) {
            throw classify(uri, timeout, e.getCause());
        }
    }

    /** The HTTP status of a refused upgrade is in the JDK's handshake exception; the rest is what sockets and TLS report. */
    private static WebSocketConnectException classify(URI uri, Duration timeout, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketHandshakeException handshake) {
                return WebSocketConnectException.upgradeRefused(uri, handshake.getResponse().statusCode(), handshake);
            }
        }
        return WebSocketConnectException.classify(uri, timeout, failure);
    }

    private static final class Listener implements WebSocket.Listener {

        private final Events events;
        private final int maxMessageSize;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final AtomicBoolean closed = new AtomicBoolean();
        private boolean oversized;

        Listener(Events events, int maxMessageSize) {
            this.events = events;
            this.maxMessageSize = maxMessageSize;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (!oversized) {
                if (partial.size() + (long) data.remaining() > maxMessageSize) {
                    oversized = true;
                    partial.reset();
                    events.onOversized();
                } else if (last && partial.size() == 0) {
                    byte[] message = new byte[data.remaining()];
                    data.get(message);
                    events.onBinary(message);
                } else {
                    byte[] chunk = new byte[data.remaining()];
                    data.get(chunk);
                    partial.writeBytes(chunk);
                    if (last) {
                        byte[] message = partial.toByteArray();
                        partial.reset();
                        events.onBinary(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (last) {
                events.onText();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (closed.compareAndSet(false, true)) {
                events.onClosed(statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (closed.compareAndSet(false, true)) {
                events.onClosed(1006, error.getClass().getSimpleName());
            }
        }
    }

    private static final class Transport implements ConnectionTransport {

        private final WebSocket webSocket;
        private final SendBudget budget;
        private final AtomicBoolean closing = new AtomicBoolean();
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

        Transport(WebSocket webSocket, long limit) {
            this.webSocket = webSocket;
            this.budget = new SendBudget(limit);
        }

        @Override
        public synchronized void send(byte[] frame) throws IOException {
            if (closing.get() || webSocket.isOutputClosed()) {
                throw new IOException("WebSocket output closed");
            }
            if (lastSend.isCompletedExceptionally()) {
                throw new IOException("an earlier send failed");
            }
            budget.reserve(frame.length);
            lastSend = lastSend.thenCompose(ignored -> webSocket.sendBinary(ByteBuffer.wrap(frame), true))
                    .whenComplete((ignored, error) -> budget.release(frame.length));
        }

        @Override
        public long queuedBytes() {
            return budget.queuedBytes();
        }

        @Override
        public synchronized void close(int code, String reason) {
            if (closing.compareAndSet(false, true)) {
                lastSend.handle((ignored, error) -> null)
                        .thenCompose(ignored -> webSocket.sendClose(code, reason))
                        .whenComplete((ignored, error) -> webSocket.abort())
                        .orTimeout(5, TimeUnit.SECONDS)
                        .exceptionally(error -> {
                            webSocket.abort();
                            return null;
                        });
            }
        }
    }
}
