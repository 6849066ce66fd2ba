package dev.securechannel.bench.endpoint;

import dev.securechannel.transport.FrameTransport;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * JDK TLS 1.3 driven through an {@link SSLEngine} over a {@link FrameTransport} (the
 * {@link dev.securechannel.internal.transport.InMemoryDuplex} of the secure-channel benchmarks), so the
 * competitor runs over the very same in-process transport and thread layout.
 *
 * <p>Each transport message ("chunk") carries whole TLS records: a handshake flight, or all the
 * records of one application message. That alignment is the message framing, as a WebSocket
 * message is for the secure channel; TLS itself is a byte stream.
 *
 * <p>Copies are kept to what the engine itself needs, so the comparison is fair:
 * <ul>
 *   <li>Sending: records are wrapped straight into a new array of the exact chunk size (the
 *       JDK adds 38 bytes to each fragment of at most 16,367 bytes: header, content type,
 *       16 bytes of padding, tag). The engine insists on a whole packet's room
 *       ({@code getPacketBufferSize()}) before each wrap, so the last record, when less room
 *       is left, goes through a scratch buffer and is copied: at most 16 KiB per message.</li>
 *   <li>Receiving: the record headers give the plaintext length, the message array is
 *       allocated at that size and the engine unwraps into it (with a small spare buffer after
 *       it to satisfy the engine's room check, which counts the inner content type).</li>
 * </ul>
 * The layout is learned from the engine, not assumed: a chunk that does not match the estimate
 * falls back to growing buffers and copying, is counted ({@link #fallbacks()}) and corrects the
 * estimate; the benchmarks check in {@code @Setup} that the last checked message needed none.
 *
 * <p>One thread sends and one thread receives, as {@link MessageEndpoint} allows; the engine
 * itself is safe for concurrent wrap and unwrap.
 */
public final class EngineTlsEndpoint implements MessageEndpoint {

    private static final int RECORD_HEADER = 5;
    /**
     * The JDK's TLS 1.3 record (17 to 25 at least): 5-byte header, the fragment, the inner
     * content type, 16 zero bytes of padding and the 16-byte AEAD tag. Only the starting
     * estimate: each endpoint learns the real layout from its engine.
     */
    private static final int JDK_RECORD_OVERHEAD = 38;
    /** 2^14 less the content type and the padding. */
    private static final int JDK_MAX_FRAGMENT = 16_367;
    private static final int CONTENT_TYPE_APPLICATION_DATA = 23;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final AtomicLong FALLBACKS = new AtomicLong();

    private final SSLEngine engine;
    private final FrameTransport transport;
    private final ByteBuffer sendScratch;
    private final ByteBuffer receiveSpare = ByteBuffer.allocate(256);
    private final ByteBuffer[] receiveTargets = new ByteBuffer[2];
    /** Bytes a record adds to its fragment, and the largest fragment, as this endpoint's engine writes them (sending thread only). */
    private int sendOverhead = JDK_RECORD_OVERHEAD;
    private int sendFragment = JDK_MAX_FRAGMENT;
    /** Bytes a record adds to its fragment as the peer writes them (receiving thread only). */
    private int receiveOverhead = JDK_RECORD_OVERHEAD;

    private EngineTlsEndpoint(SSLEngine engine, FrameTransport transport) {
        this.engine = engine;
        this.transport = transport;
        this.sendScratch = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    /**
     * Runs the TLS handshake of {@code engine} (client or server mode already set) over
     * {@code transport} and returns the connected endpoint. Delegated tasks run on this thread.
     */
    public static EngineTlsEndpoint handshake(SSLEngine engine, FrameTransport transport) throws IOException {
        EngineTlsEndpoint endpoint = new EngineTlsEndpoint(engine, transport);
        endpoint.runHandshake();
        return endpoint;
    }

    /** Chunks sent or received, across all endpoints, that needed the copying fallback. */
    public static long fallbacks() {
        return FALLBACKS.get();
    }

    private void runHandshake() throws IOException {
        engine.beginHandshake();
        ByteBuffer outbound = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 2);
        ByteBuffer inbound = EMPTY;
        ByteBuffer ignoredApplicationData = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        while (true) {
            switch (status) {
                case NEED_WRAP -> {
                    SSLEngineResult result = engine.wrap(EMPTY, outbound);
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        outbound = grow(outbound, engine.getSession().getPacketBufferSize());
                    } else {
                        requireOk(result);
                    }
                    status = result.getHandshakeStatus();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    flush(outbound);
                    if (!inbound.hasRemaining()) {
                        inbound = ByteBuffer.wrap(receiveChunk());
                    }
                    SSLEngineResult result = engine.unwrap(inbound, ignoredApplicationData);
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        // A record split across chunks: append the next chunk.
                        inbound = append(inbound, receiveChunk());
                    } else {
                        requireOk(result);
                    }
                    status = result.getHandshakeStatus();
                }
                case NEED_TASK -> {
                    runDelegatedTasks();
                    status = engine.getHandshakeStatus();
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    flush(outbound);
                    if (inbound.hasRemaining() || ignoredApplicationData.position() != 0) {
                        throw new SSLException("application data arrived inside the handshake");
                    }
                    return;
                }
                default -> throw new SSLException("unexpected handshake status " + status);
            }
        }
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (message.length == 0) {
            throw new IllegalArgumentException("an empty message would produce no record");
        }
        int records = (message.length + sendFragment - 1) / sendFragment;
        byte[] chunk = new byte[message.length + records * sendOverhead];
        ByteBuffer target = ByteBuffer.wrap(chunk);
        ByteBuffer source = ByteBuffer.wrap(message);
        while (source.hasRemaining()) {
            int remainingBefore = source.remaining();
            SSLEngineResult result;
            if (target.remaining() >= sendScratch.capacity()) {
                result = engine.wrap(source, target);
                requireOk(result);
            } else {
                sendScratch.clear();
                result = engine.wrap(source, sendScratch);
                requireOk(result);
                sendScratch.flip();
                if (sendScratch.remaining() > target.remaining()) {
                    target = grow(target, sendScratch.remaining());
                }
                target.put(sendScratch);
            }
            // Learn the engine's record layout (one record per wrap), for sizing the next chunk.
            sendOverhead = result.bytesProduced() - result.bytesConsumed();
            if (result.bytesConsumed() < remainingBefore) {
                sendFragment = result.bytesConsumed();
            }
        }
        if (target.hasRemaining() || target.array() != chunk) {
            FALLBACKS.incrementAndGet();
            chunk = Arrays.copyOf(target.array(), target.position());
        }
        transport.send(chunk);
    }

    @Override
    public byte[] receive() throws IOException {
        while (true) {
            byte[] chunk = receiveChunk();
            int records = 0;
            int recordBytes = 0;
            for (int offset = 0; offset + 5 <= chunk.length; ) {
                int length = ((chunk[offset + 3] & 0xFF) << 8) | (chunk[offset + 4] & 0xFF);
                if ((chunk[offset] & 0xFF) == CONTENT_TYPE_APPLICATION_DATA) {
                    records++;
                    recordBytes += length;
                }
                offset += 5 + length;
            }
            byte[] message = new byte[Math.max(0, recordBytes - records * (receiveOverhead - RECORD_HEADER))];
            ByteBuffer source = ByteBuffer.wrap(chunk);
            receiveTargets[0] = ByteBuffer.wrap(message);
            receiveTargets[1] = receiveSpare.clear();
            while (source.hasRemaining()) {
                SSLEngineResult result = engine.unwrap(source, receiveTargets);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    ByteBuffer larger = ByteBuffer.allocate(message.length + engine.getSession().getApplicationBufferSize());
                    larger.put(receiveTargets[0].flip());
                    larger.put(receiveSpare.flip());
                    receiveTargets[0] = larger;
                    receiveTargets[1] = receiveSpare.clear();
                    continue;
                }
                requireOk(result);
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                }
            }
            ByteBuffer written = receiveTargets[0];
            int produced = written.position() + receiveSpare.position();
            if (produced == 0) {
                continue; // a post-handshake message such as the server's NewSessionTicket
            }
            if (written.array() == message && written.position() == message.length && receiveSpare.position() == 0) {
                return message;
            }
            FALLBACKS.incrementAndGet();
            // Learn the peer's record layout (the same overhead on every record) for the next chunk.
            receiveOverhead = RECORD_HEADER + (recordBytes - produced) / records;
            byte[] exact = new byte[produced];
            System.arraycopy(written.array(), 0, exact, 0, written.position());
            System.arraycopy(receiveSpare.array(), 0, exact, written.position(), receiveSpare.position());
            return exact;
        }
    }

    private byte[] receiveChunk() throws IOException {
        byte[] chunk = transport.receive(Integer.MAX_VALUE, Duration.ZERO);
        if (chunk == null) {
            throw new EOFException("peer closed");
        }
        return chunk;
    }

    private void flush(ByteBuffer outbound) throws IOException {
        if (outbound.position() > 0) {
            outbound.flip();
            byte[] chunk = new byte[outbound.remaining()];
            outbound.get(chunk);
            outbound.clear();
            transport.send(chunk);
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static void requireOk(SSLEngineResult result) throws SSLException {
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("engine returned " + result.getStatus() + " (" + result.getHandshakeStatus() + ")");
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int extra) {
        ByteBuffer larger = ByteBuffer.allocate(buffer.capacity() + extra);
        larger.put(buffer.flip());
        return larger;
    }

    private static ByteBuffer append(ByteBuffer remaining, byte[] more) {
        ByteBuffer joined = ByteBuffer.allocate(remaining.remaining() + more.length);
        joined.put(remaining).put(more).flip();
        return joined;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException ignored) {
            // In-memory transports do not fail to close; nothing to report in a benchmark tear-down.
        }
    }
}
