package dev.securechannel.connection;

import dev.securechannel.FailureReason;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of one endpoint: admission against {@link ConnectionLimits}, the timer
 * thread for handshake timeouts, and the idle-timeout sweep. Thread-safe. Close it when the
 * endpoint stops; open connections are then closed with 1001.
 */
public final class ConnectionRegistry implements AutoCloseable {

    private final ConnectionLimits limits;
    private final ScheduledExecutorService scheduler;
    private final Set<SecureConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private final ScheduledFuture<?> sweep;

    /** A registry with its own daemon timer thread. */
    public ConnectionRegistry(ConnectionLimits limits) {
        this.limits = limits;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "secure-channel-timer");
            thread.setDaemon(true);
            return thread;
        });
        long period = limits.idleTimeout().isZero() ? 1000 : Math.max(50, limits.idleTimeout().toMillis() / 4);
        this.sweep = scheduler.scheduleWithFixedDelay(this::sweepIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** The limits in force. */
    public ConnectionLimits limits() {
        return limits;
    }

    /** The timer used for handshake timeouts. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Admits a new connection into the handshake, or says why not. */
    FailureReason admit(SecureConnection connection) {
        if (connections.size() >= limits.maxSessions()) {
            return FailureReason.TOO_MANY_SESSIONS;
        }
        if (pendingHandshakes.incrementAndGet() > limits.maxPendingHandshakes()) {
            pendingHandshakes.decrementAndGet();
            return FailureReason.TOO_MANY_HANDSHAKES;
        }
        connections.add(connection);
        return null;
    }

    void handshakeEnded() {
        pendingHandshakes.decrementAndGet();
    }

    void removed(SecureConnection connection) {
        connections.remove(connection);
    }

    /** Connections now handshaking. */
    public int pendingHandshakes() {
        return pendingHandshakes.get();
    }

    /** Every connection, handshaking or open. */
    public Collection<SecureConnection> connections() {
        return Collections.unmodifiableSet(connections);
    }

    /** Connections whose session is open. */
    public long openSessions() {
        return connections.stream().filter(SecureConnection::isOpen).count();
    }

    private void sweepIdle() {
        if (limits.idleTimeout().isZero()) {
            return;
        }
        long now = System.nanoTime();
        long limit = limits.idleTimeout().toNanos();
        for (SecureConnection connection : connections) {
            if (connection.isOpen() && now - connection.lastReceivedNanos() > limit) {
                connection.fail(FailureReason.IDLE_TIMEOUT);
            }
        }
    }

    /**
     * Ends every connection now: open sessions get a sealed Shutdown and close with 1001 (going
     * away), handshakes in progress close with 1001. New connections are still admitted, so a
     * server that keeps running stays usable; call it when the server is about to stop, so that
     * its graceful shutdown does not wait for long-lived WebSocket sessions.
     */
    public void goAway() {
        for (SecureConnection connection : connections) {
            connection.goingAway();
        }
    }

    /** Stops the timer and closes every connection with 1001 (going away). */
    @Override
    public void close() {
        sweep.cancel(false);
        goAway();
        scheduler.shutdownNow();
    }
}
