package dev.securechannel.internal.session;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SecureChannel} implementation: a {@link RecordSession} over a {@link FrameTransport},
 * after a handshake run on the calling thread.
 *
 * <p>It tells its {@link ConnectionObserver} what a WebSocket connection tells its own, on the
 * thread that caused each event: the handshake's outcome on the thread in {@link #connect} or
 * {@link #accept}; each Data and Tensor frame sealed and written on the sending thread, under the
 * send lock; each frame opened on the receiving thread; the session's end, once, on the thread
 * that noticed it (a receive, a failed send or shutdown, or {@link #close()}).
 */
public final class BlockingSecureChannel implements SecureChannel {


    private final FrameTransport transport;
    private final RecordSession session;
    private final Duration idleTimeout;
    private final ConnectionObserver observer;
    /** Whether opens are timed: not for {@link ConnectionObserver#NONE}, which would discard the time. */
    private final boolean observed;
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final long openedNanos = System.nanoTime();

    private BlockingSecureChannel(FrameTransport transport, HandshakeResult result, SessionConfig config,
                                  ConnectionObserver observer) {
        this.transport = transport;
        this.observer = observer;
        this.observed = observer != ConnectionObserver.NONE;
        // One method reference for the session's life: nothing is allocated per frame.
        this.session = new RecordSession(result, transport::send, observed ? this::frameSent : SendTimer.NONE);
        this.idleTimeout = config.idleTimeout();
    }

    /** Runs the initiator's handshake over {@code transport}. */
    public static BlockingSecureChannel connect(FrameTransport transport, SessionConfig config) throws IOException {
        return connect(transport, config, ConnectionObserver.NONE);
    }

    /** Runs the initiator's handshake over {@code transport}, reporting to {@code observer}. */
    public static BlockingSecureChannel connect(FrameTransport transport, SessionConfig config, ConnectionObserver observer)
            throws IOException {
        return handshake(new HandshakeInitiator(config), Role.INITIATOR, transport, config, observer);
    }

    /** Runs the responder's handshake over {@code transport}. */
    public static BlockingSecureChannel accept(FrameTransport transport, SessionConfig config) throws IOException {
        return accept(transport, config, ConnectionObserver.NONE);
    }

    /** Runs the responder's handshake over {@code transport}, reporting to {@code observer}. */
    public static BlockingSecureChannel accept(FrameTransport transport, SessionConfig config, ConnectionObserver observer)
            throws IOException {
        return handshake(new HandshakeResponder(config), Role.RESPONDER, transport, config, observer);
    }

    private static BlockingSecureChannel handshake(Handshake handshake, Role role, FrameTransport transport,
                                                   SessionConfig config, ConnectionObserver observer) throws IOException {
        Objects.requireNonNull(observer, "observer");
        long began = System.nanoTime();
        BlockingSecureChannel channel;
        try {
            channel = new BlockingSecureChannel(transport, runHandshake(handshake, transport, config, began), config, observer);
        } catch (IOException | RuntimeException e) {
            handshake.abort();
            closeQuietly(transport);
            reportHandshakeFailure(e, role, config, observer, System.nanoTime() - began);
            throw e;
        }
        observer.handshakeCompleted(role, channel.session.handshake().timings());
        observer.sessionOpened(channel);
        return channel;
    }

    /** Exchanges hellos until the handshake completes; throws on any failure, leaving the cleanup to the caller. */
    private static HandshakeResult runHandshake(Handshake handshake, FrameTransport transport, SessionConfig config, long began)
            throws IOException {
        long deadline = began + config.handshakeTimeout().toNanos();
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
                return step.result();
            }
        }
    }

    /**
     * Tells the observer why a handshake failed, as a WebSocket connection does: a rejected
     * attestation first, then the failure; a transport that broke or closed is CONNECTION_CLOSED.
     */
    private static void reportHandshakeFailure(Exception failure, Role role, SessionConfig config, ConnectionObserver observer,
                                               long elapsedNanos) {
        FailureReason reason;
        if (failure instanceof SecureChannelException secure) {
            reason = secure.reason();
            if (reason == FailureReason.ATTESTATION_VERIFICATION_FAILED) {
                observer.attestationRejected(role, config.attestationVerifier().type(), secure.detailCode());
            }
        } else if (failure instanceof IOException) {
            reason = FailureReason.CONNECTION_CLOSED;
        } else {
            reason = FailureReason.INTERNAL_ERROR;
        }
        observer.handshakeFailed(role, reason, elapsedNanos);
    }

    @Override
    public void send(byte[] data) throws IOException {
        try {
            session.send(data);
        } catch (IOException | RuntimeException e) {
            reportCloseIfEnded();
            throw e;
        }
    }

    @Override
    public void sendTensor(Tensor tensor) throws IOException {
        try {
            session.sendTensor(tensor);
        } catch (IOException | RuntimeException e) {
            reportCloseIfEnded();
            throw e;
        }
    }

    @Override
    public void sendHeartbeat() throws IOException {
        try {
            session.sendHeartbeat();
        } catch (IOException | RuntimeException e) {
            reportCloseIfEnded();
            throw e;
        }
    }

    @Override
    public void sendError(String reason) throws IOException {
        try {
            session.sendError(reason);
        } catch (IOException | RuntimeException e) {
            reportCloseIfEnded();
            throw e;
        }
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
            reportCloseIfEnded();
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
            // Usually reported already; not when a KeyUpdate answered from the last receive failed.
            reportCloseIfEnded();
            throw new SecureChannelException(FailureReason.SESSION_CLOSED, "session is " + session.state());
        }
        byte[] frame;
        try {
            frame = transport.receive(session.handshake().maxPayloadLength(), idleTimeout);
        } catch (SocketTimeoutException e) {
            session.fail(FailureReason.IDLE_TIMEOUT);
            closeQuietly(transport);
            reportCloseIfEnded();
            throw new SecureChannelException(FailureReason.IDLE_TIMEOUT);
        } catch (SecureChannelException e) {
            session.fail(e.reason());
            closeQuietly(transport);
            reportCloseIfEnded();
            throw e;
        } catch (IOException e) {
            session.fail(FailureReason.TRUNCATED);
            closeQuietly(transport);
            reportCloseIfEnded();
            throw new SecureChannelException(FailureReason.TRUNCATED, e.getClass().getSimpleName(), e);
        }
        if (frame == null) {
            FailureReason reason = session.transportClosed();
            closeQuietly(transport);
            reportCloseIfEnded();
            throw new SecureChannelException(reason == null ? FailureReason.SESSION_CLOSED : reason);
        }
        @Nullable Message message;
        long begin = observed ? System.nanoTime() : 0;
        try {
            message = session.open(frame);
        } catch (SecureChannelException e) {
            closeQuietly(transport);
            reportCloseIfEnded();
            throw e;
        }
        if (observed) {
            // A null message is a KeyUpdate the session consumed; it is counted like any frame.
            FrameType type = message == null ? FrameType.KEY_UPDATE : message.frameType();
            observer.frameOpened(type, frame.length - SealingContext.FRAME_OVERHEAD, System.nanoTime() - begin);
        }
        if (message instanceof Message.Shutdown) {
            session.close();
            closeQuietly(transport);
            reportCloseIfEnded();
        }
        return message;
    }

    /**
     * The session's report of a frame it sent, under its send lock: the seal alone and the
     * transport write apart. Control frames are not reported, as on a WebSocket connection.
     */
    private void frameSent(FrameType type, int plaintextLength, long sealNanos, long writeNanos) {
        if (type == FrameType.DATA || type == FrameType.TENSOR) {
            observer.frameSealed(type, plaintextLength, sealNanos);
            observer.frameWritten(type, plaintextLength, writeNanos);
        }
    }

    /** Tells the observer how the session ended, once it has and only the first time, from whichever thread gets here first. */
    private void reportCloseIfEnded() {
        Optional<CloseReason> reason = closeReason();
        if (reason.isPresent() && closeReported.compareAndSet(false, true)) {
            observer.sessionClosed(this, reason.get());
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
        reportCloseIfEnded();
    }

    private static void closeQuietly(FrameTransport transport) {
        try {
            transport.close();
        } catch (IOException ignored) {
            // Closing is best effort; the session state already records why it ended.
        }
    }
}
