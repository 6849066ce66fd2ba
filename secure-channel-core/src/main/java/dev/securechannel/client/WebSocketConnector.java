package dev.securechannel.client;

import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Opens a WebSocket for a client session. Implementations offer the {@code cmt.v4}
 * subprotocol, decline compression, deliver each whole binary message once (reassembling
 * fragments, refusing more than {@code maxMessageSize} bytes), and deliver events for one
 * connection one at a time.
 */
public interface WebSocketConnector {

    /**
     * Opens a connection.
     *
     * @param uri            the endpoint, {@code ws://} or {@code wss://}
     * @param timeout        how long opening may take
     * @param maxMessageSize the largest message accepted
     * @param events         where the connection's events go
     * @return the open connection's transport
     * @throws WebSocketConnectException when the connection cannot be opened in time, naming why
     * @throws IOException                when interrupted
     */
    ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events) throws IOException;

    /** Events of one client connection, delivered one at a time. */
    interface Events {

        /** A whole binary message. */
        void onBinary(byte[] message);

        /** A text message (a protocol violation). */
        void onText();

        /** A message larger than the limit (closed with 1009). */
        void onOversized();

        /** The connection closed (by the peer or by failure); {@code code} is the peer's close code, or 1006. */
        void onClosed(int code, String reason);
    }
}
