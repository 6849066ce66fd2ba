package dev.securechannel.transport;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connected pair of in-process transports: what one end sends, the other receives, frame by
 * frame, with no copying. For tests and benchmarks. Each end is thread-safe as
 * {@link FrameTransport} requires.
 */
public final class InMemoryDuplex {

    private static final byte[] END_OF_STREAM = new byte[0];

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
        public void send(byte[] frame) throws IOException {
            if (closed) {
                throw new IOException("transport closed");
            }
            outbound.add(frame);
        }

        @Override
        public byte[] receive(int maxPayloadLength, Duration timeout) throws IOException {
            byte[] frame = inbound.poll();
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
