package dev.securechannel.autoconfigure;

import dev.securechannel.internal.connection.ConnectionRegistry;
import org.springframework.context.SmartLifecycle;

/**
 * Ends every secure-channel session when the application stops, just before the web server's
 * graceful shutdown: sessions get a sealed Shutdown and a 1001 close, so clients see a clean
 * end at once and reconnect elsewhere, and the graceful shutdown is not held up for its whole
 * timeout by WebSocket connections that would otherwise stay open.
 */
public final class SecureChannelShutdownLifecycle implements SmartLifecycle {

    /**
     * Stops right before the web server's graceful shutdown, whose phase is
     * {@code SmartLifecycle.DEFAULT_PHASE - 1024} (higher phases stop first). Written out rather
     * than read from Boot's web-server module, which this module does not require.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1023;

    private final ConnectionRegistry registry;
    private volatile boolean running;

    /** A lifecycle ending the sessions of {@code registry}. */
    public SecureChannelShutdownLifecycle(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        registry.goAway();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
