package dev.securechannel.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.HandshakeFailure;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.Connection.State;
import dev.securechannel.internal.handshake.TestAttestation;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection's state machine with no web server: two connections joined by in-memory
 * transports that hand frames on only when the test pumps them (one event at a time, as a
 * WebSocket stack delivers them), timed by a manual clock, so nothing here sleeps.
 */
@Timeout(20)
class ConnectionTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(1);
    /** Refuses every document, as a verifier whose policy the peer fails. */
    private static final AttestationVerifier REJECTING = TestAttestation.verifier(true, document -> {
        throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "refused");
    });

    private final ManualClock clock = new ManualClock();
    private final ConnectionRegistry registry = new ConnectionRegistry(new ConnectionLimits(1, 4, IDLE_TIMEOUT), clock);
    private final MemoryTransport toServer = new MemoryTransport();
    private final MemoryTransport toClient = new MemoryTransport();
    private final RecordingHandler clientHandler = new RecordingHandler();
    private final RecordingHandler serverHandler = new RecordingHandler();
    private final Connection client = Connection.client(config(new InsecureMockAttestationVerifier()), toServer, clientHandler,
            ConnectionObserver.NONE, clock);
    private final Connection server = Connection.server(config(new InsecureMockAttestationVerifier()), toClient, serverHandler,
            ConnectionObserver.NONE, registry);

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        registry.close();
        threads.shutdownNow();
    }

    // ---------------------------------------------------------------- the table

    /** The table of the class comment, written out again: the test fails when either changes alone. */
    private static final List<List<State>> LEGAL = List.of(
            List.of(State.NEW, State.HANDSHAKING),
            List.of(State.NEW, State.CLOSED),
            List.of(State.HANDSHAKING, State.KEYS_AGREED),
            List.of(State.HANDSHAKING, State.CLOSED),
            List.of(State.KEYS_AGREED, State.OPENING),
            List.of(State.KEYS_AGREED, State.CLOSED),
            List.of(State.OPENING, State.OPEN),
            List.of(State.OPENING, State.CLOSED),
            List.of(State.OPEN, State.CLOSED));

    static Stream<Arguments> everyPairOfStates() {
        List<Arguments> pairs = new ArrayList<>();
        for (State from : State.values()) {
            for (State to : State.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfStates")
    void onlyTheTransitionsOfTheTableAreLegal(State from, State to) {
        assertThat(from.canBecome(to)).isEqualTo(LEGAL.contains(List.of(from, to)));
    }

    @Test
    void everyStateButClosedCanEnd() {
        for (State state : State.values()) {
            assertThat(state.canBecome(State.CLOSED)).as(state.toString()).isEqualTo(state != State.CLOSED);
        }
    }

    // ---------------------------------------------------------------- each legal transition

    @Test
    void newToHandshakingToKeysAgreedToOpeningToOpen() {
        assertThat(client.state()).isEqualTo(State.NEW);
        server.start();
        client.start();
        assertThat(client.state()).isEqualTo(State.HANDSHAKING);
        assertThat(server.state()).isEqualTo(State.HANDSHAKING);
        assertThat(registry.pendingHandshakes()).isEqualTo(1);

        pump();

        // KEYS_AGREED and OPENING pass within one event; onOpen runs in OPENING.
        assertThat(clientHandler.stateInOnOpen).isEqualTo(State.OPENING);
        assertThat(serverHandler.stateInOnOpen).isEqualTo(State.OPENING);
        assertThat(client.state()).isEqualTo(State.OPEN);
        assertThat(server.state()).isEqualTo(State.OPEN);
        assertThat(registry.pendingHandshakes()).isZero();
        assertThat(registry.openSessions()).isEqualTo(1);
        assertThat(client.displayId()).isEqualTo(server.displayId()).isNotEqualTo("pending");
        assertThat(client.peerAttestation().platform()).isEqualTo(server.peerAttestation().platform());
        assertThat(client.openedNanos()).isEqualTo(clock.nanoTime());
        assertThat(clientHandler.events).containsExactly("onOpen");
        assertThat(serverHandler.events).containsExactly("onOpen");
    }

    @Test
    void newToClosedWhenAdmissionIsRefused() {
        Connection first = Connection.server(config(new InsecureMockAttestationVerifier()), new MemoryTransport(),
                new RecordingHandler(), ConnectionObserver.NONE, registry);
        first.start();
        RecordingHandler refusedHandler = new RecordingHandler();
        MemoryTransport refusedTransport = new MemoryTransport();
        Connection refused = Connection.server(config(new InsecureMockAttestationVerifier()), refusedTransport, refusedHandler,
                ConnectionObserver.NONE, registry);

        refused.start();

        assertThat(refused.state()).isEqualTo(State.CLOSED);
        assertThat(refused.closeReason()).contains(CloseReason.failed(FailureReason.TOO_MANY_HANDSHAKES));
        assertThat(refusedTransport.closes()).containsExactly(new MemoryTransport.Close(1013, "too many handshakes in progress"));
        assertThat(refusedHandler.events).containsExactly("onHandshakeFailed TOO_MANY_HANDSHAKES");
        assertThat(registry.pendingHandshakes()).isEqualTo(1);
        assertThat(registry.connections()).containsExactly(first);
    }

    @Test
    void newToClosedWhenEndedBeforeStart() {
        server.fail(FailureReason.CONNECTION_CLOSED);
        server.start();

        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(toClient.take()).as("no hello after the end").isNull();
        assertThat(serverHandler.events).containsExactly("onHandshakeFailed CONNECTION_CLOSED");
        assertThat(registry.pendingHandshakes()).isZero();
    }

    @Test
    void handshakingToClosedOnTheTimeout() {
        client.start();
        clock.advance(HANDSHAKE_TIMEOUT.minusMillis(1));
        assertThat(client.state()).isEqualTo(State.HANDSHAKING);

        clock.advance(Duration.ofMillis(1));

        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(client.closeReason()).contains(CloseReason.failed(FailureReason.HANDSHAKE_TIMEOUT));
        assertThat(toServer.closes()).containsExactly(new MemoryTransport.Close(1008, "handshake timeout"));
        assertThat(clientHandler.failures).singleElement()
                .isEqualTo(new HandshakeFailure(FailureReason.HANDSHAKE_TIMEOUT, "memory", null));
    }

    @Test
    void theHandshakeTimeoutIsCancelledWhenTheKeysAreAgreed() {
        open();
        clock.advance(HANDSHAKE_TIMEOUT.multipliedBy(2));

        assertThat(client.state()).isEqualTo(State.OPEN);
        assertThat(server.state()).isEqualTo(State.OPEN);
    }

    @Test
    void handshakingToClosedTellsTheHandlerWhyTheHandshakeFailed() {
        Connection strict = Connection.client(config(REJECTING), toServer, clientHandler, ConnectionObserver.NONE, clock);
        server.start();
        strict.start();

        pumpBetween(strict, server);

        assertThat(strict.state()).isEqualTo(State.CLOSED);
        assertThat(clientHandler.events).containsExactly("onHandshakeFailed ATTESTATION_VERIFICATION_FAILED");
        assertThat(clientHandler.failures).singleElement().isEqualTo(new HandshakeFailure(FailureReason.ATTESTATION_VERIFICATION_FAILED,
                "memory", "test verifier: attestation-verification-failed"));
        assertThat(toServer.closes()).containsExactly(new MemoryTransport.Close(1008, "attestation verification failed"));
    }

    @Test
    void handshakingToClosedOnAFrameThatIsNoHello() {
        server.start();
        server.onBinaryMessage(new byte[] {1, 2, 3});

        assertThat(server.state()).isEqualTo(State.CLOSED);
        FailureReason reason = server.closeReason().orElseThrow().failure();
        assertThat(serverHandler.failures).singleElement().satisfies(failure -> assertThat(failure.reason()).isEqualTo(reason));
        assertThat(registry.pendingHandshakes()).isZero();
        assertThat(registry.connections()).isEmpty();
    }

    @Test
    void keysAgreedToClosedWhenTheLastHandshakeFrameCannotBeSent() {
        toServer.failSend(2);
        server.start();
        client.start();

        pump();

        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(client.recordSession()).isPresent();
        assertThat(client.recordSession().orElseThrow().isOpen()).as("keys wiped").isFalse();
        assertThat(clientHandler.events).containsExactly("onHandshakeFailed CONNECTION_CLOSED");
        assertThat(server.state()).as("the confirmation never arrived").isEqualTo(State.HANDSHAKING);
    }

    @Test
    void openingToClosedWhenOnOpenShutsTheSessionDown() {
        RecordingHandler refusing = new RecordingHandler() {
            @Override
            public void onOpen(SecureSession session) throws Exception {
                super.onOpen(session);
                session.shutdown();
                events.add("onOpen returns");
            }
        };
        Connection refusingServer = Connection.server(config(new InsecureMockAttestationVerifier()), toClient, refusing,
                ConnectionObserver.NONE, registry);
        refusingServer.start();
        client.start();

        pumpBetween(client, refusingServer);

        assertThat(refusing.events).containsExactly("onOpen", "onOpen returns", "onClose shutdown");
        assertThat(refusingServer.closeReason()).contains(CloseReason.clean());
        assertThat(clientHandler.events).containsExactly("onOpen", "onClose shutdown");
    }

    @Test
    void openToClosedOnShutdownOnBothSidesOnce() {
        open();

        client.shutdown();
        pump();
        client.shutdown();
        client.onTransportClosed();
        server.onTransportClosed();

        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(clientHandler.events).containsExactly("onOpen", "onClose shutdown");
        assertThat(serverHandler.events).containsExactly("onOpen", "onClose shutdown");
        assertThat(toServer.closes()).containsExactly(new MemoryTransport.Close(1000, "shutdown"));
        assertThat(toClient.closes()).containsExactly(new MemoryTransport.Close(1000, "shutdown"));
        assertThat(registry.connections()).isEmpty();
    }

    @Test
    void openToClosedWhenTheTransportClosesWithoutShutdown() {
        open();

        server.onTransportClosed();

        assertThat(server.closeReason()).contains(CloseReason.failed(FailureReason.TRUNCATED));
        assertThat(serverHandler.events).containsExactly("onOpen", "onClose " + FailureReason.TRUNCATED.tagValue());
        assertThat(toClient.closes()).as("the transport is already closed").isEmpty();
    }

    @Test
    void openToClosedAfterTheIdleTimeout() throws Exception {
        open();
        clock.advance(IDLE_TIMEOUT.dividedBy(2));
        client.sendHeartbeat();
        pump();
        clock.advance(IDLE_TIMEOUT.dividedBy(2).plusSeconds(1));
        assertThat(server.state()).as("a heartbeat half-way keeps it open").isEqualTo(State.OPEN);

        clock.advance(IDLE_TIMEOUT);

        assertThat(server.closeReason()).contains(CloseReason.failed(FailureReason.IDLE_TIMEOUT));
        assertThat(serverHandler.events).containsExactly("onOpen", "onMessage HEARTBEAT", "onClose idle-timeout");
    }

    // ---------------------------------------------------------------- refused changes

    @Test
    void aClosedConnectionStaysClosed() throws Exception {
        open();
        server.fail(FailureReason.INTERNAL_ERROR);

        server.start();
        server.fail(FailureReason.IDLE_TIMEOUT);
        server.shutdown();
        server.onTextMessage();
        server.onTransportClosed();

        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(server.closeReason()).contains(CloseReason.failed(FailureReason.INTERNAL_ERROR));
        assertThat(toClient.closes()).containsExactly(new MemoryTransport.Close(1011, "internal error"));
        assertThat(serverHandler.events).containsExactly("onOpen", "onClose internal-error");
        assertThatThrownBy(() -> server.send(new byte[1])).isInstanceOf(SecureChannelException.class)
                .satisfies(thrown -> assertThat(((SecureChannelException) thrown).reason()).isEqualTo(FailureReason.SESSION_CLOSED));
    }

    @Test
    void startingTwiceStartsOnce() {
        client.start();
        client.start();

        assertThat(toServer.take()).isNotNull();
        assertThat(toServer.take()).as("one hello").isNull();
    }

    @Test
    void nothingIsSentBeforeTheHandshakeCompletes() {
        client.start();

        assertThatThrownBy(() -> client.send(new byte[1])).isInstanceOf(SecureChannelException.class);
        assertThatThrownBy(client::peerAttestation).isInstanceOf(IllegalStateException.class);
        assertThat(client.displayId()).isEqualTo("pending");
    }

    // ---------------------------------------------------------------- messages and the handler

    @Test
    void messagesReachTheHandlerInOrder() throws Exception {
        open();

        client.send(new byte[] {1});
        client.sendError("careful");
        client.sendHeartbeat();
        pump();

        assertThat(serverHandler.events).containsExactly("onOpen", "onMessage DATA", "onMessage ERROR", "onMessage HEARTBEAT");
        assertThat(server.traffic().framesReceived()).isEqualTo(3);
        assertThat(client.traffic().framesSent()).isEqualTo(3);
    }

    @Test
    void noMessageIsDeliveredAfterTheSessionClosed() throws Exception {
        open();
        client.send(new byte[] {1});
        byte[] sealed = toServer.take();

        server.fail(FailureReason.IDLE_TIMEOUT);
        server.onBinaryMessage(sealed);

        assertThat(serverHandler.messages).isEmpty();
        assertThat(serverHandler.events).containsExactly("onOpen", "onClose idle-timeout");
    }

    @Test
    void aHandlerExceptionIsLoggedWithTheDisplayIdAndClosesWith1011() throws Exception {
        RecordingHandler throwing = new RecordingHandler() {
            @Override
            public void onMessage(SecureSession session, Message message) {
                throw new IllegalStateException("model exploded");
            }
        };
        Connection throwingServer = Connection.server(config(new InsecureMockAttestationVerifier()), toClient, throwing,
                ConnectionObserver.NONE, registry);
        List<LogRecord> logged;
        try (CapturedLog log = new CapturedLog()) {
            throwingServer.start();
            client.start();
            pumpBetween(client, throwingServer);
            client.send(new byte[] {1});
            pumpBetween(client, throwingServer);
            logged = log.records;
        }

        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getMessage()).contains(throwingServer.displayId()).contains("onMessage");
            assertThat(record.getThrown()).hasMessage("model exploded");
        });
        assertThat(throwingServer.closeReason()).contains(CloseReason.failed(FailureReason.INTERNAL_ERROR));
        assertThat(toClient.closes()).containsExactly(new MemoryTransport.Close(1011, "internal error"));
        assertThat(throwing.events).containsExactly("onOpen", "onClose internal-error");
    }

    @Test
    void anOnOpenExceptionIsLoggedAndTheSessionClosedWith1011AfterItsOnClose() throws Exception {
        RecordingHandler throwing = new RecordingHandler() {
            @Override
            public void onOpen(SecureSession session) throws Exception {
                super.onOpen(session);
                throw new IllegalStateException("no");
            }
        };
        Connection throwingServer = Connection.server(config(new InsecureMockAttestationVerifier()), toClient, throwing,
                ConnectionObserver.NONE, registry);
        try (CapturedLog log = new CapturedLog()) {
            throwingServer.start();
            client.start();
            pumpBetween(client, throwingServer);

            assertThat(log.records).singleElement().satisfies(record -> assertThat(record.getMessage()).contains("onOpen"));
        }
        assertThat(throwing.events).containsExactly("onOpen", "onClose internal-error");
        assertThat(toClient.closes()).containsExactly(new MemoryTransport.Close(1011, "internal error"));
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void aCloseWhileOnOpenRunsIsAnnouncedOnceAfterOnOpenReturns() throws Exception {
        CountDownLatch inOnOpen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingHandler slow = new RecordingHandler() {
            @Override
            public void onOpen(SecureSession session) throws Exception {
                super.onOpen(session);
                inOnOpen.countDown();
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
                events.add("onOpen returns");
            }
        };
        Connection slowServer = Connection.server(config(new InsecureMockAttestationVerifier()), toClient, slow,
                ConnectionObserver.NONE, registry);
        slowServer.start();
        client.start();
        CompletableFuture<Void> transportThread = CompletableFuture.runAsync(() -> pumpBetween(client, slowServer), threads);
        assertThat(inOnOpen.await(10, TimeUnit.SECONDS)).isTrue();

        slowServer.fail(FailureReason.IDLE_TIMEOUT);

        assertThat(slowServer.state()).isEqualTo(State.CLOSED);
        assertThat(slow.events).as("nothing announced while onOpen runs").containsExactly("onOpen");
        release.countDown();
        transportThread.get(10, TimeUnit.SECONDS);
        assertThat(slow.events).containsExactly("onOpen", "onOpen returns", "onClose idle-timeout");
    }

    @Test
    void racingClosesAnnounceOneClose() throws Exception {
        open();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> closers = new ArrayList<>();
        for (FailureReason reason : List.of(FailureReason.IDLE_TIMEOUT, FailureReason.TRUNCATED, FailureReason.INTERNAL_ERROR)) {
            closers.add(CompletableFuture.runAsync(() -> {
                awaitQuietly(go);
                server.fail(reason);
            }, threads));
        }
        closers.add(CompletableFuture.runAsync(() -> {
            awaitQuietly(go);
            server.shutdown();
        }, threads));

        go.countDown();
        CompletableFuture.allOf(closers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(serverHandler.events).hasSize(2).first().isEqualTo("onOpen");
        String close = serverHandler.events.get(1);
        assertThat(close).startsWith("onClose ").endsWith(server.closeReason().orElseThrow().tagValue());
        assertThat(toClient.closes()).hasSize(1);
    }

    // ---------------------------------------------------------------- support

    private void open() {
        server.start();
        client.start();
        pump();
    }

    private void pump() {
        pumpBetween(client, server);
    }

    private void pumpBetween(Connection clientSide, Connection serverSide) {
        while (toServer.deliverTo(serverSide) | toClient.deliverTo(clientSide)) {
            // Until neither side has anything more to send.
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static SessionConfig config(AttestationVerifier verifier) {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(verifier)
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                .build();
    }

    /** The connection's log records while open (the core logs through System.Logger, here java.util.logging). */
    private static final class CapturedLog extends Handler implements AutoCloseable {

        private static final Set<String> NAMES = Set.of(Connection.class.getName());
        final List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Logger logger = Logger.getLogger(Connection.class.getName());

        CapturedLog() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (NAMES.contains(record.getLoggerName())) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
