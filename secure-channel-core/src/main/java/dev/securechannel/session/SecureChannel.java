package dev.securechannel.session;

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
 */
public interface SecureChannel extends SecureSession, AutoCloseable {

    /** Runs the initiator's handshake over {@code transport}. */
    static SecureChannel connect(FrameTransport transport, SessionConfig config) throws IOException {
        return BlockingSecureChannel.connect(transport, config);
    }

    /** Runs the responder's handshake over {@code transport}. */
    static SecureChannel accept(FrameTransport transport, SessionConfig config) throws IOException {
        return BlockingSecureChannel.accept(transport, config);
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
