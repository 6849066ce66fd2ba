package dev.securechannel.internal.connection;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.ConnectionLimits;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The connections of one endpoint: admission against {@link ConnectionLimits}, the clock for
 * handshake timeouts, and the idle-timeout sweep. Thread-safe. Close it when the endpoint
 * stops; open sessions are then closed with 1001.
 */
public final class ConnectionRegistry implements AutoCloseable {

    private final ConnectionLimits limits;
    private final ConnectionClock clock;
    /** The timer thread this registry started, or {@code null} when its clock came from outside. */
    private final @Nullable ScheduledExecutorService ownScheduler;
    private final Duration sweepPeriod;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Connections admitted whose handshake has not ended; a set, so that ending one twice counts once. */
    private final Set<Connection> handshaking = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private volatile ConnectionClock.Cancellable sweep;
    private volatile boolean closed;

    /** A registry with its own daemon timer thread. */
    public ConnectionRegistry(ConnectionLimits limits) {
        this(limits, Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "secure-channel-timer");
            thread.setDaemon(true);
            return thread;
        }));
    }

    private ConnectionRegistry(ConnectionLimits limits, ScheduledExecutorService scheduler) {
        this(limits, ConnectionClock.system(scheduler), scheduler);
    }

    /** A registry on {@code clock} (tests: a manual clock). */
    public ConnectionRegistry(ConnectionLimits limits, ConnectionClock clock) {
        this(limits, clock, null);
    }

    private ConnectionRegistry(ConnectionLimits limits, ConnectionClock clock, @Nullable ScheduledExecutorService ownScheduler) {
        this.limits = limits;
        this.clock = clock;
        this.ownScheduler = ownScheduler;
        this.sweepPeriod = limits.idleTimeout().isZero()
                ? Duration.ofSeconds(1)
                : Duration.ofMillis(Math.max(50, limits.idleTimeout().toMillis() / 4));
        this.sweep = clock.schedule(sweepPeriod, this::sweepAndReschedule);
    }

    /** The limits in force. */
    public ConnectionLimits limits() {
        return limits;
    }

    /** The clock of handshake timeouts. */
    ConnectionClock clock() {
        return clock;
    }

    /** Admits a new connection into the handshake, or says why not. */
    @Nullable FailureReason admit(Connection connection) {
        if (connections.size() >= limits.maxSessions()) {
            return FailureReason.TOO_MANY_SESSIONS;
        }
        if (pendingHandshakes.incrementAndGet() > limits.maxPendingHandshakes()) {
            pendingHandshakes.decrementAndGet();
            return FailureReason.TOO_MANY_HANDSHAKES;
        }
        handshaking.add(connection);
        connections.add(connection);
        return null;
    }

    /** The handshake of {@code connection} ended, one way or another; only its first call counts. */
    void handshakeEnded(Connection connection) {
        if (handshaking.remove(connection)) {
            pendingHandshakes.decrementAndGet();
        }
    }

    void removed(Connection connection) {
        handshakeEnded(connection);
        connections.remove(connection);
    }

    /** Connections now handshaking. */
    public int pendingHandshakes() {
        return pendingHandshakes.get();
    }

    /** Every connection, handshaking or open. */
    public Collection<Connection> connections() {
        return Collections.unmodifiableSet(connections);
    }

    /** Connections whose session is open. */
    public long openSessions() {
        return connections.stream().filter(Connection::isOpen).count();
    }

    private void sweepAndReschedule() {
        sweepIdle();
        if (!closed) {
            sweep = clock.schedule(sweepPeriod, this::sweepAndReschedule);
        }
    }

    private void sweepIdle() {
        if (limits.idleTimeout().isZero()) {
            return;
        }
        long now = clock.nanoTime();
        long limit = limits.idleTimeout().toNanos();
        for (Connection connection : connections) {
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
        for (Connection connection : connections) {
            connection.goingAway();
        }
    }

    /** Stops the timer and closes every connection with 1001 (going away). */
    @Override
    public void close() {
        closed = true;
        sweep.cancel();
        goAway();
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }
}
