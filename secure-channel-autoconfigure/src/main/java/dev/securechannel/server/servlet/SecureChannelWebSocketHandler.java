package dev.securechannel.server.servlet;

import dev.securechannel.connection.SendLimitExceededException;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.protocol.WebSocketMapping;
import dev.securechannel.internal.server.ServerConnections;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.SessionLimitExceededException;

/**
 * Adapts Spring WebSocket sessions to {@link Connection}: one binary message is one
 * frame; a text message closes with 1003; sends go through a
 * {@link ConcurrentWebSocketSessionDecorator} with the TERMINATE strategy (a frame is never
 * dropped, since that would break the peer's sequence check).
 *
 * <p>The container delivers a session's messages one at a time; handler callbacks run on
 * the container's thread.
 */
public class SecureChannelWebSocketHandler extends BinaryWebSocketHandler implements SubProtocolCapable {

    private static final String CONNECTION = Connection.class.getName();

    private final ServerConnections connections;
    private final int sendTimeLimitMillis;
    private final int sendBufferLimit;

    /**
     * @param connections     makes the connection for each session accepted; its
     *                        {@link ServerConnections#maxMessageSize()} sizes the message buffer
     * @param sendTimeLimit   how long one send may take
     * @param sendBufferLimit bytes allowed to wait in a session's send buffer
     */
    public SecureChannelWebSocketHandler(ServerConnections connections, Duration sendTimeLimit, int sendBufferLimit) {
        this.connections = connections;
        this.sendTimeLimitMillis = (int) Math.min(Integer.MAX_VALUE, sendTimeLimit.toMillis());
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
    public void afterConnectionEstablished(WebSocketSession session) {
        session.setBinaryMessageSizeLimit(maxMessageSize());
        ConcurrentWebSocketSessionDecorator concurrent = new ConcurrentWebSocketSessionDecorator(session, sendTimeLimitMillis, sendBufferLimit,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
        Connection connection = connections.accept(new Transport(concurrent));
        session.getAttributes().put(CONNECTION, connection);
        connection.start();
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.onBinaryMessage(bytes(message.getPayload()));
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.onTextMessage();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.onTransportClosed();
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.onTransportClosed();
        }
    }

    @Override
    public boolean supportsPartialMessages() {
        return false;
    }

    private static Connection connection(WebSocketSession session) {
        return (Connection) session.getAttributes().get(CONNECTION);
    }

    private static byte[] bytes(ByteBuffer payload) {
        if (payload.hasArray() && payload.arrayOffset() == 0 && payload.position() == 0
                && payload.remaining() == payload.array().length) {
            return payload.array();
        }
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        return copy;
    }

    /** Sends through the concurrent decorator and closes with the protocol's close codes. */
    private static final class Transport implements ConnectionTransport {

        private final ConcurrentWebSocketSessionDecorator session;

        Transport(ConcurrentWebSocketSessionDecorator session) {
            this.session = session;
        }

        @Override
        public long queuedBytes() {
            return session.getBufferSize();
        }

        @Override
        public void send(byte[] frame) throws IOException {
            try {
                session.sendMessage(new BinaryMessage(frame));
            } catch (SessionLimitExceededException e) {
                throw new SendLimitExceededException(e.getMessage());
            }
        }

        @Override
        public void close(int code, String reason) {
            try {
                session.close(new CloseStatus(code, reason));
            } catch (IOException | RuntimeException ignored) {
                // Already closed or broken: the connection state records why it ended.
            }
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(session.getRemoteAddress());
        }
    }
}
