package dev.securechannel.connection;

import java.io.IOException;

/**
 * Thrown by a transport whose send-time or send-buffer limit is exceeded (a WebSocket
 * stack's send queue). The session then ends with SEND_LIMIT_EXCEEDED: dropping the frame instead would break
 * the sequence the peer expects.
 */
public class SendLimitExceededException extends IOException {

    private static final long serialVersionUID = 1L;

    public SendLimitExceededException(String message) {
        super(message);
    }
}
