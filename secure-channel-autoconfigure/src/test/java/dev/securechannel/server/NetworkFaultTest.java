package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.client.ClientSession;
import dev.securechannel.client.ConnectFailure;
import dev.securechannel.client.PeerClosedException;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnectException;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.server.FaultInjectingProxy.Direction;
import dev.securechannel.server.FaultInjectingProxy.Fault;
import dev.securechannel.server.FaultInjectingProxy.Plan;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults between the peers (issue 15): a {@link FaultInjectingProxy} between the public
 * client and the server, on Tomcat and on Reactor Netty (and on Jetty in the {@code jetty}
 * run), injects latency, a bandwidth limit, a cut or a reset part-way through a frame, a
 * flipped bit, a half-open connection and a black hole. Each scenario checks the client's
 * outcome (a typed exception or close code, within its timeout), the server's (the close
 * reason its handler was told, or why its handshake failed), that the server holds no
 * connection afterwards, that nothing which failed authentication was delivered, and that the
 * client reconnects exactly when its retry policy says so.
 *
 * <p>The servers are the strict ones of {@link ServerContexts}, so that a server-side
 * handshake timeout (1.5 s) is part of the story. Every wait is bounded: a fault may end a
 * session, never hang a call past its timeout. README's "Faults between the peers" tabulates
 * these outcomes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkFaultTest {

    @Nested
    @ServerContexts.StrictServlet
    class Tomcat extends Scenarios {
    }

    @Nested
    @ServerContexts.StrictReactorNetty
    class ReactorNetty extends Scenarios {
    }

    /** The client's WebSocket implementation. */
    enum ClientStack {
        JDK {
            @Override
            WebSocketConnector connector() {
                return new JdkWebSocketConnector();
            }
        },
        REACTOR_NETTY {
            @Override
            WebSocketConnector connector() {
                return new ReactorNettyWebSocketConnector();
            }
        };

        abstract WebSocketConnector connector();
    }

    abstract static class Scenarios extends EndpointScenarioSupport {

        /** Opening the WebSocket through a faithful proxy takes far less. */
        static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
        /** How late a timeout may fire on a loaded two-core machine. */
        static final Duration MARGIN = Duration.ofSeconds(3);
        /** The strict servers' handshake timeout ({@link ServerContexts#STRICT_HANDSHAKE_TIMEOUT}). */
        static final Duration SERVER_HANDSHAKE_TIMEOUT = Duration.ofMillis(1500);
        static final RetryPolicy TWO_QUICK_RETRIES = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), 2.0);
        /**
         * What precedes a short frame's first byte on the wire: a client's WebSocket frame under
         * 126 bytes has two header bytes and a 4-byte mask, a server's only the two header bytes.
         */
        static final int CLIENT_FRAME_START = 6;
        static final int SERVER_FRAME_START = 2;
        /** Inside the secure-channel header of the first frame, so any cut there is mid-frame. */
        static final int MID_FIRST_FRAME = 10;

        FaultInjectingProxy proxy;

        @BeforeEach
        void startTheProxy() throws IOException {
            proxy = new FaultInjectingProxy(port);
        }

        @AfterEach
        void stopTheProxy() {
            proxy.close();
        }

        // ---------------------------------------------------------------- a slow network

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void latencyOnEveryChunkSlowsTheSessionDownButLeavesItCorrect(ClientStack stack) throws Exception {
            Duration latency = Duration.ofMillis(50);
            proxy.planNext(1, Plan.both(Fault.delay(latency)));
            try (SecureChannelClient client = client(stack, RetryPolicy.none())) {
                long connecting = System.nanoTime();
                try (ClientSession session = client.connect()) {
                    // Hello 1 and hello 2 each crossed the proxy before connect() returned (the upgrade's HTTP heads pass undelayed).
                    assertThat(since(connecting)).isGreaterThanOrEqualTo(latency.multipliedBy(2));
                    long requesting = System.nanoTime();
                    assertThat(requestText(session, "across a slow link")).isEqualTo("across a slow link");
                    assertThat(since(requesting)).isGreaterThanOrEqualTo(latency.multipliedBy(2));
                }
            }
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
            assertThat(application.deliveredTexts()).containsExactly("across a slow link");
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aBandwidthLimitSlowsALargeMessageDownButDeliversItIntact(ClientStack stack) throws Exception {
            long bytesPerSecond = 256 * 1024;
            proxy.planNext(1, Plan.both(Fault.bandwidth(bytesPerSecond)));
            byte[] payload = new byte[48 * 1024]; // within the strict servers' 64 KiB frame cap
            new Random(15).nextBytes(payload);
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                long requesting = System.nanoTime();
                Message reply = session.request(payload, RawWebSocketPeer.WAIT);
                assertThat(((Message.Data) reply).payload()).isEqualTo(payload);
                // The payload crossed the limited link twice, each way at most bytesPerSecond.
                assertThat(since(requesting)).isGreaterThanOrEqualTo(Duration.ofNanos(2 * payload.length * 1_000_000_000L / bytesPerSecond));
            }
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
            assertThat(application.deliveries()).hasSize(1);
        }

        // ---------------------------------------------------------------- cut and reset during the handshake

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aConnectionCutInTheMiddleOfHelloOneFailsTheHandshakeOnBothSides(ClientStack stack) throws Exception {
            proxy.planNext(1, Plan.inject(Direction.CLIENT_TO_SERVER, Fault.cutAfter(MID_FIRST_FRAME)));
            try (SecureChannelClient client = client(stack, RetryPolicy.none())) {
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                    assertThat(closed.closeCode()).isEqualTo(RawWebSocketPeer.ABNORMAL);
                    assertThat(closed.reason()).isEqualTo(FailureReason.CONNECTION_CLOSED);
                    assertThat(RetryPolicy.isRetryable(closed)).isTrue();
                });
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.CONNECTION_CLOSED);
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aConnectionResetAsHelloTwoArrivesFailsTheHandshakeOnBothSides(ClientStack stack) throws Exception {
            proxy.planNext(1, Plan.inject(Direction.SERVER_TO_CLIENT, Fault.resetAfter(0)));
            try (SecureChannelClient client = client(stack, RetryPolicy.none())) {
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                    assertThat(closed.closeCode()).isEqualTo(RawWebSocketPeer.ABNORMAL);
                    assertThat(closed.reason()).isEqualTo(FailureReason.CONNECTION_CLOSED);
                    assertThat(RetryPolicy.isRetryable(closed)).isTrue();
                });
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.CONNECTION_CLOSED);
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aClientWithRetriesReconnectsThroughACutAndAResetOnceTheNetworkHeals(ClientStack stack) throws Exception {
            proxy.planNext(1, Plan.inject(Direction.CLIENT_TO_SERVER, Fault.cutAfter(MID_FIRST_FRAME)));
            proxy.planNext(1, Plan.inject(Direction.SERVER_TO_CLIENT, Fault.resetAfter(0)));
            try (SecureChannelClient client = client(stack, TWO_QUICK_RETRIES);
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "third time lucky")).isEqualTo("third time lucky");
            }
            assertThat(proxy.connectionCount()).as("connections: two broken, then one served").isEqualTo(3);
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
            assertThat(observer.handshakeFailures()).containsExactly(FailureReason.CONNECTION_CLOSED, FailureReason.CONNECTION_CLOSED);
            assertThat(application.openCount()).isEqualTo(1);
            assertThat(application.deliveredTexts()).containsExactly("third time lucky");
        }

        // ---------------------------------------------------------------- cut and reset in a session

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aConnectionCutInTheMiddleOfARequestIsATruncatedSessionOnBothSides(ClientStack stack) throws Exception {
            Duration requestTimeout = Duration.ofSeconds(2);
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "before the cut")).isEqualTo("before the cut");
                proxy.connection(0).inject(Direction.CLIENT_TO_SERVER, Fault.cutAfter(CLIENT_FRAME_START + MID_FIRST_FRAME));
                long requesting = System.nanoTime();
                Throwable failure = catchThrowable(() -> session.request(bytes("cut in half"), requestTimeout));
                assertThat(since(requesting)).isLessThan(requestTimeout.plus(MARGIN));
                if (stack == ClientStack.JDK && failure instanceof SecureChannelException timedOut
                        && timedOut.reason() == FailureReason.IDLE_TIMEOUT) {
                    // The JDK's WebSocket now and then misses an orderly end of the stream right
                    // after a frame it sent (seen only with Reactor Netty servers, about one run in
                    // ten): the request then ends at its timeout, never later.
                    assertThat(since(requesting)).isGreaterThanOrEqualTo(requestTimeout);
                } else {
                    assertThat(failure).isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                        assertThat(closed.closeCode()).isEqualTo(RawWebSocketPeer.ABNORMAL);
                        assertThat(closed.reason()).isEqualTo(FailureReason.TRUNCATED);
                    });
                }
            }
            assertApplicationSawDeliveriesThenFailure(FailureReason.TRUNCATED, "before the cut");
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aConnectionResetInTheMiddleOfAReplyIsATruncatedSessionOnBothSides(ClientStack stack) throws Exception {
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "before the reset")).isEqualTo("before the reset");
                proxy.connection(0).inject(Direction.SERVER_TO_CLIENT, Fault.resetAfter(SERVER_FRAME_START + MID_FIRST_FRAME));
                assertThatThrownBy(() -> session.request(bytes("reset on its way back"), RawWebSocketPeer.WAIT))
                        .isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                            assertThat(closed.closeCode()).isEqualTo(RawWebSocketPeer.ABNORMAL);
                            assertThat(closed.reason()).isEqualTo(FailureReason.TRUNCATED);
                        });
            }
            // The request itself arrived whole and authentic; only its reply was lost.
            assertApplicationSawDeliveriesThenFailure(FailureReason.TRUNCATED, "before the reset", "reset on its way back");
            awaitNoConnectionLeft();
        }

        // ---------------------------------------------------------------- a bit flipped in flight

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aBitFlippedInARequestIsNeverDeliveredAndTheServerClosesWith1008(ClientStack stack) throws Exception {
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "before the flip")).isEqualTo("before the flip");
                // The first ciphertext byte of the next request.
                proxy.connection(0).inject(Direction.CLIENT_TO_SERVER, Fault.flipBit(CLIENT_FRAME_START + FrameCodec.HEADER_LENGTH, 0));
                assertThatThrownBy(() -> session.request(bytes("transfer 100"), RawWebSocketPeer.WAIT))
                        .isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                            assertThat(closed.closeCode()).isEqualTo(FailureReason.DECRYPTION_FAILED.closeCode());
                            assertThat(RetryPolicy.isRetryable(closed)).isFalse();
                        });
            }
            assertApplicationSawDeliveriesThenFailure(FailureReason.DECRYPTION_FAILED, "before the flip");
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aBitFlippedInAReplyIsNeverDeliveredAndTheClientClosesWith1008(ClientStack stack) throws Exception {
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "before the flip")).isEqualTo("before the flip");
                proxy.connection(0).inject(Direction.SERVER_TO_CLIENT, Fault.flipBit(SERVER_FRAME_START + FrameCodec.HEADER_LENGTH, 0));
                assertThatThrownBy(() -> session.request(bytes("flipped on its way back"), RawWebSocketPeer.WAIT))
                        .isInstanceOfSatisfying(SecureChannelException.class, failed -> {
                            assertThat(failed).isNotInstanceOf(PeerClosedException.class);
                            assertThat(failed.reason()).isEqualTo(FailureReason.DECRYPTION_FAILED);
                        });
                assertThat(session.closeReason()).contains(CloseReason.failed(FailureReason.DECRYPTION_FAILED));
            }
            // The server delivered the authentic request; the client's 1008 then ended the session without a Shutdown.
            assertApplicationSawDeliveriesThenFailure(FailureReason.TRUNCATED, "before the flip", "flipped on its way back");
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aBitFlippedInHelloOneIsRejectedByTheServerAndNeverRetried(ClientStack stack) throws Exception {
            proxy.planNext(3, Plan.inject(Direction.CLIENT_TO_SERVER, Fault.flipBit(publicKeyOffset(helloOneLength(), true), 0)));
            try (SecureChannelClient client = client(stack, TWO_QUICK_RETRIES)) {
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                    assertThat(closed.closeCode()).isEqualTo(FailureReason.PUBLIC_KEY_MISMATCH.closeCode());
                    assertThat(closed.reason()).isEqualTo(FailureReason.CONNECTION_CLOSED);
                });
            }
            assertThat(proxy.connectionCount()).as("connections").isEqualTo(1);
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.PUBLIC_KEY_MISMATCH);
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aBitFlippedInHelloTwoIsRejectedByTheClientAndNeverRetried(ClientStack stack) throws Exception {
            proxy.planNext(3, Plan.inject(Direction.SERVER_TO_CLIENT, Fault.flipBit(publicKeyOffset(helloTwoLength(), false), 0)));
            try (SecureChannelClient client = client(stack, TWO_QUICK_RETRIES)) {
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(SecureChannelException.class, rejected -> {
                    assertThat(rejected).isNotInstanceOf(PeerClosedException.class);
                    assertThat(rejected.reason()).isEqualTo(FailureReason.PUBLIC_KEY_MISMATCH);
                });
            }
            assertThat(proxy.connectionCount()).as("connections").isEqualTo(1);
            // The client closed with 1008 in the middle of the server's handshake.
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.CONNECTION_CLOSED);
            awaitNoConnectionLeft();
        }

        // ---------------------------------------------------------------- half-open connections

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void hello2WithheldTimesOutTheHandshakeOnBothSides(ClientStack stack) throws Exception {
            Duration clientHandshakeTimeout = Duration.ofSeconds(2);
            proxy.planNext(1, Plan.inject(Direction.SERVER_TO_CLIENT, Fault.stopReadingAfter(0)));
            try (SecureChannelClient client = client(stack, RetryPolicy.none(), clientHandshakeTimeout)) {
                long connecting = System.nanoTime();
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(SecureChannelException.class, timedOut -> {
                    assertThat(timedOut.reason()).isEqualTo(FailureReason.HANDSHAKE_TIMEOUT);
                    assertThat(RetryPolicy.isRetryable(timedOut)).as("a timeout the client sees itself is retried").isTrue();
                });
                assertThat(since(connecting)).isBetween(clientHandshakeTimeout, clientHandshakeTimeout.plus(MARGIN));
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.HANDSHAKE_TIMEOUT);
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void hello1WithheldTimesTheServerOutWhichClosesWith1008AndIsNotRetried(ClientStack stack) throws Exception {
            proxy.planNext(3, Plan.inject(Direction.CLIENT_TO_SERVER, Fault.stopReadingAfter(0)));
            try (SecureChannelClient client = client(stack, TWO_QUICK_RETRIES, SessionConfig.DEFAULT_HANDSHAKE_TIMEOUT)) {
                long connecting = System.nanoTime();
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(PeerClosedException.class, closed -> {
                    assertThat(closed.closeCode()).isEqualTo(FailureReason.HANDSHAKE_TIMEOUT.closeCode());
                    assertThat(closed.reason()).isEqualTo(FailureReason.CONNECTION_CLOSED);
                });
                assertThat(since(connecting)).isBetween(SERVER_HANDSHAKE_TIMEOUT, SERVER_HANDSHAKE_TIMEOUT.plus(MARGIN));
            }
            // A 1008 is also how a server rejects attestation: the client cannot tell them apart, so it does not retry.
            assertThat(proxy.connectionCount()).as("connections").isEqualTo(1);
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.HANDSHAKE_TIMEOUT);
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aReplyThatNeverComesTimesTheRequestOutAndTheSessionStillEndsCleanly(ClientStack stack) throws Exception {
            Duration requestTimeout = Duration.ofSeconds(1);
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "answered")).isEqualTo("answered");
                proxy.connection(0).inject(Direction.SERVER_TO_CLIENT, Fault.stopReadingAfter(0));
                long requesting = System.nanoTime();
                assertThatThrownBy(() -> session.request(bytes("never answered"), requestTimeout))
                        .isInstanceOfSatisfying(SecureChannelException.class,
                                timedOut -> assertThat(timedOut.reason()).isEqualTo(FailureReason.IDLE_TIMEOUT));
                assertThat(since(requesting)).isBetween(requestTimeout, requestTimeout.plus(MARGIN));
                await("the request delivered").atMost(RawWebSocketPeer.WAIT).until(() -> application.deliveries().size() == 2);
                long closing = System.nanoTime();
                session.close();
                assertThat(since(closing)).isLessThan(MARGIN);
            }
            // The Shutdown still reached the server: a clean end, though its last reply went nowhere.
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
            assertThat(application.deliveredTexts()).containsExactly("answered", "never answered");
            awaitNoConnectionLeft();
        }

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aRequestThatNeverArrivesTimesOutAndTheServerHoldsTheSessionUntilTheConnectionEnds(ClientStack stack) throws Exception {
            Duration requestTimeout = Duration.ofSeconds(1);
            try (SecureChannelClient client = client(stack, RetryPolicy.none());
                 ClientSession session = client.connect()) {
                assertThat(requestText(session, "answered")).isEqualTo("answered");
                proxy.connection(0).inject(Direction.CLIENT_TO_SERVER, Fault.stopReadingAfter(0));
                long requesting = System.nanoTime();
                assertThatThrownBy(() -> session.request(bytes("never arrives"), requestTimeout))
                        .isInstanceOfSatisfying(SecureChannelException.class,
                                timedOut -> assertThat(timedOut.reason()).isEqualTo(FailureReason.IDLE_TIMEOUT));
                assertThat(since(requesting)).isBetween(requestTimeout, requestTimeout.plus(MARGIN));
                long closing = System.nanoTime();
                session.close();
                assertThat(since(closing)).isLessThan(MARGIN);
            }
            // Nothing tells the server: its session stays open (until its idle timeout) while TCP holds.
            assertThat(registry.openSessions()).isEqualTo(1);
            assertThat(application.closeReasons()).isEmpty();
            proxy.close();
            assertApplicationSawDeliveriesThenFailure(FailureReason.TRUNCATED, "answered");
            awaitNoConnectionLeft();
        }

        // ---------------------------------------------------------------- a black hole

        @ParameterizedTest
        @EnumSource(ClientStack.class)
        void aBlackHoleTimesEachAttemptOutAtTheConnectTimeoutAndTheServerNeverHearsOfIt(ClientStack stack) throws Exception {
            Duration connectTimeout = Duration.ofSeconds(1);
            proxy.planNext(2, Plan.blackHole());
            RetryPolicy oneRetry = new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10), 1.0);
            try (SecureChannelClient client = SecureChannelClient.builder(proxiedEndpoint(), CLIENT_CONFIG)
                    .connector(stack.connector()).retryPolicy(oneRetry).connectTimeout(connectTimeout).build()) {
                long connecting = System.nanoTime();
                assertThatThrownBy(client::connect).isInstanceOfSatisfying(WebSocketConnectException.class,
                        timedOut -> assertThat(timedOut.failure()).isEqualTo(ConnectFailure.TIMEOUT));
                assertThat(since(connecting)).isBetween(connectTimeout.multipliedBy(2), connectTimeout.multipliedBy(2).plus(MARGIN));
            }
            assertThat(proxy.connectionCount()).as("connections: the attempt and its retry").isEqualTo(2);
            assertThat(observer.handshakeFailures()).isEmpty();
            assertThat(application.openCount()).isZero();
        }

        // ---------------------------------------------------------------- helpers

        URI proxiedEndpoint() {
            return URI.create("ws://127.0.0.1:" + proxy.port() + "/secure-channel");
        }

        SecureChannelClient client(ClientStack stack, RetryPolicy retryPolicy) {
            return SecureChannelClient.builder(proxiedEndpoint(), CLIENT_CONFIG)
                    .connector(stack.connector()).retryPolicy(retryPolicy).connectTimeout(CONNECT_TIMEOUT).build();
        }

        SecureChannelClient client(ClientStack stack, RetryPolicy retryPolicy, Duration handshakeTimeout) {
            SessionConfig config = SessionConfig.builder()
                    .securityProfile(SecurityProfile.DEVELOPMENT)
                    .attestationProvider(new InsecureMockAttestationProvider())
                    .attestationVerifier(new InsecureMockAttestationVerifier())
                    .handshakeTimeout(handshakeTimeout)
                    .build();
            return SecureChannelClient.builder(proxiedEndpoint(), config)
                    .connector(stack.connector()).retryPolicy(retryPolicy).connectTimeout(CONNECT_TIMEOUT).build();
        }

        static String requestText(ClientSession session, String text) throws IOException, InterruptedException {
            return ((Message.Data) session.request(bytes(text), RawWebSocketPeer.WAIT)).text();
        }

        static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        static Duration since(long startNanos) {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** The length of an honest client's hello 1 frame (the clients here all run {@link #CLIENT_CONFIG}). */
        static int helloOneLength() {
            return RawWebSocketPeer.initiatorHello().length;
        }

        /** The length of the server's hello 2 frame: the responder's answer under the same development configuration. */
        static int helloTwoLength() {
            HandshakeResponder responder = new HandshakeResponder(CLIENT_CONFIG);
            responder.start();
            return responder.onFrame(RawWebSocketPeer.initiatorHello()).reply().length;
        }

        /**
         * The WebSocket offset of the first byte of a hello's public key, in a frame of
         * {@code frameLength} bytes: the WebSocket header (2 bytes, 2 more from 126 bytes on,
         * 4 more for a client's mask), the secure-channel header, then the message number byte.
         */
        static int publicKeyOffset(int frameLength, boolean masked) {
            int webSocketHeader = 2 + (frameLength >= 126 ? 2 : 0) + (masked ? 4 : 0);
            return webSocketHeader + FrameCodec.HEADER_LENGTH + 1;
        }
    }
}
