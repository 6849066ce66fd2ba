package dev.securechannel.internal.session;

import java.io.IOException;

/**
 * Where a session's sealed frames go: a transport write or a WebSocket send queue. Called
 * under the session's send lock, one frame at a time, in sequence order.
 */
@FunctionalInterface
public interface FrameSink {

    /** Writes or enqueues one whole frame. */
    void write(byte[] frame) throws IOException;
}
