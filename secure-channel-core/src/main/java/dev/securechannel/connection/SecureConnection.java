package dev.securechannel.connection;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Handshake;
import dev.securechannel.handshake.HandshakeInitiator;
import dev.securechannel.handshake.HandshakeResponder;
import dev.securechannel.handshake.HandshakeStep;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.internal.session.RecordSession;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One peer's secure channel over a message transport: the handshake, then the session, with
 * the handshake timeout, admission limits and close codes of PROTOCOL.md section 7.
 *
 * <p><b>Threads.</b> The transport calls {@link #start()}, {@link #onBinaryMessage(byte[])},
 * {@link #onTextMessage()} and {@link #onTransportClosed()} one at a time, in order (as every
 * WebSocket stack delivers a connection's events). The application may call the send methods,
 * {@link #shutdown()} and {@link #close()} from any thread. Timeouts fire on the registry's
 * timer thread. Handler callbacks run on whichever of these threads caused them.
 *
 * <p><b>Failures.</b> Any failure closes the transport with the failure's close code and a
 * short fixed reason, and nothing more reaches the handler.
 */
public final class SecureConnection {

    /** Where a connection is in its life. */
    public enum State { NEW, HANDSHAKING, OPEN, CLOSED }

    private final Role role;
    private final SessionConfig config;
    private final ConnectionTransport transport;
    private final SecureChannelHandler handler;
    private final ConnectionObserver observer;
    private final @Nullable ConnectionRegistry registry;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Pairs the handler's onOpen and onClose; see {@link #announceOpen}. */
    private final Object announcement = new Object();
    /** Whether onOpen was delivered and onClose not yet; guarded by {@link #announcement}. */
    private boolean openAnnounced;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final long createdNanos = System.nanoTime();

    private volatile State state = State.NEW;
    private @Nullable Handshake handshake;
    private volatile @Nullable RecordSession session;
    private @Nullable ScheduledFuture<?> handshakeTimeout;
    private volatile long lastReceivedNanos = createdNanos;
    private volatile long openedNanos;
    private volatile @Nullable CloseReason closeReason;

    private SecureConnection(Role role, SessionConfig config, ConnectionTransport transport, SecureChannelHandler handler,
                             ConnectionObserver observer, @Nullable ConnectionRegistry registry, ScheduledExecutorService timer) {
        this.role = role;
        this.config = config;
        this.transport = transport;
        this.handler = handler;
        this.observer = observer;
        this.registry = registry;
        this.timer = timer;
    }

    /** The responder (server) side of a connection, admitted through {@code registry}. */
    public static SecureConnection server(SessionConfig config, ConnectionTransport transport, SecureChannelHandler handler,
                                          ConnectionObserver observer, ConnectionRegistry registry) {
        return new SecureConnection(Role.RESPONDER, config, transport, handler, observer, registry, registry.scheduler());
    }

    /** The initiator (client) side of a connection; {@code timer} runs the handshake timeout. */
    public static SecureConnection client(SessionConfig config, ConnectionTransport transport, SecureChannelHandler handler,
                                          ConnectionObserver observer, ScheduledExecutorService timer) {
        return new SecureConnection(Role.INITIATOR, config, transport, handler, observer, null, timer);
    }

    // ---------------------------------------------------------------- transport events

    /** The transport is open: admit the connection and begin the handshake. */
    public void start() {
        if (closed.get()) {
            return;
        }
        if (registry != null) {
            FailureReason refused = registry.admit(this);
            if (refused != null) {
                closed.set(true);
                state = State.CLOSED;
                closeReason = CloseReason.failed(refused);
                observer.handshakeFailed(role, refused, 0);
                transport.close(refused.closeCode(), refused.peerMessage());
                return;
            }
        }
        byte[] first = null;
        FailureReason failure = null;
        synchronized (this) {
            state = State.HANDSHAKING;
            handshakeTimeout = timer.schedule(() -> fail(FailureReason.HANDSHAKE_TIMEOUT),
                    config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
            try {
                Handshake started = role == Role.INITIATOR ? new HandshakeInitiator(config) : new HandshakeResponder(config);
                handshake = started;
                first = started.start();
            } catch (SecureChannelException e) {
                failure = e.reason();
            }
        }
        if (failure != null) {
            fail(failure);
        } else if (first != null) {
            sendHandshakeFrame(first);
        }
    }

    /** One binary message arrived: exactly one frame. */
    public void onBinaryMessage(byte[] message) {
        lastReceivedNanos = System.nanoTime();
        State current = state;
        if (current == State.HANDSHAKING) {
            onHandshakeMessage(message);
        } else if (current == State.OPEN) {
            onSessionMessage(message);
        } else if (current == State.NEW) {
            fail(FailureReason.UNEXPECTED_MESSAGE);
        }
    }

    /** A text message arrived: never valid (close 1003). */
    public void onTextMessage() {
        fail(FailureReason.TEXT_MESSAGE);
    }

    /** A message too large for the transport's buffer arrived (close 1009). */
    public void onOversizedMessage() {
        fail(FailureReason.PAYLOAD_TOO_LARGE);
    }

    /** The transport closed or broke: a handshake in progress fails, an open session is truncated. */
    public void onTransportClosed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        State previous = state;
        state = State.CLOSED;
        if (previous == State.OPEN) {
            RecordSession current = session;
            FailureReason reason = current == null ? FailureReason.TRUNCATED : current.transportClosed();
            finish(reason == null ? CloseReason.clean() : CloseReason.failed(reason), true);
        } else {
            endHandshake(FailureReason.CONNECTION_CLOSED);
            finish(CloseReason.failed(FailureReason.CONNECTION_CLOSED), false);
        }
    }

    private void onHandshakeMessage(byte[] message) {
        HandshakeStep step;
        FailureReason failure = null;
        String rejectedAttestation = null;
        synchronized (this) {
            Handshake current = handshake;
            if (state != State.HANDSHAKING || current == null) {
                return;
            }
            try {
                step = current.onFrame(message);
            } catch (SecureChannelException e) {
                failure = e.reason();
                if (failure == FailureReason.ATTESTATION_VERIFICATION_FAILED) {
                    rejectedAttestation = e.detailCode();
                }
                step = null;
            }
            if (step != null && step.result() != null && state == State.HANDSHAKING) {
                cancelHandshakeTimeout();
                session = new RecordSession(step.result(), transport::send, this::frameSent);
                openedNanos = System.nanoTime();
                state = State.OPEN;
                if (registry != null) {
                    registry.handshakeEnded();
                }
            }
        }
        if (step == null) {
            if (rejectedAttestation != null) {
                observer.attestationRejected(role, config.attestationVerifier().type(), rejectedAttestation);
            }
            fail(failure == null ? FailureReason.INTERNAL_ERROR : failure);
            return;
        }
        if (step.reply() != null) {
            sendHandshakeFrame(step.reply());
            if (step.result() == null) {
                afterHandshakeReplySent();
            }
        }
        if (step.result() != null) {
            announceOpen(step.result().timings());
        }
    }

    /**
     * Lets the handshake do the work its reply did not need (the responder's key derivation)
     * while the reply travels. The transport delivers this connection's events one at a time,
     * so the confirmation cannot be processed before this returns; the lock keeps a timeout's
     * abort from interleaving with the derivation.
     */
    private void afterHandshakeReplySent() {
        FailureReason failure = null;
        synchronized (this) {
            Handshake current = handshake;
            if (state != State.HANDSHAKING || current == null) {
                return;
            }
            try {
                current.replySent();
            } catch (SecureChannelException e) {
                failure = e.reason();
            } catch (RuntimeException e) {
                failure = FailureReason.INTERNAL_ERROR;
            }
        }
        if (failure != null) {
            fail(failure);
        }
    }

    /**
     * Tells the observer and the handler that the session is open, unless it has already been
     * closed: sending the last handshake frame can fail, and another thread can end the
     * connection, between the state becoming OPEN and this call. Under {@link #announcement},
     * so that {@link #finish} delivers a close only after an open and never an open after it.
     */
    private void announceOpen(HandshakeTimings timings) {
        boolean handlerFailed = false;
        synchronized (announcement) {
            if (closed.get()) {
                return;
            }
            openAnnounced = true;
            observer.handshakeCompleted(role, timings);
            observer.sessionOpened(this);
            try {
                handler.onOpen(this);
            } catch (Exception e) {
                handlerFailed = true;
            }
        }
        if (handlerFailed) {
            fail(FailureReason.INTERNAL_ERROR);
        }
    }

    private void onSessionMessage(byte[] message) {
        RecordSession current = session;
        if (current == null) {
            return;
        }
        Message opened;
        long begin = System.nanoTime();
        try {
            opened = current.open(message);
        } catch (SecureChannelException e) {
            fail(e.reason());
            return;
        }
        if (opened == null) {
            // A KeyUpdate: the session switched its key and owes the application nothing.
            observer.frameOpened(FrameType.KEY_UPDATE, message.length - 29, System.nanoTime() - begin);
            return;
        }
        observer.frameOpened(opened.frameType(), message.length - 29, System.nanoTime() - begin);
        if (opened instanceof Message.Shutdown) {
            endClean(1000, "shutdown");
            return;
        }
        try {
            handler.onMessage(this, opened);
        } catch (Exception e) {
            fail(FailureReason.INTERNAL_ERROR);
        }
    }

    // ---------------------------------------------------------------- application API

    /** Sends bytes as one Data frame. */
    public void send(byte[] data) throws IOException {
        RecordSession current = requireOpen();
        try {
            current.send(data);
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    /** Sends a tensor as one Tensor frame. */
    public void sendTensor(Tensor tensor) throws IOException {
        RecordSession current = requireOpen();
        try {
            current.sendTensor(tensor);
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    /**
     * The session's report of an application frame it sent: the seal alone and the transport
     * write apart, neither with the wait for the send lock. Control frames are not reported.
     */
    private void frameSent(FrameType type, int plaintextLength, long sealNanos, long writeNanos) {
        if (type == FrameType.DATA || type == FrameType.TENSOR) {
            observer.frameSealed(type, plaintextLength, sealNanos);
            observer.frameWritten(type, plaintextLength, writeNanos);
        }
    }

    /** Sends a heartbeat. */
    public void sendHeartbeat() throws IOException {
        RecordSession current = requireOpen();
        try {
            current.sendHeartbeat();
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    /** Sends an Error frame with a short reason; the session stays open. */
    public void sendError(String reason) throws IOException {
        RecordSession current = requireOpen();
        try {
            current.sendError(reason);
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    /** Sends Shutdown and closes the transport with 1000; does nothing when already closed. */
    public void shutdown() {
        RecordSession current = session;
        if (state != State.OPEN || current == null) {
            if (state == State.HANDSHAKING || state == State.NEW) {
                fail(FailureReason.SESSION_CLOSED);
            }
            return;
        }
        try {
            current.shutdown();
        } catch (IOException | RuntimeException e) {
            fail(FailureReason.TRUNCATED);
            return;
        }
        endClean(1000, "shutdown");
    }

    /** Same as {@link #shutdown()}: a connection is always ended cleanly when the application ends it. */
    public void close() {
        shutdown();
    }

    /** Ends the connection because the endpoint stops: Shutdown, then close code 1001. */
    void goingAway() {
        RecordSession current = session;
        if (state == State.OPEN && current != null) {
            try {
                current.shutdown();
            } catch (IOException | RuntimeException ignored) {
                // The transport is going away anyway.
            }
            endClean(1001, "server going away");
        } else {
            fail(FailureReason.CONNECTION_CLOSED);
        }
    }

    // ---------------------------------------------------------------- introspection

    /** The current state. */
    public State state() {
        return state;
    }

    /** Whether the session is open. */
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** The local role. */
    public Role role() {
        return role;
    }

    /** The peer's verified attestation, once the handshake completed. */
    public Optional<VerifiedAttestation> peerAttestation() {
        RecordSession current = session;
        return current == null ? Optional.empty() : Optional.of(current.peerAttestation());
    }

    /** The session, once the handshake completed. */
    public Optional<RecordSession> session() {
        return Optional.ofNullable(session);
    }

    /** Why the connection ended, once it has. */
    public Optional<CloseReason> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    /** A short public identifier: a hash prefix of the session id once open, never the id itself. */
    public String displayId() {
        RecordSession current = session;
        return current == null ? "pending" : current.displayId();
    }

    /** Bytes waiting in the transport's send queue. */
    public long queuedBytes() {
        return transport.queuedBytes();
    }

    /** The peer's address. */
    public String remoteAddress() {
        return transport.remoteAddress();
    }

    /** Application attributes for this connection. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** {@link System#nanoTime()} when the session opened, or 0. */
    public long openedNanos() {
        return openedNanos;
    }

    /** {@link System#nanoTime()} of the last message received. */
    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    // ---------------------------------------------------------------- failure handling

    /** Ends the connection with {@code reason}: closes the transport with its code; the first reason wins. */
    public void fail(FailureReason reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        State previous;
        synchronized (this) {
            // Under the lock so a handshake completing on another thread cannot reopen it.
            previous = state;
            state = State.CLOSED;
        }
        CloseReason close = CloseReason.failed(reason);
        transport.close(reason.closeCode(), reason.peerMessage());
        if (previous == State.OPEN) {
            RecordSession current = session;
            if (current != null) {
                current.fail(reason);
            }
            finish(close, true);
        } else {
            endHandshake(reason);
            finish(close, false);
        }
    }

    private void endClean(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = State.CLOSED;
        RecordSession current = session;
        if (current != null) {
            current.close();
        }
        transport.close(code, reason);
        finish(CloseReason.clean(), true);
    }

    private void endHandshake(FailureReason reason) {
        synchronized (this) {
            cancelHandshakeTimeout();
            Handshake current = handshake;
            if (current != null) {
                current.abort();
            }
        }
        if (registry != null) {
            registry.handshakeEnded();
        }
        observer.handshakeFailed(role, reason, System.nanoTime() - createdNanos);
    }

    private void finish(CloseReason reason, boolean wasOpen) {
        closeReason = reason;
        if (registry != null) {
            registry.removed(this);
        }
        if (!wasOpen) {
            return;
        }
        boolean announced;
        synchronized (announcement) {
            announced = openAnnounced;
            openAnnounced = false;
        }
        if (announced) {
            observer.sessionClosed(this, reason);
            handler.onClose(this, reason);
        } else {
            // Keys were agreed but the session ended before anyone was told it had opened: to the
            // observer (and a client waiting in connect()) that is a failed handshake.
            FailureReason failure = reason.failure() != null ? reason.failure() : FailureReason.CONNECTION_CLOSED;
            observer.handshakeFailed(role, failure, System.nanoTime() - createdNanos);
        }
    }

    private void sendHandshakeFrame(byte[] frame) {
        try {
            transport.send(frame);
        } catch (IOException | RuntimeException e) {
            fail(FailureReason.CONNECTION_CLOSED);
        }
    }

    private IOException failOnSend(IOException e) {
        fail(e instanceof SendLimitExceededException ? FailureReason.SEND_LIMIT_EXCEEDED : FailureReason.TRUNCATED);
        return e;
    }

    private RecordSession requireOpen() {
        RecordSession current = session;
        if (state != State.OPEN || current == null) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED, "connection is " + state);
        }
        return current;
    }

    private void cancelHandshakeTimeout() {
        ScheduledFuture<?> timeout = handshakeTimeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "SecureConnection[" + role + ", " + state + ", " + displayId() + "]";
    }
}
