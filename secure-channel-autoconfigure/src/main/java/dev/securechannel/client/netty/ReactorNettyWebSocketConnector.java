package dev.securechannel.client.netty;

import dev.securechannel.client.WebSocketConnectException;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.internal.protocol.WebSocketMapping;
import dev.securechannel.internal.reactor.SerializedOutbox;
import dev.securechannel.transport.ConnectionTransport;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A {@link WebSocketConnector} on Reactor Netty: frames go out through a
 * {@link SerializedOutbox} drained by Netty's event loop (bounded in bytes), whole messages
 * are aggregated up to the frame cap, compression is off, and a close is sent only after the
 * frames queued before it.
 */
public final class ReactorNettyWebSocketConnector implements WebSocketConnector {

    private final HttpClient httpClient;
    private final long sendBufferLimit;

    /**
     * A connector with a 32 MiB send buffer limit on an {@link HttpClient} without a connection
     * pool: a WebSocket keeps its connection for the whole session and never hands it back, so a
     * pool could only cap the sessions open at once (Reactor Netty's default pool holds 500
     * connections; the 501st session would wait for a free one until its connect timeout).
     */
    public ReactorNettyWebSocketConnector() {
        this(HttpClient.newConnection(), 32L * 1024 * 1024);
    }

    /** A connector on {@code httpClient}; give it {@link HttpClient#newConnection()} unless a pool's cap on open sessions is wanted. */
    public ReactorNettyWebSocketConnector(HttpClient httpClient, long sendBufferLimit) {
        this.httpClient = httpClient;
        this.sendBufferLimit = sendBufferLimit;
    }

    @Override
    public ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events) throws IOException {
        Transport transport = new Transport(sendBufferLimit);
        CompletableFuture<Transport> opened = new CompletableFuture<>();
        AtomicBoolean closedReported = new AtomicBoolean();
        WebsocketClientSpec spec = WebsocketClientSpec.builder()
                .protocols(WebSocketMapping.SUBPROTOCOL)
                .maxFramePayloadLength(maxMessageSize)
                .compress(false)
                .handlePing(false)
                .build();
        AtomicBoolean tcpConnected = new AtomicBoolean();
        Disposable opening = httpClient.responseTimeout(timeout)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
                .doOnConnected(connection -> tcpConnected.set(true))
                .websocket(spec)
                .uri(uri)
                .handle((inbound, outbound) -> {
                    opened.complete(transport);
                    inbound.receiveCloseStatus().subscribe(status -> {
                        if (closedReported.compareAndSet(false, true)) {
                            events.onClosed(status.code(), status.reasonText());
                        }
                    });
                    Mono<Void> receive = inbound.aggregateFrames(maxMessageSize).receiveFrames()
                            .doOnNext(frame -> dispatch(frame, events))
                            .then();
                    // Already whole, masked WebSocket frames: Netty's encoder lets byte buffers through.
                    Mono<Void> send = transport.outbox.drainThenClose(
                            frames -> outbound.sendObject(frames.map(Unpooled::wrappedBuffer)).then(), outbound::sendClose);
                    return Mono.when(receive, send).onErrorResume(error -> Mono.empty());
                })
                .doFinally(signal -> {
                    transport.outbox.transportEnded();
                    if (closedReported.compareAndSet(false, true)) {
                        events.onClosed(1006, "connection lost");
                    }
                })
                .subscribe(null, opened::completeExceptionally);
        try {
            return opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.dispose();
            throw new java.io.InterruptedIOException("interrupted while connecting");
        } catch (TimeoutException e) {
            opening.dispose();
            throw WebSocketConnectException.timeout(uri, timeout,
                    tcpConnected.get() ? "WebSocket upgrade response" : "TCP connection to " + WebSocketConnectException.hostAndPort(uri), e);
        } catch (ExecutionException e) {
            throw classify(uri, timeout, e.getCause());
        }
    }

    /**
     * Netty's handshake exception carries the HTTP response; its connect timeout is a
     * {@link java.net.ConnectException}, so it is told apart before the generic causes.
     */
    private static WebSocketConnectException classify(URI uri, Duration timeout, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
                HttpResponse response = handshake.response();
                int status = response.status().code();
                if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    String selected = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
                    return WebSocketConnectException.subprotocolRefused(uri, WebSocketMapping.SUBPROTOCOL,
                            selected == null ? "" : selected, handshake);
                }
                return WebSocketConnectException.upgradeRefused(uri, status, handshake);
            }
            if (cause instanceof ConnectTimeoutException) {
                return WebSocketConnectException.timeout(uri, timeout, "TCP connection to " + WebSocketConnectException.hostAndPort(uri), failure);
            }
            if (cause instanceof io.netty.handler.timeout.TimeoutException) {
                return WebSocketConnectException.timeout(uri, timeout, "WebSocket upgrade response", failure);
            }
        }
        return WebSocketConnectException.classify(uri, timeout, failure);
    }

    private static void dispatch(WebSocketFrame frame, Events events) {
        if (frame instanceof BinaryWebSocketFrame) {
            events.onBinary(ByteBufUtil.getBytes(frame.content()));
        } else if (frame instanceof TextWebSocketFrame) {
            events.onText();
        }
    }

    /** Masks frames on the sending thread and queues them in the connection's outbox. */
    private static final class Transport implements ConnectionTransport {

        /**
         * Whole WebSocket frames, header and masked payload, waiting for the event loop. Frames
         * come from several threads: the connecting thread sends the first hello, the event
         * loop the confirmation, the application its messages, timers the close.
         */
        final SerializedOutbox outbox;
        /** RFC 6455 section 5.3: masking keys come from a strong source of entropy. */
        private final SecureRandom maskingKeys = new SecureRandom();

        Transport(long limit) {
            this.outbox = new SerializedOutbox(limit);
        }

        @Override
        public void send(byte[] frame) throws IOException {
            // Masked here, on the sending thread, rather than by Netty's encoder on the event loop.
            outbox.send(MaskedBinaryFrames.encode(frame, maskingKeys.nextInt()));
        }

        @Override
        public long queuedBytes() {
            return outbox.queuedBytes();
        }

        @Override
        public void close(int code, String reason) {
            outbox.close(code, reason);
        }
    }
}
