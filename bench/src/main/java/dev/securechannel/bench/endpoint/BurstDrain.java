package dev.securechannel.bench.endpoint;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving side of one-way throughput: a thread that receives messages, and signals each
 * time a whole burst has arrived, so the sender can time a burst from its first send until its
 * last message has been received (and opened, for the secure channel) on the other side.
 *
 * <p>The signal is an in-process semaphore, not a reply over the connection, so that what is
 * timed is one-way traffic only, as in the reference ("client sends a burst, server drains in
 * the background, no echo"). While {@link #verifyAgainst(byte[])} is set, every message is
 * compared with the expected bytes (for the check in {@code @Setup}, never while measuring).
 */
public final class BurstDrain extends PeerThread {

    private static final long BURST_TIMEOUT_SECONDS = 60;

    private final int messagesPerBurst;
    private final Semaphore completedBursts = new Semaphore(0);
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private volatile byte[] expected;

    private BurstDrain(MessageEndpoint endpoint, int messagesPerBurst, String name) {
        super(endpoint, name);
        this.messagesPerBurst = messagesPerBurst;
    }

    /** Starts draining on a new daemon thread. */
    public static BurstDrain start(MessageEndpoint endpoint, int messagesPerBurst, String name) {
        BurstDrain drain = new BurstDrain(endpoint, messagesPerBurst, name);
        drain.startThread();
        return drain;
    }

    @Override
    void loop() throws Exception {
        int inBurst = 0;
        while (true) {
            byte[] message = endpoint.receive();
            byte[] check = expected;
            if (check != null) {
                bytesReceived.addAndGet(message.length);
                if (!Arrays.equals(message, check)) {
                    mismatches.incrementAndGet();
                }
            }
            if (++inBurst == messagesPerBurst) {
                inBurst = 0;
                completedBursts.release();
            }
        }
    }

    @Override
    void failed() {
        completedBursts.release(); // wake the sender, which then sees the failure
    }

    /** Compares every following message with {@code message} (null stops comparing). */
    public void verifyAgainst(byte[] message) {
        expected = message;
    }

    /** Messages that differed from the expected bytes while verifying. */
    public long mismatches() {
        return mismatches.get();
    }

    /** Bytes received while verifying. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Sends one burst, as many copies of {@code message} as this drain counts per burst, without waiting for it. */
    public void sendBurst(MessageEndpoint sender, byte[] message) throws IOException {
        for (int i = 0; i < messagesPerBurst; i++) {
            sender.send(message);
        }
    }

    /** Sends one burst and blocks until this drain has received all of it: one one-way operation. */
    public void sendBurstAndAwait(MessageEndpoint sender, byte[] message) throws IOException, InterruptedException {
        sendBurst(sender, message);
        awaitBurst();
    }

    /** Blocks until the next whole burst has been received. */
    public void awaitBurst() throws IOException, InterruptedException {
        if (!completedBursts.tryAcquire(BURST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException("burst not received within " + BURST_TIMEOUT_SECONDS + " s");
        }
        Throwable cause = failure();
        if (cause != null) {
            throw new IOException("drain thread failed", cause);
        }
    }
}
