package dev.securechannel.readme;

import dev.securechannel.SecureChannelException;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import dev.securechannel.transport.TcpTransport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A plain-Java echo server on {@link TcpTransport} whose sessions record into a Micrometer
 * registry: no Spring, only the core's public API and secure-channel-micrometer. Each accepted
 * socket gets a thread of its own, which runs the responder's handshake through
 * {@link SecureChannel#accept(dev.securechannel.transport.FrameTransport, SessionConfig,
 * dev.securechannel.connection.ConnectionObserver)} and then sends back every Data message
 * until the peer's Shutdown.
 */
class MeteredTcpServer implements AutoCloseable {

    private final SessionConfig config;
    private final MicrometerConnectionObserver observer;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ServerSocket listener = new ServerSocket();
    /** Sockets whose thread still runs: close() ends handshakes still waiting on their peer. */
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Open sessions: close() sends each a Shutdown. */
    private final Set<SecureChannel> sessions = ConcurrentHashMap.newKeySet();

    /** Listens on {@code address} and echoes on each connection, recording into {@code meters}. */
    MeteredTcpServer(MeterRegistry meters, SessionConfig config, InetSocketAddress address) throws IOException {
        this.config = config;
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
                Socket socket = listener.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                // The listener closed, or this one socket failed before it carried anything.
            }
        }
    }

    /** On the socket's own thread: the handshake, then the echo until the session ends. */
    private void serve(Socket socket) {
        try {
            // The observer hears of the handshake here, and of each frame in receive and send.
            SecureChannel channel = SecureChannel.accept(new TcpTransport(socket), config, observer);
            sessions.add(channel);
            try (channel) {
                echo(channel);
            } finally {
                sessions.remove(channel);
            }
        } catch (IOException | SecureChannelException e) {
            // A handshake that failed or a session that broke: the observer has recorded why.
        } finally {
            sockets.remove(socket);
            closeQuietly(socket);
        }
    }

    /** Sends each Data message back, until the peer's Shutdown. */
    private static void echo(SecureChannel channel) throws IOException {
        while (true) {
            Message message = channel.receive();
            if (message instanceof Message.Data data) {
                channel.send(data.payload());
            } else if (message instanceof Message.Shutdown) {
                return;
            }
        }
    }

    /** The port listened on. */
    int port() {
        return listener.getLocalPort();
    }

    /** Stops accepting, ends every session (sealed Shutdown first) and handshake, and publishes the last frame timings. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (SecureChannel session : sessions) {
            session.shutdown();
            session.close();
        }
        sockets.forEach(MeteredTcpServer::closeQuietly);
        threads.shutdown();
        try {
            // Every socket is closed, so the threads serving them are ending.
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            observer.close();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was asked; the thread serving it sees the socket end either way.
        }
    }
}
