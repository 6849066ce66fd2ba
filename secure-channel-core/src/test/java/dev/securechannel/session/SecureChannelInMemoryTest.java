package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static dev.securechannel.session.ChannelTesting.assertEndOfStream;
import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.await;
import static dev.securechannel.session.ChannelTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking {@link SecureChannel} over an {@link InMemoryDuplex}: the whole handshake and
 * data in both directions (CONFORMANCE C1, C12, E14, with a 1 MiB message and a [32, 384] F32
 * tensor), a peer that vanishes, stalls or misbehaves during the handshake (C10, C11, C13, the
 * in-core part of N11), and the idle timeout after it (N13).
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecureChannelInMemoryTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    private static SessionConfig withTimeouts(Duration handshakeTimeout, Duration idleTimeout) {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .handshakeTimeout(handshakeTimeout)
                .idleTimeout(idleTimeout)
                .build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("C1, C12, E14 a full exchange")
    class FullExchange {

        @Test
        @DisplayName("C1 the channels exchange exactly three Hello frames, with sequences 0, 0, 1")
        void handshakeSendsExactlyThreeHelloFrames() throws Exception {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            RecordingTransport clientEnd = new RecordingTransport(duplex.first());
            RecordingTransport serverEnd = new RecordingTransport(duplex.second());
            CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(serverEnd, development()));

            try (SecureChannel client = SecureChannel.connect(clientEnd, development()); SecureChannel accepted = await(server)) {
                List<byte[]> hellos = List.of(clientEnd.sent().get(0), serverEnd.sent().get(0), clientEnd.sent().get(1));

                assertThat(clientEnd.sent()).hasSize(2);
                assertThat(serverEnd.sent()).hasSize(1);
                assertThat(hellos).extracting(WireFrames::type).containsOnly(FrameType.HELLO.code());
                assertThat(hellos).extracting(WireFrames::sequence).containsExactly(0L, 0L, 1L);
                assertThat(BlockingSecureChannel.recordSession(client).isOpen()).isTrue();
                assertThat(BlockingSecureChannel.recordSession(accepted).isOpen()).isTrue();
            }
        }

        @Test
        @DisplayName("C1 Data and Tensor messages flow in both directions, including 1 MiB and a [32, 384] F32 tensor")
        void dataAndTensorsFlowBothWays() throws Exception {
            byte[] mebibyte = new byte[1024 * 1024];
            new Random(1).nextBytes(mebibyte);
            Tensor hidden = hiddenStates();
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), development())) {
                pair.client().send(utf8("prompt"));
                pair.client().send(mebibyte);
                pair.client().sendTensor(hidden);
                pair.server().send(utf8("completion"));
                pair.server().send(mebibyte);
                pair.server().sendTensor(hidden);

                assertThat(pair.server().receive()).isEqualTo(new Message.Data(utf8("prompt")));
                assertThat(pair.server().receive()).isEqualTo(new Message.Data(mebibyte));
                assertThat(pair.server().receive()).isEqualTo(new Message.TensorMessage(hidden));
                assertThat(pair.client().receive()).isEqualTo(new Message.Data(utf8("completion")));
                assertThat(pair.client().receive()).isEqualTo(new Message.Data(mebibyte));
                assertThat(pair.client().receive()).isEqualTo(new Message.TensorMessage(hidden));
            }
        }

        @Test
        @DisplayName("E14 a 100,000-byte payload is delivered through a channel")
        void hundredThousandBytesAreDelivered() throws Exception {
            byte[] payload = new byte[100_000];
            new Random(14).nextBytes(payload);
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), development())) {
                pair.client().send(payload);

                assertThat(pair.server().receive()).isEqualTo(new Message.Data(payload));
            }
        }

        @Test
        @DisplayName("C12 a handshake completes well within a 10 s timeout")
        void handshakeCompletesWithinItsTimeout() throws Exception {
            SessionConfig tenSeconds = withTimeouts(Duration.ofSeconds(10), Duration.ZERO);
            long start = System.nanoTime();

            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(tenSeconds, tenSeconds)) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                assertThat(BlockingSecureChannel.recordSession(pair.client()).handshake().timings().totalNanos()).isLessThan(Duration.ofSeconds(10).toNanos());
            }
        }

        private Tensor hiddenStates() {
            float[] values = new float[32 * 384];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.sin(i);
            }
            return Tensor.ofFloats("hidden_states", new long[] {32, 384}, values);
        }
    }

    @Nested
    @DisplayName("C10 peer closes mid-handshake")
    class PeerClosesMidHandshake {

        @Test
        @DisplayName("C10 a client that connects and closes at once ends the accept with CONNECTION_CLOSED")
        void clientClosingBeforeItsHelloEndsTheAccept() throws Exception {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(duplex.second(), development()));

            duplex.first().close();

            awaitFailure(server, FailureReason.CONNECTION_CLOSED);
        }

        @Test
        @DisplayName("C10 a client that closes after the responder's hello ends the accept with CONNECTION_CLOSED")
        void clientClosingBeforeItsConfirmationEndsTheAccept() throws Exception {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(duplex.second(), development()));
            FrameTransport raw = duplex.first();
            raw.send(new HandshakeInitiator(development()).start());
            assertThat(raw.receive(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH, ChannelTesting.WAIT)).isNotNull();

            raw.close();

            awaitFailure(server, FailureReason.CONNECTION_CLOSED);
        }

        @Test
        @DisplayName("C10 a server that closes after reading the client's hello ends the connect with CONNECTION_CLOSED")
        void serverClosingBeforeItsHelloEndsTheConnect() throws Exception {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            CompletableFuture<SecureChannel> client = async(() -> SecureChannel.connect(duplex.first(), development()));
            FrameTransport raw = duplex.second();
            assertThat(raw.receive(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH, ChannelTesting.WAIT)).isNotNull();

            raw.close();

            awaitFailure(client, FailureReason.CONNECTION_CLOSED);
        }
    }

    @Nested
    @DisplayName("C11, N11 silent peer")
    class SilentPeer {

        @Test
        @DisplayName("C11 the handshake timeout is 30 s unless configured")
        void defaultHandshakeTimeoutIsThirtySeconds() {
            assertThat(development().handshakeTimeout()).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        @DisplayName("C11 an accept whose client never speaks ends at the handshake timeout and closes the transport")
        void silentClientTimesOut() throws IOException {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            long start = System.nanoTime();

            thrownBy(() -> SecureChannel.accept(duplex.second(), withTimeouts(SHORT, Duration.ZERO)), FailureReason.HANDSHAKE_TIMEOUT);

            assertElapsedAbout(start, SHORT);
            assertEndOfStream(duplex.first());
        }

        @Test
        @DisplayName("C11 a connect whose server never answers ends at the handshake timeout")
        void silentServerTimesOut() throws IOException {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            long start = System.nanoTime();

            thrownBy(() -> SecureChannel.connect(duplex.first(), withTimeouts(SHORT, Duration.ZERO)), FailureReason.HANDSHAKE_TIMEOUT);

            assertElapsedAbout(start, SHORT);
            assertThat(duplex.second().receive(65_536, ChannelTesting.WAIT)).as("the client's hello").isNotNull();
            assertEndOfStream(duplex.second());
        }

        @Test
        @DisplayName("N11 the timeout bounds the whole handshake, not each wait: a client that stalls after its hello times out too")
        void clientStallingBeforeItsConfirmationTimesOut() throws IOException {
            InMemoryDuplex duplex = InMemoryDuplex.create();
            duplex.first().send(new HandshakeInitiator(development()).start());
            long start = System.nanoTime();

            thrownBy(() -> SecureChannel.accept(duplex.second(), withTimeouts(SHORT, Duration.ZERO)), FailureReason.HANDSHAKE_TIMEOUT);

            assertElapsedAbout(start, SHORT);
        }
    }

    @Test
    @DisplayName("C13 a bad hello from a client that stays connected fails at once, long before the timeout")
    void badHelloFailsAtOnce() throws IOException {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        byte[] hello = new HandshakeInitiator(development()).start();
        duplex.first().send(WireFrames.withSequence(hello, 99));
        long start = System.nanoTime();

        thrownBy(() -> SecureChannel.accept(duplex.second(), withTimeouts(Duration.ofSeconds(10), Duration.ZERO)),
                FailureReason.UNEXPECTED_SEQUENCE);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertEndOfStream(duplex.first());
    }

    @Test
    @DisplayName("C14 a flipped confirmation from a raw client fails the accept with CONFIRMATION_MISMATCH")
    void flippedConfirmationFailsTheAccept() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(duplex.second(), development()));
        FrameTransport raw = duplex.first();
        HandshakeInitiator initiator = new HandshakeInitiator(development());
        raw.send(initiator.start());
        byte[] confirmation = initiator.onFrame(raw.receive(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH, ChannelTesting.WAIT)).reply();

        raw.send(WireFrames.flipBit(confirmation, 8 * 30));

        assertThat(awaitFailure(server, FailureReason.CONFIRMATION_MISMATCH).reason().closeCode()).isEqualTo(1008);
        assertEndOfStream(raw);
    }

    @Nested
    @DisplayName("N13 idle timeout")
    class IdleTimeout {

        @Test
        @DisplayName("N13 a session that stays silent past the idle timeout is closed with IDLE_TIMEOUT")
        void silentSessionIsClosedAtTheIdleTimeout() throws Exception {
            Duration idle = Duration.ofMillis(300);
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), withTimeouts(Duration.ofSeconds(5), idle))) {
                long start = System.nanoTime();

                thrownBy(pair.server()::receive, FailureReason.IDLE_TIMEOUT);

                assertElapsedAbout(start, idle);
                assertThat(BlockingSecureChannel.recordSession(pair.server()).state()).isEqualTo(RecordSession.State.FAILED);
                assertThat(BlockingSecureChannel.recordSession(pair.server()).failureReason()).isEqualTo(FailureReason.IDLE_TIMEOUT);
                thrownBy(pair.client()::receive, FailureReason.TRUNCATED);
            }
        }

        @Test
        @DisplayName("N13 traffic within the idle timeout keeps the session open")
        void trafficKeepsTheSessionOpen() throws Exception {
            Duration idle = Duration.ofMillis(400);
            try (ChannelTesting.Pair pair = ChannelTesting.connectInMemory(development(), withTimeouts(Duration.ofSeconds(5), idle))) {
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(100);
                    pair.client().sendHeartbeat();

                    assertThat(pair.server().receive()).isInstanceOf(Message.Heartbeat.class);
                }
                assertThat(BlockingSecureChannel.recordSession(pair.server()).isOpen()).isTrue();
            }
        }
    }

    private static void assertElapsedAbout(long startNanos, Duration expected) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        assertThat(elapsed).isGreaterThanOrEqualTo(expected.minusMillis(20)).isLessThan(expected.plusMillis(1_500));
    }
}
