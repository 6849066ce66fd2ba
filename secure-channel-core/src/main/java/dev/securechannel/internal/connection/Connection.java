package dev.securechannel.internal.connection;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.HandshakeFailure;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.connection.SendLimitExceededException;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One peer's secure channel over a message transport: the handshake, then the session, with
 * the handshake timeout, admission limits and close codes of PROTOCOL.md section 7. The
 * application sees it as a {@link SecureSession}; the transport drives it through
 * {@link #start()}, {@link #onBinaryMessage(byte[])}, {@link #onTextMessage()},
 * {@link #onOversizedMessage()}, {@link #onTransportClosed()} and {@link #fail(FailureReason)}.
 *
 * <p><b>State.</b> One {@link State}, held with the close reason in one atomic reference and
 * changed only by {@link #transition}, which refuses any change not in this table:
 * <pre>
 * NEW         -&gt; HANDSHAKING  start(): admitted, the handshake begins
 * NEW         -&gt; CLOSED       refused at admission, or ended before start()
 * HANDSHAKING -&gt; KEYS_AGREED  the handshake produced the session's keys
 * HANDSHAKING -&gt; CLOSED       the handshake failed, timed out or lost its transport
 * KEYS_AGREED -&gt; OPENING      the handler's onOpen is about to run
 * KEYS_AGREED -&gt; CLOSED       the last handshake frame could not be sent, or another thread ended it first
 * OPENING     -&gt; OPEN         onOpen returned
 * OPENING     -&gt; CLOSED       ended while onOpen ran; onClose follows when onOpen returns
 * OPEN        -&gt; CLOSED       Shutdown, failure, transport closed, idle timeout
 * </pre>
 * Whichever thread moves the connection to CLOSED closes the transport and reports the end:
 * from NEW, HANDSHAKING or KEYS_AGREED as a failed handshake (nobody was told of a session),
 * from OPEN as the session's close. From OPENING it leaves the report to the thread running
 * onOpen, so that onClose always follows onOpen and is delivered exactly once.
 *
 * <p><b>Threads.</b> The transport calls its methods one at a time, in order (as every WebSocket
 * stack delivers a connection's events). The application may call the {@link SecureSession}
 * methods from any thread. Timeouts fire on the clock's thread. Handler callbacks run on
 * whichever of these threads caused them. A lock guards the {@link Handshake} alone (it is not
 * thread-safe, and a timeout on another thread aborts it); it holds no state of its own.
 *
 * <p><b>Failures.</b> Any failure closes the transport with the failure's close code and a
 * short fixed reason, and nothing more reaches the handler. A handler's exception is logged
 * with the session's display id and ends the session with 1011.
 */
public final class Connection implements SecureSession {

    /** Where a connection is in its life; the legal changes are in the class comment and {@link #canBecome}. */
    public enum State {
        /** Created; the transport has not started it. */
        NEW,
        /** Admitted: hellos are in flight. */
        HANDSHAKING,
        /** The handshake produced keys; its last frame is being sent and nobody has been told yet. */
        KEYS_AGREED,
        /** The handler's onOpen is running; the application may send. */
        OPENING,
        /** The session is open: messages are delivered to the handler. */
        OPEN,
        /** Ended; nothing more is sent or delivered. */
        CLOSED;

        /** Whether a connection in this state may move to {@code next}. */
        public boolean canBecome(State next) {
            return switch (this) {
                case NEW -> next == HANDSHAKING || next == CLOSED;
                case HANDSHAKING -> next == KEYS_AGREED || next == CLOSED;
                case KEYS_AGREED -> next == OPENING || next == CLOSED;
                case OPENING -> next == OPEN || next == CLOSED;
                case OPEN -> next == CLOSED;
                case CLOSED -> false;
            };
        }

        /** Whether the record session exists: the keys are agreed. */
        boolean keyed() {
            return this == KEYS_AGREED || this == OPENING || this == OPEN;
        }

        /** Whether the application may send: it has been given the session. */
        boolean sendable() {
            return this == OPENING || this == OPEN;
        }
    }

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    /** The state and, once CLOSED, why: one reference, so that whoever sees CLOSED sees the reason. */
    private record Status(State state, @Nullable CloseReason closeReason) {
    }

    private final Role role;
    private final SessionConfig config;
    private final ConnectionTransport transport;
    private final SecureChannelHandler handler;
    private final ConnectionObserver observer;
    private final @Nullable ConnectionRegistry registry;
    private final ConnectionClock clock;
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(State.NEW, null));
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final long createdNanos;
    /** Guards {@link #handshake} and {@link #handshakeTimeout}. */
    private final Object handshakeLock = new Object();

    private @Nullable Handshake handshake;
    private ConnectionClock.@Nullable Cancellable handshakeTimeout;
    /** Set before the state becomes KEYS_AGREED, never changed after. */
    private volatile @Nullable RecordSession recordSession;
    private volatile long lastReceivedNanos;
    private volatile long openedNanos;

    private Connection(Role role, SessionConfig config, ConnectionTransport transport, SecureChannelHandler handler,
                       ConnectionObserver observer, @Nullable ConnectionRegistry registry, ConnectionClock clock) {
        this.role = role;
        this.config = config;
        this.transport = transport;
        this.handler = handler;
        this.observer = observer;
        this.registry = registry;
        this.clock = clock;
        this.createdNanos = clock.nanoTime();
        this.lastReceivedNanos = createdNanos;
    }

    /** The responder (server) side of a connection, admitted through {@code registry} and timed by its clock. */
    public static Connection server(SessionConfig config, ConnectionTransport transport, SecureChannelHandler handler,
                                    ConnectionObserver observer, ConnectionRegistry registry) {
        return new Connection(Role.RESPONDER, config, transport, handler, observer, registry, registry.clock());
    }

    /** The initiator (client) side of a connection; {@code clock} runs the handshake timeout. */
    public static Connection client(SessionConfig config, ConnectionTransport transport, SecureChannelHandler handler,
                                    ConnectionObserver observer, ConnectionClock clock) {
        return new Connection(Role.INITIATOR, config, transport, handler, observer, null, clock);
    }

    // ---------------------------------------------------------------- the state

    /**
     * Moves from {@code from} to {@code to} if the connection is in {@code from}; false when it is
     * not (another thread moved it first).
     *
     * @throws IllegalStateException when the table does not allow the change: a bug here
     */
    private boolean transition(State from, State to) {
        return transition(from, to, null);
    }

    private boolean transition(State from, State to, @Nullable CloseReason reason) {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("no transition from " + from + " to " + to);
        }
        Status current = status.get();
        // States only move forward, so a connection that left `from` never returns to it: a
        // failed exchange means another thread changed the state first.
        return current.state() == from && status.compareAndSet(current, new Status(to, reason));
    }

    /** Moves to CLOSED with {@code reason} from wherever the connection is; where it was, or null when already closed. */
    private @Nullable State close(CloseReason reason) {
        while (true) {
            State current = status.get().state();
            if (current == State.CLOSED) {
                return null;
            }
            if (transition(current, State.CLOSED, reason)) {
                return current;
            }
        }
    }

    /** Where the connection is now. */
    public State state() {
        return status.get().state();
    }

    // ---------------------------------------------------------------- transport events

    /** The transport is open: admit the connection and begin the handshake. */
    public void start() {
        if (!transition(State.NEW, State.HANDSHAKING)) {
            return;
        }
        if (registry != null) {
            FailureReason refused = registry.admit(this);
            if (refused != null) {
                fail(refused);
                return;
            }
        }
        byte[] first = null;
        FailureReason failure = null;
        synchronized (handshakeLock) {
            if (state() != State.HANDSHAKING) {
                return;
            }
            handshakeTimeout = clock.schedule(config.handshakeTimeout(), this::handshakeTimedOut);
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
        lastReceivedNanos = clock.nanoTime();
        State current = state();
        if (current == State.HANDSHAKING) {
            onHandshakeMessage(message);
        } else if (current.keyed()) {
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

    /** The transport closed or broke: a handshake in progress fails, an open session without a Shutdown is truncated. */
    public void onTransportClosed() {
        RecordSession session = recordSession;
        CloseReason reason;
        if (state().keyed() && session != null) {
            FailureReason failure = endedBy(session);
            reason = failure == null ? CloseReason.clean() : CloseReason.failed(failure);
        } else {
            reason = CloseReason.failed(FailureReason.CONNECTION_CLOSED);
        }
        State previous = close(reason);
        if (previous == null) {
            return;
        }
        if (previous.keyed() && session != null) {
            session.transportClosed();
        }
        ended(previous, reason, null);
    }

    /** What {@link RecordSession#transportClosed()} will report, read without its side effects. */
    private static @Nullable FailureReason endedBy(RecordSession session) {
        return switch (session.state()) {
            case OPEN, SHUTDOWN_SENT -> FailureReason.TRUNCATED;
            case FAILED -> session.failureReason();
            case SHUTDOWN_RECEIVED, CLOSED -> null;
        };
    }

    private void onHandshakeMessage(byte[] message) {
        HandshakeStep step;
        FailureReason failure = null;
        String rejectedAttestation = null;
        synchronized (handshakeLock) {
            Handshake current = handshake;
            if (state() != State.HANDSHAKING || current == null) {
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
            if (step != null && step.result() != null && !keysAgreed(new RecordSession(step.result(), transport::send, this::frameSent))) {
                return;
            }
        }
        if (step == null) {
            FailureReason reason = failure == null ? FailureReason.INTERNAL_ERROR : failure;
            String detail = null;
            if (rejectedAttestation != null) {
                String verifier = config.attestationVerifier().type();
                observer.attestationRejected(role, verifier, rejectedAttestation);
                detail = verifier + " verifier: " + rejectedAttestation;
            }
            fail(reason, detail);
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

    /** Under the handshake lock: the keys are agreed; false (and the keys wiped) when the connection was ended first. */
    private boolean keysAgreed(RecordSession session) {
        cancelHandshakeTimeout();
        recordSession = session;
        openedNanos = clock.nanoTime();
        if (!transition(State.HANDSHAKING, State.KEYS_AGREED)) {
            session.close();
            return false;
        }
        if (registry != null) {
            registry.handshakeEnded(this);
        }
        return true;
    }

    /**
     * Lets the handshake do the work its reply did not need (the responder's key derivation)
     * while the reply travels. The transport delivers this connection's events one at a time,
     * so the confirmation cannot be processed before this returns; the lock keeps a timeout's
     * abort from interleaving with the derivation.
     */
    private void afterHandshakeReplySent() {
        FailureReason failure = null;
        synchronized (handshakeLock) {
            Handshake current = handshake;
            if (state() != State.HANDSHAKING || current == null) {
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
     * Tells the observer and the handler that the session is open, unless it has been ended
     * since the keys were agreed (sending the last handshake frame can fail, and another thread
     * can end the connection). If it is ended while onOpen runs, the close is reported here,
     * after onOpen returned.
     */
    private void announceOpen(HandshakeTimings timings) {
        if (!transition(State.KEYS_AGREED, State.OPENING)) {
            return;
        }
        observer.handshakeCompleted(role, timings);
        observer.sessionOpened(this);
        boolean opened = deliver("onOpen", () -> handler.onOpen(this));
        if (!transition(State.OPENING, State.OPEN)) {
            announceClose(closeReason().orElseThrow());
            return;
        }
        if (!opened) {
            fail(FailureReason.INTERNAL_ERROR);
        }
    }

    private void onSessionMessage(byte[] message) {
        RecordSession current = recordSession;
        if (current == null) {
            return;
        }
        Message opened;
        long begin = clock.nanoTime();
        try {
            opened = current.open(message);
        } catch (SecureChannelException e) {
            fail(e.reason());
            return;
        }
        long nanos = clock.nanoTime() - begin;
        if (opened == null) {
            // A KeyUpdate: the session switched its key and owes the application nothing.
            observer.frameOpened(FrameType.KEY_UPDATE, message.length - SealingContext.FRAME_OVERHEAD, nanos);
            return;
        }
        observer.frameOpened(opened.frameType(), message.length - SealingContext.FRAME_OVERHEAD, nanos);
        if (opened instanceof Message.Shutdown) {
            endClean(CloseReason.NORMAL, "shutdown");
            return;
        }
        if (state().sendable() && !deliver("onMessage", () -> handler.onMessage(this, opened))) {
            fail(FailureReason.INTERNAL_ERROR);
        }
    }

    // ---------------------------------------------------------------- the session

    @Override
    public void send(byte[] data) throws IOException {
        RecordSession current = requireSendable();
        try {
            current.send(data);
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    @Override
    public void sendTensor(Tensor tensor) throws IOException {
        RecordSession current = requireSendable();
        try {
            current.sendTensor(tensor);
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    @Override
    public void sendHeartbeat() throws IOException {
        RecordSession current = requireSendable();
        try {
            current.sendHeartbeat();
        } catch (IOException e) {
            throw failOnSend(e);
        }
    }

    @Override
    public void sendError(String reason) throws IOException {
        RecordSession current = requireSendable();
        try {
            current.sendError(reason);
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

    /** Sends Shutdown and closes the transport with 1000; a connection still in its handshake is failed instead. */
    @Override
    public void shutdown() {
        State current = state();
        RecordSession session = recordSession;
        if (!current.sendable() || session == null) {
            if (current != State.CLOSED) {
                fail(FailureReason.SESSION_CLOSED);
            }
            return;
        }
        try {
            session.shutdown();
        } catch (IOException | RuntimeException e) {
            fail(FailureReason.TRUNCATED);
            return;
        }
        endClean(CloseReason.NORMAL, "shutdown");
    }

    /** Ends the connection because the endpoint stops: Shutdown, then close code 1001. */
    void goingAway() {
        RecordSession session = recordSession;
        if (state().sendable() && session != null) {
            try {
                session.shutdown();
            } catch (IOException | RuntimeException ignored) {
                // The transport is going away anyway.
            }
            endClean(1001, "server going away");
        } else {
            fail(FailureReason.CONNECTION_CLOSED);
        }
    }

    @Override
    public boolean isOpen() {
        return state().sendable();
    }

    @Override
    public Role role() {
        return role;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException before the handshake completed (handlers are never given such a session)
     */
    @Override
    public VerifiedAttestation peerAttestation() {
        return keyedSession().peerAttestation();
    }

    /** {@inheritDoc} Before the handshake completed: none. */
    @Override
    public Extensions extensions() {
        RecordSession session = recordSession;
        return session == null ? Extensions.NONE : session.handshake().extensions();
    }

    /** The record layer, once the keys are agreed: for tests and the project's own diagnostics. */
    public Optional<RecordSession> recordSession() {
        return Optional.ofNullable(recordSession);
    }

    @Override
    public Optional<CloseReason> closeReason() {
        return Optional.ofNullable(status.get().closeReason());
    }

    /** {@inheritDoc} {@code pending} before the handshake completed. */
    @Override
    public String displayId() {
        RecordSession session = recordSession;
        return session == null ? "pending" : session.displayId();
    }

    @Override
    public long queuedBytes() {
        return transport.queuedBytes();
    }

    @Override
    public String remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** {@inheritDoc} 0 before the handshake completed; read on the connection's clock. */
    @Override
    public long openedNanos() {
        return openedNanos;
    }

    @Override
    public Traffic traffic() {
        RecordSession session = recordSession;
        return session == null ? new Traffic(0, 0, 0, 0) : session.traffic();
    }

    /** When the last message arrived, on the connection's clock. */
    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    // ---------------------------------------------------------------- ending

    /** Ends the connection with {@code reason}: closes the transport with its code; the first reason wins. */
    public void fail(FailureReason reason) {
        fail(reason, null);
    }

    private void fail(FailureReason reason, @Nullable String detail) {
        CloseReason close = CloseReason.failed(reason);
        State previous = close(close);
        if (previous != null) {
            failed(previous, reason, detail);
        }
    }

    /** The handshake timeout: ends a connection still in its handshake, and only such a one. */
    private void handshakeTimedOut() {
        CloseReason timeout = CloseReason.failed(FailureReason.HANDSHAKE_TIMEOUT);
        if (transition(State.HANDSHAKING, State.CLOSED, timeout)) {
            failed(State.HANDSHAKING, FailureReason.HANDSHAKE_TIMEOUT, null);
        }
    }

    /** After a failure moved the connection from {@code previous} to CLOSED: closes the transport and the record layer. */
    private void failed(State previous, FailureReason reason, @Nullable String detail) {
        transport.close(reason.closeCode(), reason.peerMessage());
        RecordSession session = recordSession;
        if (previous.keyed() && session != null) {
            session.fail(reason);
        }
        ended(previous, CloseReason.failed(reason), detail);
    }

    private void endClean(int code, String reason) {
        CloseReason clean = CloseReason.clean();
        State previous = close(clean);
        if (previous == null) {
            return;
        }
        RecordSession session = recordSession;
        if (session != null) {
            session.close();
        }
        transport.close(code, reason);
        ended(previous, clean, null);
    }

    /** After the move from {@code previous} to CLOSED: releases the handshake and reports the end, once. */
    private void ended(State previous, CloseReason reason, @Nullable String detail) {
        if (previous == State.NEW || previous == State.HANDSHAKING) {
            abortHandshake();
        }
        if (registry != null) {
            registry.removed(this);
        }
        switch (previous) {
            case NEW, HANDSHAKING, KEYS_AGREED -> {
                // Keys may have been agreed, but nobody was told of a session: a failed handshake.
                FailureReason failure = reason.failure() != null ? reason.failure() : FailureReason.CONNECTION_CLOSED;
                observer.handshakeFailed(role, failure, clock.nanoTime() - createdNanos);
                HandshakeFailure failed = new HandshakeFailure(failure, remoteAddress(), detail);
                deliver("onHandshakeFailed", () -> handler.onHandshakeFailed(failed));
            }
            case OPEN -> announceClose(reason);
            case OPENING -> {
                // The thread running onOpen reports the close when onOpen returns (announceOpen).
            }
            case CLOSED -> throw new IllegalStateException("closed twice");
        }
    }

    private void announceClose(CloseReason reason) {
        observer.sessionClosed(this, reason);
        deliver("onClose", () -> handler.onClose(this, reason));
    }

    private void abortHandshake() {
        synchronized (handshakeLock) {
            cancelHandshakeTimeout();
            Handshake current = handshake;
            if (current != null) {
                current.abort();
            }
        }
    }

    /** A handler callback. */
    @FunctionalInterface
    private interface Callback {
        void run() throws Exception;
    }

    /** Runs a handler callback; false (and the exception logged with the display id) when it threw. */
    private boolean deliver(String name, Callback callback) {
        try {
            callback.run();
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, () -> "secure-channel session " + displayId() + " (" + role.tagValue()
                    + ", " + remoteAddress() + "): the handler's " + name + " threw", e);
            return false;
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

    private RecordSession requireSendable() {
        State current = state();
        RecordSession session = recordSession;
        if (!current.sendable() || session == null) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED, "connection is " + current);
        }
        return session;
    }

    private RecordSession keyedSession() {
        RecordSession session = recordSession;
        if (session == null) {
            throw new IllegalStateException("the handshake has not completed");
        }
        return session;
    }

    private void cancelHandshakeTimeout() {
        ConnectionClock.Cancellable timeout = handshakeTimeout;
        if (timeout != null) {
            timeout.cancel();
        }
    }

    @Override
    public String toString() {
        return "Connection[" + role + ", " + state() + ", " + displayId() + "]";
    }
}
