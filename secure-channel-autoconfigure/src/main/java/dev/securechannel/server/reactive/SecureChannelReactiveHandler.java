package dev.securechannel.server.reactive;

import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.connection.SendLimitExceededException;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.internal.connection.ConnectionTransport;
import dev.securechannel.protocol.WebSocketMapping;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Adapts reactive WebSocket sessions (Reactor Netty) to {@link Connection}: one binary
 * message is one frame; a text message closes with 1003; outbound frames go through an
 * unbounded-in-count, bounded-in-bytes queue drained by the session's send pipeline, and a
 * close is sent only after the frames before it (a Shutdown) have left.
 *
 * <p>Handler callbacks run on the Netty event loop: hand long work (inference) to another
 * executor and reply from there.
 */
public class SecureChannelReactiveHandler implements WebSocketHandler {

    private final SessionConfig config;
    private final SecureChannelHandler handler;
    private final ConnectionObserver observer;
    private final ConnectionRegistry registry;
    private final long sendBufferLimit;

    /**
     * @param config          session configuration
     * @param handler         the application's handler
     * @param observer        metrics observer
     * @param registry        admission and timeouts for this endpoint
     * @param sendBufferLimit bytes allowed to wait in a session's send queue
     */
    public SecureChannelReactiveHandler(SessionConfig config, SecureChannelHandler handler, ConnectionObserver observer,
                                        ConnectionRegistry registry, long sendBufferLimit) {
        this.config = config;
        this.handler = handler;
        this.observer = observer;
        this.registry = registry;
        this.sendBufferLimit = sendBufferLimit;
    }

    /** The largest WebSocket message accepted: one frame with the maximum payload. */
    public int maxMessageSize() {
        return config.maxPayloadLength() + WebSocketMapping.FRAME_HEADER_BYTES;
    }

    @Override
    public List<String> getSubProtocols() {
        return WebSocketMapping.SUBPROTOCOLS;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        Transport transport = new Transport(session, sendBufferLimit);
        Connection connection = Connection.server(config, transport, handler, observer, registry);
        Flux<WebSocketMessage> outbound = transport.frames.asFlux().map(frame -> {
            transport.queuedBytes.addAndGet(-frame.length);
            return session.binaryMessage(factory -> factory.wrap(frame));
        });
        Mono<Void> send = session.send(outbound).then(Mono.defer(() -> session.close(transport.closeStatus())));
        Mono<Void> receive = session.receive()
                .doOnNext(message -> dispatch(connection, message))
                .doFinally(signal -> {
                    connection.onTransportClosed();
                    transport.complete();
                })
                .then();
        return Mono.fromRunnable(connection::start).then(Mono.when(send, receive));
    }

    private static void dispatch(Connection connection, WebSocketMessage message) {
        switch (message.getType()) {
            case BINARY -> connection.onBinaryMessage(bytes(message.getPayload()));
            case TEXT -> connection.onTextMessage();
            default -> {
                // Ping and pong are the transport's business.
            }
        }
    }

    private static byte[] bytes(DataBuffer payload) {
        byte[] bytes = new byte[payload.readableByteCount()];
        payload.read(bytes);
        return bytes;
    }

    /** Queues frames for the send pipeline and closes after they have left. */
    private static final class Transport implements ConnectionTransport {

        /**
         * Frames waiting for the send pipeline. Every emission holds {@link #emitLock}: the sink
         * refuses an emission that overlaps another (FAIL_NON_SERIALIZED) instead of waiting,
         * and frames and the completion come from several threads (the event loop, application
         * threads, the timer that ends idle sessions); a refused completion would leave the
         * WebSocket open.
         */
        final Sinks.Many<byte[]> frames = Sinks.many().unicast().onBackpressureBuffer();
        final AtomicLong queuedBytes = new AtomicLong();
        private final Object emitLock = new Object();
        private final AtomicReference<CloseStatus> close = new AtomicReference<>();
        private final WebSocketSession session;
        private final long limit;

        Transport(WebSocketSession session, long limit) {
            this.session = session;
            this.limit = limit;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            if (close.get() != null) {
                throw new IOException("connection closing");
            }
            if (queuedBytes.addAndGet(frame.length) > limit) {
                throw new SendLimitExceededException("send queue over " + limit + " bytes");
            }
            Sinks.EmitResult result;
            synchronized (emitLock) {
                result = frames.tryEmitNext(frame);
            }
            if (result.isFailure()) {
                throw new IOException("send queue refused the frame: " + result);
            }
        }

        @Override
        public void close(int code, String reason) {
            if (close.compareAndSet(null, new CloseStatus(code, reason))) {
                completeFrames();
            }
        }

        void complete() {
            close.compareAndSet(null, CloseStatus.NORMAL);
            completeFrames();
        }

        private void completeFrames() {
            synchronized (emitLock) {
                frames.tryEmitComplete();
            }
        }

        @Override
        public long queuedBytes() {
            return queuedBytes.get();
        }

        CloseStatus closeStatus() {
            CloseStatus status = close.get();
            return status != null ? status : CloseStatus.NORMAL;
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(session.getHandshakeInfo().getRemoteAddress());
        }
    }
}
