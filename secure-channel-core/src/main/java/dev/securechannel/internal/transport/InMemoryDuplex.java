package dev.securechannel.internal.transport;

import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A connected pair of in-process transports: what one end sends, the other receives, frame by
 * frame, with no copying. For tests and benchmarks. Each end is thread-safe as
 * {@link FrameTransport} requires. A receiver polls for up to 50 us before it blocks, trading a
 * little CPU for hand-offs without a thread wake-up, as low-latency queues do.
 */
public final class InMemoryDuplex {

    private static final byte[] END_OF_STREAM = new byte[0];

    /** How long a receiver polls before it blocks: {@code -Dsecurechannel.duplex.spinMicros}, 50 by default. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("securechannel.duplex.spinMicros", 50));

    private final End first;
    private final End second;

    private InMemoryDuplex() {
        BlockingQueue<byte[]> firstToSecond = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> secondToFirst = new LinkedBlockingQueue<>();
        this.first = new End(secondToFirst, firstToSecond);
        this.second = new End(firstToSecond, secondToFirst);
    }

    /** A new connected pair. */
    public static InMemoryDuplex create() {
        return new InMemoryDuplex();
    }

    /** One end (by convention the client's). */
    public FrameTransport first() {
        return first;
    }

    /** The other end (by convention the server's). */
    public FrameTransport second() {
        return second;
    }

    private static final class End implements FrameTransport {

        private final BlockingQueue<byte[]> inbound;
        private final BlockingQueue<byte[]> outbound;
        private volatile boolean closed;

        End(BlockingQueue<byte[]> inbound, BlockingQueue<byte[]> outbound) {
            this.inbound = inbound;
            this.outbound = outbound;
        }

        @Override
        public String remoteAddress() {
            return "in-memory";
        }

        @Override
        public void send(byte[] frame) throws IOException {
            if (closed) {
                throw new IOException("transport closed");
            }
            outbound.add(frame);
        }

        @Override
        public byte[] receive(int maxPayloadLength, Duration timeout) throws IOException {
            byte[] frame = spinForFrame();
            try {
                if (frame == null) {
                    frame = timeout.isZero() ? inbound.take() : inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            if (frame == null) {
                throw new SocketTimeoutException("no frame within " + timeout);
            }
            if (frame == END_OF_STREAM) {
                inbound.add(END_OF_STREAM);
                return null;
            }
            return frame;
        }

        /**
         * Polls for up to {@link #SPIN_NANOS} before the caller blocks: a peer that answers within
         * a few microseconds is then picked up without a park and unpark (a futex round trip that
         * costs 5-20 us on a VM). Yields while spinning, so that a peer sharing this CPU runs.
         */
        private byte @Nullable [] spinForFrame() {
            byte[] frame = inbound.poll();
            if (frame != null) {
                return frame;
            }
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while ((frame = inbound.poll()) == null && System.nanoTime() < deadline) {
                if (++spins % 16 == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            return frame;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                outbound.add(END_OF_STREAM);
                inbound.add(END_OF_STREAM);
            }
        }
    }
}
