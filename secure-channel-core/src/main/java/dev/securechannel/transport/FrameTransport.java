package dev.securechannel.transport;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Carries whole frames between two peers.
 *
 * <p>{@link #send(byte[])} may be called by one thread at a time (the session's send lock
 * guarantees it); {@link #receive(int, Duration)} by one reader thread. {@link #close()} may
 * be called from any thread and wakes a blocked reader.
 */
public interface FrameTransport extends Closeable {

    /** Sends one whole frame. */
    void send(byte[] frame) throws IOException;

    /**
     * Waits for the next whole frame.
     *
     * @param maxPayloadLength the cap in force; a stream transport rejects a larger header before reading its payload
     * @param timeout          how long to wait; zero waits indefinitely
     * @return the frame, or {@code null} at end of stream (the peer closed)
     * @throws SocketTimeoutException when the timeout passes
     * @throws dev.securechannel.SecureChannelException for a header the decoder rejects
     */
    byte[] receive(int maxPayloadLength, Duration timeout) throws IOException;

    /** The peer's address, for logs. */
    default String remoteAddress() {
        return "unknown";
    }

    /** Closes both directions; the peer's reader then sees end of stream. */
    @Override
    void close() throws IOException;
}
