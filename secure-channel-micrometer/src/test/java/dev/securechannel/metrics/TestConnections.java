package dev.securechannel.metrics;

import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.connection.ConnectionClock;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.transport.ConnectionTransport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Connections that never touch a network, for the observer's session callbacks. */
final class TestConnections implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConnectionRegistry registry = new ConnectionRegistry(new ConnectionLimits(4, 4, Duration.ZERO));

    Connection server(long queuedBytes) {
        return Connection.server(SessionConfig.insecureDevelopment(), transport(queuedBytes), (connection, message) -> { },
                ConnectionObserver.NONE, registry);
    }

    Connection client() {
        return Connection.client(SessionConfig.insecureDevelopment(), transport(0), (connection, message) -> { },
                ConnectionObserver.NONE, ConnectionClock.system(timer));
    }

    private static ConnectionTransport transport(long queuedBytes) {
        return new ConnectionTransport() {
            @Override
            public void send(byte[] frame) {
            }

            @Override
            public void close(int code, String reason) {
            }

            @Override
            public long queuedBytes() {
                return queuedBytes;
            }
        };
    }

    @Override
    public void close() {
        registry.close();
        timer.shutdownNow();
    }
}
