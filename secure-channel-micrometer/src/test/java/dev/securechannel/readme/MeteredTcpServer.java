package dev.securechannel.readme;

import dev.securechannel.SecureChannelException;
import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.transport.ConnectionTransport;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.transport.TcpTransport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain-Java server on {@link TcpTransport} whose connections record into a Micrometer
 * registry: no Spring, only the core and secure-channel-micrometer. The blocking
 * {@link dev.securechannel.session.SecureChannel} takes no observer, so each accepted socket
 * runs a responder {@link Connection} (the API the WebSocket endpoints use), fed the
 * socket's frames by a thread of its own.
 */
class MeteredTcpServer implements AutoCloseable {

    private final SessionConfig config;
    private final SecureChannelHandler handler;
    private final MicrometerConnectionObserver observer;
    private final ConnectionRegistry connections = new ConnectionRegistry(ConnectionLimits.defaults());
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ServerSocket listener = new ServerSocket();

    /** Listens on {@code address} and serves each connection with {@code handler}, recording into {@code meters}. */
    MeteredTcpServer(MeterRegistry meters, SessionConfig config, SecureChannelHandler handler, InetSocketAddress address)
            throws IOException {
        this.config = config;
        this.handler = handler;
        listener.bind(address);
        // Handshakes and sessions are recorded as they happen; frame timings go into in-process
        // histograms that start() publishes to the registry once a second, off the I/O path.
        this.observer = new MicrometerConnectionObserver(meters, new SecureChannelMetrics(), config.attestationProvider().type());
        observer.start();
        threads.execute(this::acceptConnections);
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            try {
                TcpTransport tcp = new TcpTransport(listener.accept());
                Connection connection = Connection.server(config, new TcpConnectionTransport(tcp), handler,
                        observer, connections);
                threads.execute(() -> readFrames(tcp, connection));
            } catch (IOException e) {
                // The listener closed, or this one socket failed before it carried anything.
            }
        }
    }

    /** The port listened on. */
    int port() {
        return listener.getLocalPort();
    }

    /** Hands each frame read from the socket to the connection, one at a time and in order, as a WebSocket stack would. */
    private void readFrames(TcpTransport tcp, Connection connection) {
        connection.start();
        try {
            while (true) {
                // Handshake frames are small: a peer is not allowed a session's frame size before it has one.
                int cap = connection.isOpen() ? config.maxPayloadLength() : Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH;
                byte[] frame = tcp.receive(cap, Duration.ZERO);
                if (frame == null) {
                    break;
                }
                connection.onBinaryMessage(frame);
            }
        } catch (SecureChannelException e) {
            connection.fail(e.reason());
        } catch (IOException e) {
            // The socket broke or was closed; the connection learns it below.
        }
        connection.onTransportClosed();
    }

    /** Stops accepting, ends every connection (sealed Shutdown first), and publishes the last frame timings. */
    @Override
    public void close() throws IOException {
        listener.close();
        connections.close();
        threads.shutdown();
        try {
            // Closing the connections closed their sockets, so the readers are ending.
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            observer.close();
        }
    }

    /** A socket as the connection's message transport: TCP has no close codes, so closing just closes it. */
    private static final class TcpConnectionTransport implements ConnectionTransport {

        private final TcpTransport tcp;

        TcpConnectionTransport(TcpTransport tcp) {
            this.tcp = tcp;
        }

        @Override
        public void send(byte[] frame) throws IOException {
            tcp.send(frame);
        }

        @Override
        public void close(int code, String reason) {
            try {
                tcp.close();
            } catch (IOException e) {
                // Closing is all that was asked; the reader sees the socket end either way.
            }
        }

        @Override
        public String remoteAddress() {
            return tcp.remoteAddress();
        }
    }
}
