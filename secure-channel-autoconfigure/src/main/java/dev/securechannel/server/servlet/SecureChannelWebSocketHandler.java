package dev.securechannel.server.servlet;

import dev.securechannel.connection.SendLimitExceededException;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.protocol.WebSocketMapping;
import dev.securechannel.internal.server.ServerConnections;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
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
 * frame, assembled here from the parts the container delivers (see {@link #PART_BUFFER_SIZE});
 * a message over the frame cap closes with 1009 and a text message with 1003; sends go through a
 * {@link ConcurrentWebSocketSessionDecorator} with the TERMINATE strategy (a frame is never
 * dropped, since that would break the peer's sequence check).
 *
 * <p>The container delivers a session's messages one at a time; handler callbacks run on
 * the container's thread.
 */
public class SecureChannelWebSocketHandler extends BinaryWebSocketHandler implements SubProtocolCapable {

    /**
     * The container's buffer per session for one part of a binary message. Tomcat keeps a buffer
     * of the session's binary message size limit for as long as the session lives (it grows its
     * buffer to the limit with the first binary message): were that limit the frame cap, every
     * idle session would hold a buffer of the largest frame allowed, 4 MiB by default, and a
     * 1 GiB heap would hold some 200 sessions. Messages therefore arrive in parts of at most
     * this size and {@link PartialMessage} assembles them, into arrays only as large as the
     * bytes that arrived, refusing a message once it passes the cap. Tomcat's own default.
     */
    static final int PART_BUFFER_SIZE = 8 * 1024;

    private static final String CONNECTION = Connection.class.getName();
    private static final String PARTIAL = PartialMessage.class.getName();

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
        session.setBinaryMessageSizeLimit(PART_BUFFER_SIZE);
        session.getAttributes().put(PARTIAL, new PartialMessage(maxMessageSize()));
        ConcurrentWebSocketSessionDecorator concurrent = new ConcurrentWebSocketSessionDecorator(session, sendTimeLimitMillis, sendBufferLimit,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
        Connection connection = connections.accept(new Transport(concurrent));
        session.getAttributes().put(CONNECTION, connection);
        connection.start();
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        Connection connection = connection(session);
        PartialMessage partial = (PartialMessage) session.getAttributes().get(PARTIAL);
        if (connection == null || partial == null || partial.refused) {
            return;
        }
        if (message.isLast() && partial.isEmpty()) {
            // The whole message in one part, as every message of up to PART_BUFFER_SIZE bytes arrives: nothing to assemble.
            connection.onBinaryMessage(bytes(message.getPayload()));
        } else if (!partial.append(message.getPayload())) {
            connection.onOversizedMessage();
        } else if (message.isLast()) {
            connection.onBinaryMessage(partial.take());
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
        return true;
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

    /**
     * The parts of one binary message so far, at most {@code limit} bytes in all: each part is
     * copied (the container reuses its buffer), and the message is joined once, at its last part.
     * Once a message passes the limit the session is being closed, and later parts are ignored.
     */
    private static final class PartialMessage {

        private final int limit;
        private final List<byte[]> parts = new ArrayList<>();
        private int length;
        private boolean refused;

        PartialMessage(int limit) {
            this.limit = limit;
        }

        boolean isEmpty() {
            return parts.isEmpty();
        }

        /** Adds a part; false, and the parts are dropped, if the message would pass the limit. */
        boolean append(ByteBuffer part) {
            if (part.remaining() > limit - length) {
                parts.clear();
                refused = true;
                return false;
            }
            byte[] copy = new byte[part.remaining()];
            part.get(copy);
            parts.add(copy);
            length += copy.length;
            return true;
        }

        /** The whole message, leaving this empty for the next one. */
        byte[] take() {
            byte[] message = new byte[length];
            int offset = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, message, offset, part.length);
                offset += part.length;
            }
            parts.clear();
            length = 0;
            return message;
        }
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
