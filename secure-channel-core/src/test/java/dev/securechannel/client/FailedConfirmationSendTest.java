package dev.securechannel.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import dev.securechannel.transport.ConnectionTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's last handshake frame (the confirmation) cannot be sent: the keys are agreed and
 * the connection has agreed keys inside (KEYS_AGREED), but nobody has been told yet. Seen with a WebSocket client
 * whose send queue refused a frame under a race; connect() then waited out the whole handshake
 * timeout and the handler could get onClose without onOpen. Now connect() fails at once with
 * a typed error, the observer reports a failed handshake (not a session), and the handler
 * hears nothing.
 *
 * <p>The two peers are real {@link Connection}s joined by a tiny in-process connector
 * that delivers each side's frames on its own thread, as a WebSocket stack would.
 */
@Timeout(20)
class FailedConfirmationSendTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorService clientEvents = Executors.newSingleThreadExecutor();
    private final ExecutorService serverEvents = Executors.newSingleThreadExecutor();
    private final ConnectionRegistry registry = new ConnectionRegistry(ConnectionLimits.defaults());
    private final List<String> clientLifecycle = new CopyOnWriteArrayList<>();
    /** Completes when the client's observer hears sessionClosed, which arrives on the client's event thread. */
    private final CompletableFuture<Void> clientSessionClosed = new CompletableFuture<>();
    private final List<String> serverLifecycle = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        registry.close();
        clientEvents.shutdown();
        serverEvents.shutdown();
        assertThat(clientEvents.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(serverEvents.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void connectFailsAtOnceAndNothingOpensWhenTheConfirmationCannotBeSent() {
        SecureChannelClient client = client(2);
        long started = System.nanoTime();

        assertThatThrownBy(client::connect).isInstanceOf(SecureChannelException.class)
                .satisfies(thrown -> assertThat(((SecureChannelException) thrown).reason()).isEqualTo(FailureReason.CONNECTION_CLOSED));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HANDSHAKE_TIMEOUT.dividedBy(3));
        assertThat(clientLifecycle).containsExactly("handshakeFailed CONNECTION_CLOSED");
        client.close();
    }

    @Test
    void theSameHarnessOpensASessionWhenEverySendGoesThrough() throws Exception {
        SecureChannelClient client = client(Integer.MAX_VALUE);
        try (ClientSession session = client.connect()) {
            assertThat(((Message.Data) session.request(new byte[] {7}, Duration.ofSeconds(5))).payload()).containsExactly(7);
        }
        // The close is announced asynchronously (the transport's close travels through the event
        // executors), so wait for it rather than assume it has happened when close() returns.
        clientSessionClosed.get(5, TimeUnit.SECONDS);
        assertThat(clientLifecycle).containsExactly("handshakeCompleted", "sessionOpened", "sessionClosed");
        assertThat(serverLifecycle).contains("onOpen");
        client.close();
    }

    /** A client whose {@code failingSend}-th frame (1-based) is refused by its transport. */
    private SecureChannelClient client(int failingSend) {
        SessionConfig config = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                .build();
        return SecureChannelClient.builder(URI.create("ws://in-process/secure-channel"), config)
                .connector(new InProcessConnector(config, failingSend))
                .observer(new RecordingObserver(clientLifecycle, clientSessionClosed))
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    /** Connects to a server {@link Connection} in this JVM; echoes Data. */
    private final class InProcessConnector implements WebSocketConnector {

        private final SessionConfig config;
        private final int failingSend;

        InProcessConnector(SessionConfig config, int failingSend) {
            this.config = config;
            this.failingSend = failingSend;
        }

        @Override
        public ConnectionTransport open(URI uri, Duration timeout, int maxMessageSize, Events events) {
            Connection[] server = new Connection[1];
            ConnectionTransport toClient = new ConnectionTransport() {
                @Override
                public void send(byte[] frame) {
                    clientEvents.execute(() -> events.onBinary(frame));
                }

                @Override
                public void close(int code, String reason) {
                    clientEvents.execute(() -> events.onClosed(code, reason));
                }
            };
            SecureChannelHandler echo = new SecureChannelHandler() {
                @Override
                public void onOpen(SecureSession session) {
                    serverLifecycle.add("onOpen");
                }

                @Override
                public void onMessage(SecureSession session, Message message) throws Exception {
                    if (message instanceof Message.Data data) {
                        session.send(data.payload());
                    }
                }

                @Override
                public void onClose(SecureSession session, CloseReason reason) {
                    serverLifecycle.add("onClose");
                }
            };
            server[0] = Connection.server(config, toClient, echo, ConnectionObserver.NONE, registry);
            serverEvents.execute(server[0]::start);
            return new ConnectionTransport() {
                private int sends;

                @Override
                public synchronized void send(byte[] frame) throws IOException {
                    if (++sends == failingSend) {
                        throw new IOException("send queue refused the frame");
                    }
                    serverEvents.execute(() -> server[0].onBinaryMessage(frame));
                }

                @Override
                public void close(int code, String reason) {
                    serverEvents.execute(server[0]::onTransportClosed);
                    clientEvents.execute(() -> events.onClosed(code, reason));
                }
            };
        }
    }

    /** Records the observer's lifecycle events in order. */
    private record RecordingObserver(List<String> events, CompletableFuture<Void> closed) implements ConnectionObserver {

        @Override
        public void handshakeCompleted(Role role, HandshakeTimings timings) {
            events.add("handshakeCompleted");
        }

        @Override
        public void handshakeFailed(Role role, FailureReason reason, long elapsedNanos) {
            events.add("handshakeFailed " + reason);
        }

        @Override
        public void sessionOpened(SecureSession session) {
            events.add("sessionOpened");
        }

        @Override
        public void sessionClosed(SecureSession session, CloseReason reason) {
            events.add("sessionClosed");
            closed.complete(null);
        }
    }
}
