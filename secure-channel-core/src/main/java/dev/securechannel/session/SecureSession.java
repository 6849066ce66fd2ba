package dev.securechannel.session;

import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.Role;
import dev.securechannel.protocol.Tensor;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * An attested session with one peer: the handshake has completed, the peer's attestation is
 * verified, and the application sends on it. The same interface serves the three ways in: a
 * server's {@link dev.securechannel.connection.SecureChannelHandler} receives one in each
 * callback, a client gets a {@link dev.securechannel.client.ClientSession} from
 * {@link dev.securechannel.client.SecureChannelClient#connect()}, and plain Java programs get a
 * {@link SecureChannel} from {@link SecureChannel#connect} or {@link SecureChannel#accept}.
 *
 * <p><b>Threads.</b> Every method is thread-safe. Sends may come from any thread at once: each
 * frame is sealed and handed to the transport under one lock, so frames leave whole and in
 * sequence order.
 *
 * <p><b>Ending.</b> The first failure ends the session, and every later send throws a
 * {@link dev.securechannel.SecureChannelException} with reason SESSION_CLOSED; {@link #closeReason()}
 * then says why it ended. {@link #shutdown()} ends it cleanly.
 */
public interface SecureSession {

    /** Sends bytes as one Data frame. */
    void send(byte[] data) throws IOException;

    /** Sends a tensor as one Tensor frame. */
    void sendTensor(Tensor tensor) throws IOException;

    /** Sends a Heartbeat. */
    void sendHeartbeat() throws IOException;

    /** Sends an Error frame with a short reason (at most 256 characters kept); the session stays open. */
    void sendError(String reason) throws IOException;

    /**
     * Ends the session cleanly: sends Shutdown, after which nothing more may be sent. Does nothing
     * when the session has already ended. Never throws: a Shutdown that cannot be written ends the
     * session as TRUNCATED, which {@link #closeReason()} then reports.
     */
    void shutdown();

    /** Whether frames may still be sent. */
    boolean isOpen();

    /** This side's role in the handshake. */
    Role role();

    /** The peer's verified attestation (the handshake verified it before the session opened). */
    VerifiedAttestation peerAttestation();

    /** The protocol extensions negotiated in the handshake (PROTOCOL.md section 8). */
    Extensions extensions();

    /** A short public identifier for logs and dashboards: a hash prefix of the session id, never the id itself. */
    String displayId();

    /** The peer's address, for logs; {@code unknown} when the transport does not know it. */
    String remoteAddress();

    /** The application's attributes for this session: a concurrent map, empty at first. */
    Map<String, Object> attributes();

    /** Why the session ended, once it has. */
    Optional<CloseReason> closeReason();

    // Figures for metrics and the actuator endpoint: nothing secret.

    /** {@link System#nanoTime()} when the session opened: for its age. */
    long openedNanos();

    /** Frames and plaintext bytes so far, each way. */
    Traffic traffic();

    /** Bytes handed to the transport but not yet written: the backpressure now; 0 where writes block. */
    long queuedBytes();

    /**
     * A session's traffic so far, in application frames and plaintext bytes (a KeyUpdate, a
     * Heartbeat or a Shutdown is a frame of 0 or a few bytes).
     *
     * @param framesSent     frames sent
     * @param bytesSent      plaintext bytes sent
     * @param framesReceived frames received
     * @param bytesReceived  plaintext bytes received
     */
    record Traffic(long framesSent, long bytesSent, long framesReceived, long bytesReceived) {
    }
}
