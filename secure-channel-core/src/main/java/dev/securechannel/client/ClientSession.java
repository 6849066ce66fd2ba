package dev.securechannel.client;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.ConnectionTransport;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.connection.SecureConnection;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.protocol.WebSocketMapping;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One connected, attested client session over WebSocket.
 *
 * <p>Sends are thread-safe. {@link #receive(Duration)} and {@link #request(byte[], Duration)}
 * take messages from one inbox in arrival order: use one receiving thread, or only
 * request-reply with one request at a time (requests are serialised). The session ends on
 * the first failure; a new one comes from {@link SecureChannelClient#connect()}.
 */
public final class ClientSession implements AutoCloseable {

    private static final Object END = new Object();

    private final SecureConnection connection;
    private final ConnectionObserver observer;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final Object requestLock = new Object();
    private volatile @Nullable ConnectionTransport target;
    private volatile int peerCloseCode = -1;
    private volatile String peerCloseReason = "";

    private ClientSession(SessionConfig config, ConnectionObserver observer, ScheduledExecutorService timer) {
        this.observer = observer;
        this.connection = SecureConnection.client(config, new DeferredTransport(), new Inbox(), new Observer(observer), timer);
    }

    /**
     * Connects and completes the handshake.
     *
     * @throws IOException            when the WebSocket cannot be opened
     * @throws SecureChannelException when the handshake fails ({@link PeerClosedException} when the server closed)
     */
    static ClientSession open(URI uri, SessionConfig config, WebSocketConnector connector, Duration connectTimeout,
                              ConnectionObserver observer, ScheduledExecutorService timer) throws IOException {
        ClientSession session = new ClientSession(config, observer, timer);
        session.target = connector.open(uri, connectTimeout, config.maxPayloadLength() + WebSocketMapping.FRAME_HEADER_BYTES,
                session.new Events());
        session.connection.start();
        session.awaitEstablished(config.handshakeTimeout().plusSeconds(1));
        return session;
    }

    private void awaitEstablished(Duration timeout) throws IOException {
        try {
            established.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.fail(FailureReason.CONNECTION_CLOSED);
            throw new java.io.InterruptedIOException("interrupted during the handshake");
        } catch (TimeoutException e) {
            connection.fail(FailureReason.HANDSHAKE_TIMEOUT);
            throw new SecureChannelException(FailureReason.HANDSHAKE_TIMEOUT);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecureChannelException secure) {
                throw secure;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Sends bytes as one Data frame. */
    public void send(byte[] data) throws IOException {
        connection.send(data);
    }

    /** Sends a tensor. */
    public void sendTensor(Tensor tensor) throws IOException {
        connection.sendTensor(tensor);
    }

    /** Sends a heartbeat. */
    public void sendHeartbeat() throws IOException {
        connection.sendHeartbeat();
    }

    /**
     * The next message (Data, Tensor or Error; heartbeats included).
     *
     * @throws SecureChannelException SESSION_CLOSED, TRUNCATED or the failure that ended the session;
     *                                IDLE_TIMEOUT when nothing arrives within {@code timeout} (the session stays open)
     */
    public Message receive(Duration timeout) throws InterruptedException {
        Object next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            throw new SecureChannelException(FailureReason.IDLE_TIMEOUT, "no message within " + timeout);
        }
        if (next == END) {
            inbox.add(END);
            throw endedException();
        }
        return (Message) next;
    }

    /** Sends {@code payload} and waits for the next Data, Tensor or Error message in reply (heartbeats skipped). */
    public Message request(byte[] payload, Duration timeout) throws IOException, InterruptedException {
        synchronized (requestLock) {
            send(payload);
            return awaitReply(timeout);
        }
    }

    /** Sends {@code tensor} and waits for the next Data, Tensor or Error message in reply. */
    public Message request(Tensor tensor, Duration timeout) throws IOException, InterruptedException {
        synchronized (requestLock) {
            sendTensor(tensor);
            return awaitReply(timeout);
        }
    }

    private Message awaitReply(Duration timeout) throws InterruptedException {
        long begin = System.nanoTime();
        Message reply = awaitReply(begin, timeout);
        observer.requestCompleted(System.nanoTime() - begin);
        return reply;
    }

    private Message awaitReply(long begin, Duration timeout) throws InterruptedException {
        long deadline = begin + timeout.toNanos();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SecureChannelException(FailureReason.IDLE_TIMEOUT, "no reply within " + timeout);
            }
            Message message = receive(Duration.ofNanos(remaining));
            if (!(message instanceof Message.Heartbeat)) {
                return message;
            }
        }
    }

    /** Whether the session is open. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** The server's verified attestation. */
    public VerifiedAttestation peerAttestation() {
        return connection.peerAttestation().orElseThrow();
    }

    /** The underlying connection (state, session counters). */
    public SecureConnection connection() {
        return connection;
    }

    /** Sends Shutdown and closes the WebSocket with 1000. */
    @Override
    public void close() {
        connection.shutdown();
    }

    private SecureChannelException endedException() {
        CloseReason reason = connection.closeReason().orElse(CloseReason.failed(FailureReason.SESSION_CLOSED));
        if (reason.isClean()) {
            return new SecureChannelException(FailureReason.SESSION_CLOSED, "session ended with Shutdown");
        }
        FailureReason failure = reason.failure();
        if (peerCloseCode > 0 && (failure == FailureReason.TRUNCATED || failure == FailureReason.CONNECTION_CLOSED)) {
            return new PeerClosedException(failure, peerCloseCode, peerCloseReason);
        }
        return new SecureChannelException(failure);
    }

    /** Delivers messages into the inbox. */
    private final class Inbox implements SecureChannelHandler {

        @Override
        public void onOpen(SecureConnection ignored) {
            established.complete(null);
        }

        @Override
        public void onMessage(SecureConnection ignored, Message message) {
            inbox.add(message);
        }

        @Override
        public void onClose(SecureConnection ignored, CloseReason reason) {
            inbox.add(END);
        }
    }

    /** Completes the handshake wait with the failure, then forwards to the user's observer. */
    private final class Observer implements ConnectionObserver {

        private final ConnectionObserver delegate;

        Observer(ConnectionObserver delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handshakeCompleted(Role role, HandshakeTimings timings) {
            delegate.handshakeCompleted(role, timings);
        }

        /** Which attestation check rejected the server, for the exception that connect() throws. */
        private volatile @Nullable String attestationRejection;

        @Override
        public void attestationRejected(Role role, String verifier, String detailCode) {
            attestationRejection = verifier + " verifier: " + detailCode;
            delegate.attestationRejected(role, verifier, detailCode);
        }

        @Override
        public void handshakeFailed(Role role, FailureReason reason, long elapsedNanos) {
            delegate.handshakeFailed(role, reason, elapsedNanos);
            String rejection = attestationRejection;
            established.completeExceptionally(peerCloseCode > 0 && reason == FailureReason.CONNECTION_CLOSED
                    ? new PeerClosedException(reason, peerCloseCode, peerCloseReason)
                    : rejection != null ? new SecureChannelException(reason, rejection) : new SecureChannelException(reason));
        }

        @Override
        public void sessionOpened(SecureConnection opened) {
            delegate.sessionOpened(opened);
        }

        @Override
        public void sessionClosed(SecureConnection closed, CloseReason reason) {
            delegate.sessionClosed(closed, reason);
        }

        @Override
        public void frameSealed(dev.securechannel.protocol.FrameType type, int plaintextLength, long nanos) {
            delegate.frameSealed(type, plaintextLength, nanos);
        }

        @Override
        public void frameWritten(dev.securechannel.protocol.FrameType type, int plaintextLength, long nanos) {
            delegate.frameWritten(type, plaintextLength, nanos);
        }

        @Override
        public void frameOpened(dev.securechannel.protocol.FrameType type, int plaintextLength, long nanos) {
            delegate.frameOpened(type, plaintextLength, nanos);
        }
    }

    /** Routes connector events to the connection. */
    private final class Events implements WebSocketConnector.Events {

        @Override
        public void onBinary(byte[] message) {
            connection.onBinaryMessage(message);
        }

        @Override
        public void onText() {
            connection.onTextMessage();
        }

        @Override
        public void onOversized() {
            connection.onOversizedMessage();
        }

        @Override
        public void onClosed(int code, String reason) {
            peerCloseCode = code;
            peerCloseReason = reason == null ? "" : reason;
            connection.onTransportClosed();
        }
    }

    /** The connection exists before the WebSocket does; this forwards once it is open. */
    private final class DeferredTransport implements ConnectionTransport {

        @Override
        public void send(byte[] frame) throws IOException {
            ConnectionTransport current = target;
            if (current == null) {
                throw new IOException("WebSocket not open");
            }
            current.send(frame);
        }

        @Override
        public void close(int code, String reason) {
            ConnectionTransport current = target;
            if (current != null) {
                current.close(code, reason);
            }
        }

        @Override
        public String remoteAddress() {
            ConnectionTransport current = target;
            return current == null ? "unknown" : current.remoteAddress();
        }
    }
}
