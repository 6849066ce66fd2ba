package dev.securechannel.internal.crypto;

import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Fresh X25519 key pairs generated ahead of time by one background daemon thread, so that a
 * handshake takes a ready pair instead of paying for key generation on its critical path.
 * Plug it in with {@code SessionConfigInternals.ephemeralKeys(builder, pool)}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>every pair is handed out at most once ({@link #get()} removes it from the queue);</li>
 *   <li>{@link #get()} never blocks: when the pool is empty it generates a pair inline, so the
 *       pool can only remove latency, never add it (counted as a {@linkplain #misses() miss});</li>
 *   <li>the pool is bounded, since private keys wait in memory until used, and
 *       {@link #close()} stops the thread and destroys (wipes) every pair still queued; after
 *       that {@link #get()} keeps working, generating inline.</li>
 * </ul>
 *
 * <p>It moves work rather than removing it: each handshake still costs one key generation, on
 * another core. That helps latency while a core is idle; on a saturated machine the refill
 * competes with the handshakes. Thread-safe.
 */
public final class EphemeralKeyPool implements Supplier<X25519KeyPair>, AutoCloseable {

    private final BlockingQueue<X25519KeyPair> ready;
    private final SecureRandom random;
    private final CryptoBackend backend;
    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();

    private final Thread refill;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private volatile boolean closed;

    private EphemeralKeyPool(int capacity, SecureRandom random, CryptoBackend backend) {
        this.ready = new ArrayBlockingQueue<>(capacity);
        this.random = random;
        this.backend = backend;
        this.refill = new Thread(this::refillLoop, "secure-channel-x25519-pool-" + POOLS.incrementAndGet());
        refill.setDaemon(true);
    }

    /**
     * Starts a pool of {@code capacity} pairs; it fills in the background.
     *
     * @param capacity how many pairs may wait (at least 1)
     * @param random   the source of private keys
     */
    public static EphemeralKeyPool start(int capacity, SecureRandom random) {
        return start(capacity, random, CryptoBackends.auto());
    }

    /**
     * Starts a pool of {@code capacity} pairs computed on {@code backend}; it fills in the background.
     *
     * @param capacity how many pairs may wait (at least 1)
     * @param random   the source of private keys
     * @param backend  where key generation and the pairs' agreements run
     */
    public static EphemeralKeyPool start(int capacity, SecureRandom random, CryptoBackend backend) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        EphemeralKeyPool pool = new EphemeralKeyPool(capacity, random, backend);
        pool.refill.start();
        return pool;
    }

    /** A ready pair, or a freshly generated one when none is ready. Never blocks. */
    @Override
    public X25519KeyPair get() {
        X25519KeyPair pair = ready.poll();
        if (pair != null) {
            hits.increment();
            return pair;
        }
        misses.increment();
        return X25519KeyPair.generate(backend, random);
    }

    /** Pairs served ready from the pool. */
    public long hits() {
        return hits.sum();
    }

    /** Pairs generated inline because none was ready. */
    public long misses() {
        return misses.sum();
    }

    /** Pairs waiting now. */
    public int available() {
        return ready.size();
    }

    /** How many pairs may wait. */
    public int capacity() {
        return ready.size() + ready.remainingCapacity();
    }

    /** The refill thread, for tests. */
    Thread refillThread() {
        return refill;
    }

    private void refillLoop() {
        while (!closed) {
            X25519KeyPair pair = X25519KeyPair.generate(backend, random);
            try {
                while (!ready.offer(pair, 100, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        pair.destroy();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                pair.destroy();
                return;
            }
            if (closed) {
                // close() may have drained the queue just before this pair went in.
                drain();
            }
        }
    }

    /** Stops the refill thread and destroys every pair still waiting. Idempotent. */
    @Override
    public void close() {
        closed = true;
        refill.interrupt();
        try {
            refill.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }

    private void drain() {
        X25519KeyPair pair;
        while ((pair = ready.poll()) != null) {
            pair.destroy();
        }
    }

    @Override
    public String toString() {
        return "EphemeralKeyPool[capacity=" + capacity() + ", available=" + available() + ", hits=" + hits() + ", misses=" + misses() + "]";
    }
}
