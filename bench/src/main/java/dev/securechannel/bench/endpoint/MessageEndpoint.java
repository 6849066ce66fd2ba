package dev.securechannel.bench.endpoint;

import java.io.IOException;

/**
 * One end of a message connection as the transport benchmarks use it: whole messages in,
 * whole messages out, in order.
 *
 * <p>Not thread-safe beyond what the benchmarks need: one thread sends and one thread receives
 * (they may differ). {@link #close()} may be called from any thread and ends a blocked receive
 * with an exception.
 */
public interface MessageEndpoint extends AutoCloseable {

    /** Sends one message; the array is handed over and must not be changed afterwards. */
    void send(byte[] message) throws IOException;

    /**
     * Waits for the next message.
     *
     * @return a new array holding exactly the message
     * @throws java.io.EOFException when the peer closed
     */
    byte[] receive() throws IOException;

    /** Closes the connection without a closing handshake. */
    @Override
    void close();
}
