package dev.securechannel.internal.connection;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The time a connection reads and the timer it sets (handshake timeout, idle sweep): the
 * system's in production, a manual one in tests, so that no test waits for a timeout.
 */
public interface ConnectionClock {

    /** Now, on a monotonic clock in nanoseconds ({@link System#nanoTime()} in production). */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}, on the clock's thread. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that may be cancelled. */
    @FunctionalInterface
    interface Cancellable {

        /** Stops the task if it has not run; does nothing otherwise. */
        void cancel();
    }

    /** {@link System#nanoTime()}, with tasks on {@code scheduler}. */
    static ConnectionClock system(ScheduledExecutorService scheduler) {
        return new ConnectionClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> future = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }
        };
    }
}
