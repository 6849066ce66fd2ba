package dev.securechannel.internal.transport;

import dev.securechannel.connection.SendLimitExceededException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a transport has accepted for sending but not yet handed to the socket, held to a
 * limit. A frame that would take the total past the limit is refused rather than dropped or
 * waited for: the connection then ends with SEND_LIMIT_EXCEEDED, since a missing frame would
 * break the sequence the peer expects and a blocked sender would stall the event loop.
 *
 * <p>Thread-safe: frames are reserved on the sending threads and released on whichever thread
 * writes them.
 */
public final class SendBudget {

    private final long limit;
    private final AtomicLong queued = new AtomicLong();

    /** A budget of {@code limit} bytes; a frame may fill it exactly. */
    public SendBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Counts {@code bytes} as queued, or refuses them, counting nothing, when the queue would
     * then hold more than the limit.
     *
     * @throws SendLimitExceededException when the frame does not fit
     */
    public void reserve(long bytes) throws SendLimitExceededException {
        long current;
        do {
            current = queued.get();
            if (bytes > limit - current) {
                throw new SendLimitExceededException("send queue over " + limit + " bytes");
            }
        } while (!queued.compareAndSet(current, current + bytes));
    }

    /** Gives back {@code bytes} earlier {@linkplain #reserve(long) reserved}, once they are written or dropped. */
    public void release(long bytes) {
        queued.addAndGet(-bytes);
    }

    /** Bytes reserved and not yet released. */
    public long queuedBytes() {
        return queued.get();
    }
}
