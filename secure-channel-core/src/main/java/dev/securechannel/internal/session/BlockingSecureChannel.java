package dev.securechannel.internal.session;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SecureChannel} implementation: a {@link RecordSession} over a {@link FrameTransport},
 * after a handshake run on the calling thread.
 */
public final class BlockingSecureChannel implements SecureChannel {

    private final FrameTransport transport;
    private final RecordSession session;
    private final Duration idleTimeout;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final long openedNanos = System.nanoTime();

    private BlockingSecureChannel(FrameTransport transport, HandshakeResult result, SessionConfig config) {
        this.transport = transport;
        this.session = new RecordSession(result, transport::send);
        this.idleTimeout = config.idleTimeout();
    }

    /** Runs the initiator's handshake over {@code transport}. */
    public static BlockingSecureChannel connect(FrameTransport transport, SessionConfig config) throws IOException {
        return handshake(new HandshakeInitiator(config), transport, config);
    }

    /** Runs the responder's handshake over {@code transport}. */
    public static BlockingSecureChannel accept(FrameTransport transport, SessionConfig config) throws IOException {
        return handshake(new HandshakeResponder(config), transport, config);
    }

    private static BlockingSecureChannel handshake(Handshake handshake, FrameTransport transport, SessionConfig config) throws IOException {
        long deadline = System.nanoTime() + config.handshakeTimeout().toNanos();
        try {
            byte[] first = handshake.start();
            if (first != null) {
                transport.send(first);
            }
            while (true) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new SecureChannelException(FailureReason.HANDSHAKE_TIMEOUT);
                }
                byte[] frame;
                try {
                    frame = transport.receive(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH, Duration.ofNanos(remaining));
                } catch (SocketTimeoutException e) {
                    throw new SecureChannelException(FailureReason.HANDSHAKE_TIMEOUT);
                } catch (SecureChannelException e) {
                    throw e.reason() == FailureReason.PAYLOAD_TOO_LARGE
                            ? new SecureChannelException(FailureReason.HANDSHAKE_BUFFER_OVERFLOW, "handshake frame too large")
                            : e;
                }
                if (frame == null) {
                    throw new SecureChannelException(FailureReason.CONNECTION_CLOSED, "peer closed during the handshake");
                }
                HandshakeStep step = handshake.onFrame(frame);
                if (step.reply() != null) {
                    transport.send(step.reply());
                    // The responder derives its keys now, while hello 2 travels to the initiator.
                    handshake.replySent();
                }
                if (step.result() != null) {
                    return new BlockingSecureChannel(transport, step.result(), config);
                }
            }
        } catch (IOException | RuntimeException e) {
            handshake.abort();
            closeQuietly(transport);
            throw e;
        }
    }

    @Override
    public void send(byte[] data) throws IOException {
        session.send(data);
    }

    @Override
    public void sendTensor(Tensor tensor) throws IOException {
        session.sendTensor(tensor);
    }

    @Override
    public void sendHeartbeat() throws IOException {
        session.sendHeartbeat();
    }

    @Override
    public void sendError(String reason) throws IOException {
        session.sendError(reason);
    }

    /**
     * Sends Shutdown; the peer's next receive returns {@link Message.Shutdown}, and this side may
     * go on receiving until the peer's own Shutdown. When the Shutdown cannot be written the
     * session ends as TRUNCATED and the transport is closed.
     */
    @Override
    public void shutdown() {
        try {
            session.shutdown();
        } catch (IOException e) {
            // The record layer has already failed the session (TRUNCATED), as closeReason() says.
            closeQuietly(transport);
        }
    }

    @Override
    public Message receive() throws IOException {
        while (true) {
            Message message = receiveFrame();
            if (message != null) {
                return message;
            }
        }
    }

    /** Reads and opens one frame; {@code null} when the session consumed it (a KeyUpdate). */
    private @Nullable Message receiveFrame() throws IOException {
        if (!session.isOpen() && session.state() != RecordSession.State.SHUTDOWN_SENT) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED, "session is " + session.state());
        }
        byte[] frame;
        try {
            frame = transport.receive(session.handshake().maxPayloadLength(), idleTimeout);
        } catch (SocketTimeoutException e) {
            session.fail(FailureReason.IDLE_TIMEOUT);
            closeQuietly(transport);
            throw new SecureChannelException(FailureReason.IDLE_TIMEOUT);
        } catch (SecureChannelException e) {
            session.fail(e.reason());
            closeQuietly(transport);
            throw e;
        } catch (IOException e) {
            session.fail(FailureReason.TRUNCATED);
            closeQuietly(transport);
            throw new SecureChannelException(FailureReason.TRUNCATED, e.getClass().getSimpleName(), e);
        }
        if (frame == null) {
            FailureReason reason = session.transportClosed();
            closeQuietly(transport);
            throw new SecureChannelException(reason == null ? FailureReason.SESSION_CLOSED : reason);
        }
        try {
            Message message = session.open(frame);
            if (message instanceof Message.Shutdown) {
                session.close();
                closeQuietly(transport);
            }
            return message;
        } catch (SecureChannelException e) {
            closeQuietly(transport);
            throw e;
        }
    }

    /** The record layer under {@code channel}, for tests and benchmarks; {@code channel} must come from {@link SecureChannel}. */
    public static RecordSession recordSession(SecureChannel channel) {
        return ((BlockingSecureChannel) channel).session;
    }

    /** Whether this side may still send: no Shutdown sent or received, no failure. */
    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public Role role() {
        return session.role();
    }

    @Override
    public VerifiedAttestation peerAttestation() {
        return session.peerAttestation();
    }

    @Override
    public Extensions extensions() {
        return session.handshake().extensions();
    }

    @Override
    public String displayId() {
        return session.displayId();
    }

    @Override
    public String remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** {@inheritDoc} Clean once Shutdown was received, or sent and then closed; empty while either side may still send. */
    @Override
    public Optional<CloseReason> closeReason() {
        return switch (session.state()) {
            case OPEN, SHUTDOWN_SENT -> Optional.empty();
            case SHUTDOWN_RECEIVED, CLOSED -> Optional.of(CloseReason.clean());
            case FAILED -> Optional.of(CloseReason.failed(failureReason()));
        };
    }

    private FailureReason failureReason() {
        FailureReason reason = session.failureReason();
        return reason == null ? FailureReason.SESSION_CLOSED : reason;
    }

    @Override
    public long openedNanos() {
        return openedNanos;
    }

    @Override
    public Traffic traffic() {
        return session.traffic();
    }

    /** {@inheritDoc} Always 0: a {@link FrameTransport} writes before send returns. */
    @Override
    public long queuedBytes() {
        return 0;
    }

    /** Closes the transport without a Shutdown (the peer sees truncation); call {@link #shutdown()} first for a clean end. */
    @Override
    public void close() {
        session.close();
        closeQuietly(transport);
    }

    private static void closeQuietly(FrameTransport transport) {
        try {
            transport.close();
        } catch (IOException ignored) {
            // Closing is best effort; the session state already records why it ended.
        }
    }
}
