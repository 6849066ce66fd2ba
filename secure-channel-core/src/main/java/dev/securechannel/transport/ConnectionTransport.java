package dev.securechannel.transport;

import dev.securechannel.connection.SendLimitExceededException;
import java.io.IOException;

/**
 * What a session driven by incoming messages needs from its message transport, where one
 * binary message carries one frame: a WebSocket session of some stack. The server adapters and
 * {@link dev.securechannel.client.WebSocketConnector}s implement it.
 *
 * <p>{@link #send(byte[])} is called under the session's send lock, one frame at a time, in
 * sequence order; it should enqueue without blocking for long, and throw a
 * {@link SendLimitExceededException} when the transport's send-time or buffer limit is exceeded
 * (the session then ends: a dropped frame would break the sequence). {@link #close(int, String)} may be called from any thread, more
 * than once.
 */
public interface ConnectionTransport {

    /** Sends one whole frame as one binary message. */
    void send(byte[] frame) throws IOException;

    /** Closes the connection with a WebSocket close code and a short fixed reason. */
    void close(int code, String reason);

    /** Bytes accepted by {@link #send(byte[])} but not yet written, for backpressure metrics. */
    default long queuedBytes() {
        return 0;
    }

    /** The peer's address, for logs. */
    default String remoteAddress() {
        return "unknown";
    }
}
