package dev.securechannel.session;

import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.transport.FrameTransport;
import java.io.IOException;

/**
 * The simple blocking API: run the handshake over a {@link FrameTransport}, then send and
 * receive messages on the {@link SecureSession} it opened.
 *
 * <p>{@link #connect} and {@link #accept} block the calling thread for the whole handshake,
 * bounded by {@link SessionConfig#handshakeTimeout()}. Sends are thread-safe (any thread, one
 * lock per channel); {@link #receive()} is for one reader thread. Any failure closes the
 * transport and surfaces as a {@link SecureChannelException} whose reason says why.
 *
 * <p>{@link #shutdown()} ends the sending side only: the channel keeps receiving until the
 * peer's Shutdown arrives. {@link #close()} then releases the transport.
 *
 * <p><b>Metrics.</b> A channel opened with a {@link ConnectionObserver} reports to it what a
 * WebSocket connection reports, each event on the caller's thread that caused it:
 * <ul>
 *   <li>on the thread in {@code connect} or {@code accept}: {@link ConnectionObserver#handshakeCompleted}
 *       and then {@link ConnectionObserver#sessionOpened}, before the channel is returned; or
 *       {@link ConnectionObserver#attestationRejected} (when the peer's attestation was refused)
 *       and {@link ConnectionObserver#handshakeFailed}, before the exception is thrown;</li>
 *   <li>on a sending thread, under the channel's send lock: {@link ConnectionObserver#frameSealed}
 *       and {@link ConnectionObserver#frameWritten} for each Data and Tensor frame;</li>
 *   <li>on the reading thread, in {@link #receive()}: {@link ConnectionObserver#frameOpened}
 *       for each frame, control frames and KeyUpdates included;</li>
 *   <li>on whichever thread first notices the end (a receive, a send or shutdown that failed,
 *       or {@link #close()}): {@link ConnectionObserver#sessionClosed}, exactly once, with the
 *       reason {@link #closeReason()} gives.</li>
 * </ul>
 * Nothing is allocated per frame for the observer. It must be thread-safe and cheap, and must
 * not throw.
 */
public interface SecureChannel extends SecureSession, AutoCloseable {

    /** Runs the initiator's handshake over {@code transport}, reporting to no observer. */
    static SecureChannel connect(FrameTransport transport, SessionConfig config) throws IOException {
        return connect(transport, config, ConnectionObserver.NONE);
    }

    /**
     * Runs the initiator's handshake over {@code transport}; the channel reports its handshake,
     * frames and end to {@code observer} (see the class comment for what and on which thread).
     */
    static SecureChannel connect(FrameTransport transport, SessionConfig config, ConnectionObserver observer)
            throws IOException {
        return BlockingSecureChannel.connect(transport, config, observer);
    }

    /** Runs the responder's handshake over {@code transport}, reporting to no observer. */
    static SecureChannel accept(FrameTransport transport, SessionConfig config) throws IOException {
        return accept(transport, config, ConnectionObserver.NONE);
    }

    /**
     * Runs the responder's handshake over {@code transport}; the channel reports its handshake,
     * frames and end to {@code observer} (see the class comment for what and on which thread).
     */
    static SecureChannel accept(FrameTransport transport, SessionConfig config, ConnectionObserver observer)
            throws IOException {
        return BlockingSecureChannel.accept(transport, config, observer);
    }

    /**
     * Waits for the next message. For one reader thread.
     *
     * @throws dev.securechannel.SecureChannelException TRUNCATED when the peer vanished without a
     *         Shutdown, IDLE_TIMEOUT after the idle timeout, SESSION_CLOSED after the session ended,
     *         or the reason a frame was rejected (the channel is then closed)
     */
    Message receive() throws IOException;

    /** Closes the transport without a Shutdown (the peer sees truncation); call {@link #shutdown()} first for a clean end. */
    @Override
    void close();
}
