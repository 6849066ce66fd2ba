package dev.securechannel.server;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records why server handshakes failed, so a test can tell a refused or broken handshake
 * (for example a peer that vanished) from one that merely timed out.
 */
public final class RecordingObserver implements ConnectionObserver {

    private final Queue<FailureReason> handshakeFailures = new ConcurrentLinkedQueue<>();

    @Override
    public void handshakeFailed(Role role, FailureReason reason, long elapsedNanos) {
        handshakeFailures.add(reason);
    }

    /** Forgets everything recorded so far. */
    public void reset() {
        handshakeFailures.clear();
    }

    /** The reasons of the handshakes that failed since the last reset. */
    public List<FailureReason> handshakeFailures() {
        return new ArrayList<>(handshakeFailures);
    }
}
