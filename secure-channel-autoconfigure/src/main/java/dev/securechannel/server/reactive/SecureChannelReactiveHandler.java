package dev.securechannel.server.reactive;

import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.protocol.WebSocketMapping;
import dev.securechannel.internal.reactor.SerializedOutbox;
import dev.securechannel.internal.server.ServerConnections;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * Adapts reactive WebSocket sessions (Reactor Netty) to {@link Connection}: one binary
 * message is one frame; a text message closes with 1003; outbound frames go through a
 * {@link SerializedOutbox} (bounded in bytes) drained by the session's send pipeline, and a
 * close is sent only after the frames before it (a Shutdown) have left.
 *
 * <p>Handler callbacks run on the Netty event loop: hand long work (inference) to another
 * executor and reply from there.
 */
public class SecureChannelReactiveHandler implements WebSocketHandler {

    private final ServerConnections connections;
    private final long sendBufferLimit;

    /**
     * @param connections     makes the connection for each session accepted
     * @param sendBufferLimit bytes allowed to wait in a session's send queue
     */
    public SecureChannelReactiveHandler(ServerConnections connections, long sendBufferLimit) {
        this.connections = connections;
        this.sendBufferLimit = sendBufferLimit;
    }

    /** The largest WebSocket message accepted: one frame with the maximum payload. */
    public int maxMessageSize() {
        return connections.maxMessageSize();
    }

    @Override
    public List<String> getSubProtocols() {
        return WebSocketMapping.SUBPROTOCOLS;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        SerializedOutbox outbox = new SerializedOutbox(sendBufferLimit);
        Connection connection = connections.accept(new Transport(session, outbox));
        Mono<Void> send = outbox.drainThenClose(
                frames -> session.send(frames.map(frame -> session.binaryMessage(factory -> factory.wrap(frame)))),
                (code, reason) -> session.close(new CloseStatus(code, reason)));
        Mono<Void> receive = session.receive()
                .doOnNext(message -> dispatch(connection, message))
                .doFinally(signal -> {
                    connection.onTransportClosed();
                    outbox.transportEnded();
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

    /** Queues frames in the session's outbox, which closes after they have left. */
    private static final class Transport implements ConnectionTransport {

        private final WebSocketSession session;
        private final SerializedOutbox outbox;

        Transport(WebSocketSession session, SerializedOutbox outbox) {
            this.session = session;
            this.outbox = outbox;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            outbox.send(frame);
        }

        @Override
        public void close(int code, String reason) {
            outbox.close(code, reason);
        }

        @Override
        public long queuedBytes() {
            return outbox.queuedBytes();
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(session.getHandshakeInfo().getRemoteAddress());
        }
    }
}
