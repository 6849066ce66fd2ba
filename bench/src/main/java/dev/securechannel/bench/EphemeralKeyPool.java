package dev.securechannel.bench;

import dev.securechannel.crypto.X25519KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A prototype of an ephemeral X25519 key pool for {@code SessionConfig.Builder.ephemeralKeys}:
 * a bounded queue of fresh key pairs kept full by one background daemon thread, so a handshake
 * takes a ready pair instead of paying for key generation on its critical path.
 *
 * <p>Rules a production version must keep (and this prototype keeps):
 * <ul>
 *   <li>every pair is used at most once: {@link #get()} removes it from the queue;</li>
 *   <li>{@link #get()} never blocks: when the pool is empty it generates inline, so the pool
 *       can only remove latency, never add it; hits and misses are counted;</li>
 *   <li>the pool is bounded (private keys sit in memory until used), and {@link #close()}
 *       destroys (wipes) every pair still queued.</li>
 * </ul>
 *
 * <p>It moves work, it does not remove it: each handshake still costs one key generation,
 * done on another core. It helps latency only while a core is idle; on a saturated machine
 * the refill competes with the handshakes themselves.
 *
 * <p>Lives in the bench module only: it is a measured proposal, not part of the core API.
 */
public final class EphemeralKeyPool implements Supplier<X25519KeyPair>, AutoCloseable {

    private final BlockingQueue<X25519KeyPair> ready;
    private final SecureRandom random;
    private final Thread refill;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private volatile boolean closed;

    /** A pool of {@code capacity} pairs, filled before this constructor returns. */
    public EphemeralKeyPool(int capacity, SecureRandom random) {
        this.ready = new ArrayBlockingQueue<>(capacity);
        this.random = random;
        for (int i = 0; i < capacity; i++) {
            ready.add(X25519KeyPair.generate(random));
        }
        this.refill = new Thread(this::refillLoop, "x25519-key-pool");
        refill.setDaemon(true);
        refill.start();
    }

    /** A ready pair, or a freshly generated one when the pool is empty. Never blocks. */
    @Override
    public X25519KeyPair get() {
        X25519KeyPair pair = ready.poll();
        if (pair != null) {
            hits.increment();
            return pair;
        }
        misses.increment();
        return X25519KeyPair.generate(random);
    }

    /** Pairs served from the pool. */
    public long hits() {
        return hits.sum();
    }

    /** Pairs generated inline because the pool was empty. */
    public long misses() {
        return misses.sum();
    }

    /** Resets the counters. */
    public void resetCounters() {
        hits.reset();
        misses.reset();
    }

    private void refillLoop() {
        while (!closed) {
            X25519KeyPair pair = X25519KeyPair.generate(random);
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
        }
    }

    /** Stops the refill thread and wipes every queued pair. */
    @Override
    public void close() {
        closed = true;
        refill.interrupt();
        try {
            refill.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        X25519KeyPair pair;
        while ((pair = ready.poll()) != null) {
            pair.destroy();
        }
    }
}
