package dev.securechannel.sample;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads that run the model and send its replies: a fixed pool with a bounded queue that
 * rejects work (answered as "busy") instead of growing. Thread-safe.
 *
 * <p>Deliberately not a {@link java.util.concurrent.Executor} bean, so that nothing else in the
 * context picks it up by type and queues unrelated work behind the model.
 */
public final class InferenceExecutor implements AutoCloseable {

    private final ThreadPoolExecutor pool;

    /**
     * @param threads       model threads
     * @param queueCapacity jobs that may wait for a thread
     */
    public InferenceExecutor(int threads, int queueCapacity) {
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                task -> {
                    Thread thread = new Thread(task, "inference-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code job} on a model thread.
     *
     * @throws RejectedExecutionException when the queue is full or the executor is closed
     */
    public void execute(Runnable job) {
        pool.execute(job);
    }

    /**
     * Computes {@code work} on a model thread.
     *
     * @throws RejectedExecutionException when the queue is full or the executor is closed
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, pool);
    }

    /** Stops the threads; queued work is dropped (its sessions are closing with the application). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
