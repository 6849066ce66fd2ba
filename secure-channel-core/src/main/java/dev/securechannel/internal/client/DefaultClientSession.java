package dev.securechannel.internal.client;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.PeerClosedException;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.HandshakeFailure;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.connection.ConnectionClock;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ClientSession}: a {@link Connection} in the initiator's role whose handler fills
 * an inbox, over the WebSocket a {@link WebSocketConnector} opened.
 */
public final class DefaultClientSession implements ClientSession {

    private static final Object END = new Object();

    private final Connection connection;
    private final ConnectionObserver observer;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private final Object requestLock = new Object();
    private volatile @Nullable ConnectionTransport target;
    private volatile int peerCloseCode = -1;
    private volatile String peerCloseReason = "";

    private DefaultClientSession(SessionConfig config, ConnectionObserver observer, ConnectionClock clock) {
        this.observer = observer;
        this.connection = Connection.client(config, new DeferredTransport(), new Inbox(), observer, clock);
    }

    /**
     * Connects and completes the handshake.
     *
     * @throws IOException            when the WebSocket cannot be opened
     * @throws SecureChannelException when the handshake fails ({@link PeerClosedException} when the server closed)
     */
    public static ClientSession open(URI uri, SessionConfig config, WebSocketConnector connector, Duration connectTimeout,
                                     ConnectionObserver observer, ConnectionClock clock) throws IOException {
        DefaultClientSession session = new DefaultClientSession(config, observer, clock);
        session.target = connector.open(uri, connectTimeout, config.maxPayloadLength() + FrameCodec.HEADER_LENGTH,
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

    @Override
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

    @Override
    public Message request(byte[] payload, Duration timeout) throws IOException, InterruptedException {
        synchronized (requestLock) {
            send(payload);
            return awaitReply(timeout);
        }
    }

    @Override
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

    /** The connection underneath: for the project's own tests and diagnostics. */
    public Connection connection() {
        return connection;
    }

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

    // ---------------------------------------------------------------- the session, from the connection

    @Override
    public void send(byte[] data) throws IOException {
        connection.send(data);
    }

    @Override
    public void sendTensor(Tensor tensor) throws IOException {
        connection.sendTensor(tensor);
    }

    @Override
    public void sendHeartbeat() throws IOException {
        connection.sendHeartbeat();
    }

    @Override
    public void sendError(String reason) throws IOException {
        connection.sendError(reason);
    }

    @Override
    public void shutdown() {
        connection.shutdown();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public Role role() {
        return connection.role();
    }

    @Override
    public VerifiedAttestation peerAttestation() {
        return connection.peerAttestation();
    }

    @Override
    public Extensions extensions() {
        return connection.extensions();
    }

    @Override
    public String displayId() {
        return connection.displayId();
    }

    @Override
    public String remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public Map<String, Object> attributes() {
        return connection.attributes();
    }

    @Override
    public Optional<CloseReason> closeReason() {
        return connection.closeReason();
    }

    @Override
    public long openedNanos() {
        return connection.openedNanos();
    }

    @Override
    public Traffic traffic() {
        return connection.traffic();
    }

    @Override
    public long queuedBytes() {
        return connection.queuedBytes();
    }

    @Override
    public String toString() {
        return "ClientSession[" + connection.state() + ", " + displayId() + "]";
    }

    /** Delivers messages into the inbox, and ends the wait in {@link #open} either way. */
    private final class Inbox implements SecureChannelHandler {

        @Override
        public void onOpen(SecureSession ignored) {
            established.complete(null);
        }

        @Override
        public void onMessage(SecureSession ignored, Message message) {
            inbox.add(message);
        }

        @Override
        public void onClose(SecureSession ignored, CloseReason reason) {
            inbox.add(END);
        }

        @Override
        public void onHandshakeFailed(HandshakeFailure failure) {
            FailureReason reason = failure.reason();
            String detail = failure.detail();
            established.completeExceptionally(peerCloseCode > 0 && reason == FailureReason.CONNECTION_CLOSED
                    ? new PeerClosedException(reason, peerCloseCode, peerCloseReason)
                    : detail != null ? new SecureChannelException(reason, detail) : new SecureChannelException(reason));
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
