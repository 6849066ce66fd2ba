package dev.securechannel.internal.server;

import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.transport.ConnectionTransport;

/**
 * Makes the server side of each connection the endpoint accepts, whichever stack accepted it
 * (the servlet handler or the reactive one): the same session configuration, application
 * handler, observer and registry (admission, idle and handshake timeouts) for all of them.
 */
public final class ServerConnections {

    private final SessionConfig config;
    private final SecureChannelHandler handler;
    private final ConnectionObserver observer;
    private final ConnectionRegistry registry;

    /**
     * @param config   session configuration
     * @param handler  the application's handler
     * @param observer metrics observer
     * @param registry admission and timeouts for this endpoint
     */
    public ServerConnections(SessionConfig config, SecureChannelHandler handler, ConnectionObserver observer,
                             ConnectionRegistry registry) {
        this.config = config;
        this.handler = handler;
        this.observer = observer;
        this.registry = registry;
    }

    /**
     * The connection for a WebSocket just accepted, sending through {@code transport}; the
     * registry admits or refuses it when the stack {@linkplain Connection#start() starts} it.
     */
    public Connection accept(ConnectionTransport transport) {
        return Connection.server(config, transport, handler, observer, registry);
    }

    /** The largest WebSocket message accepted: one frame with the maximum payload. */
    public int maxMessageSize() {
        return config.maxPayloadLength() + FrameCodec.HEADER_LENGTH;
    }
}
