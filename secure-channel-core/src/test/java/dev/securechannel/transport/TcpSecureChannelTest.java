package dev.securechannel.transport;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.Rejections.thrownBy;
import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.await;
import static dev.securechannel.session.ChannelTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.session.BlockingSecureChannel;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureChannel;
import dev.securechannel.transport.TcpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SecureChannel} over {@link TcpTransport} on the loopback interface, where frames are
 * a byte stream: a full exchange in both directions (CONFORMANCE C1, G1), a confirmation and
 * first Data frame pipelined into one write (C22), stream-level handshake faults (C5, C9,
 * C10, C13), slow peers cut off by the handshake timeout (the in-core part of N11), a
 * trickling or oversized frame after the handshake (N13) and end of stream without Shutdown
 * (F5, N4). The server side runs on its own thread; raw clients are {@link RawTcpPeer}s.
 */
@Timeout(value = 15, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpSecureChannelTest {

    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(5_000);
    }

    @AfterEach
    void stopListening() throws IOException {
        listener.close();
    }

    private int port() {
        return listener.getLocalPort();
    }

    private CompletableFuture<SecureChannel> acceptOne(SessionConfig config) {
        return async(() -> SecureChannel.accept(new TcpTransport(listener.accept()), config));
    }

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
    @DisplayName("C1, G1 a full session over TCP")
    class FullSession {

        @Test
        @DisplayName("C1 a handshake, then Data (1 MiB included) and a [32, 384] F32 tensor both ways over TCP loopback")
        void dataAndTensorsFlowBothWaysOverTcp() throws Exception {
            CompletableFuture<Integer> echoed = async(() -> {
                try (SecureChannel server = SecureChannel.accept(new TcpTransport(listener.accept()), development())) {
                    server.send(utf8("welcome"));
                    return echoUntilShutdown(server);
                }
            });
            byte[] mebibyte = new byte[1024 * 1024];
            new Random(22).nextBytes(mebibyte);
            Tensor hidden = hiddenStates();

            try (SecureChannel client = SecureChannel.connect(TcpTransport.connect("127.0.0.1", port(), Duration.ofSeconds(2)), development())) {
                assertThat(client.receive()).isEqualTo(new Message.Data(utf8("welcome")));
                client.send(utf8("prompt"));
                client.send(mebibyte);
                client.sendTensor(hidden);

                assertThat(client.receive()).isEqualTo(new Message.Data(utf8("prompt")));
                assertThat(client.receive()).isEqualTo(new Message.Data(mebibyte));
                assertThat(client.receive()).isEqualTo(new Message.TensorMessage(hidden));
                client.shutdown();
            }
            assertThat(await(echoed)).isEqualTo(3);
        }

        @Test
        @DisplayName("G1 connecting to an unbound port fails fast with an IOException")
        void connectToUnboundPortFailsFast() throws IOException {
            int unbound;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                unbound = probe.getLocalPort();
            }

            assertTimeoutPreemptively(Duration.ofSeconds(3), () ->
                    assertThatThrownBy(() -> TcpTransport.connect("127.0.0.1", unbound, Duration.ofSeconds(2)))
                            .isInstanceOf(IOException.class));
        }

        private int echoUntilShutdown(SecureChannel server) throws IOException {
            int echoed = 0;
            while (true) {
                Message message = server.receive();
                if (message instanceof Message.Shutdown) {
                    return echoed;
                }
                if (message instanceof Message.Data data) {
                    server.send(data.payload());
                } else if (message instanceof Message.TensorMessage tensor) {
                    server.sendTensor(tensor.tensor());
                }
                echoed++;
            }
        }

        private Tensor hiddenStates() {
            float[] values = new float[32 * 384];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.001f;
            }
            return Tensor.ofFloats("hidden_states", new long[] {32, 384}, values);
        }
    }

    @Test
    @DisplayName("C22 the confirmation and the first Data frame pipelined into one TCP write are both used")
    void pipelinedConfirmationAndFirstDataAreBothDelivered() throws Exception {
        CompletableFuture<SecureChannel> accepted = acceptOne(development());
        try (RawTcpPeer client = RawTcpPeer.connect(port())) {
            HandshakeStep step = client.handshakeUntilConfirmation(development());
            List<byte[]> sealed = new ArrayList<>();
            RecordSession session = new RecordSession(Objects.requireNonNull(step.result()), sealed::add);
            session.send(utf8("first request"));
            session.send(utf8("second request"));

            client.write(WireFrames.concat(step.reply(), sealed.get(0), sealed.get(1)));

            try (SecureChannel server = await(accepted)) {
                assertThat(server.receive()).isEqualTo(new Message.Data(utf8("first request")));
                assertThat(server.receive()).isEqualTo(new Message.Data(utf8("second request")));
            }
        }
    }

    @Nested
    @DisplayName("C5, C9, C10, C13 stream faults during the handshake")
    class HandshakeFaults {

        @Test
        @DisplayName("C9 a Hello header declaring 32 MiB fails the accept at once, before any payload is read")
        void hugeHelloHeaderFailsAtOnce() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(withTimeouts(Duration.ofSeconds(10), Duration.ZERO));
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                long start = System.nanoTime();
                client.write(WireFrames.header(FrameType.HELLO.code(), 0, 0, FrameCodec.MAX_PAYLOAD_LENGTH));

                SecureChannelException thrown = awaitFailure(accepted, FailureReason.HANDSHAKE_BUFFER_OVERFLOW);

                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                assertThat(thrown.reason().closeCode()).isEqualTo(1009);
                assertThat(client.sawEndOfStream()).isTrue();
            }
        }

        @Test
        @DisplayName("C10 a client that connects and closes at once ends the accept with CONNECTION_CLOSED")
        void immediateCloseEndsTheAccept() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(development());

            RawTcpPeer.connect(port()).close();

            awaitFailure(accepted, FailureReason.CONNECTION_CLOSED);
        }

        @Test
        @DisplayName("C5 a client that sends the header fragment cf4d02 and closes ends the accept with CONNECTION_CLOSED")
        void headerFragmentThenCloseEndsTheAccept() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(development());
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                client.write(new byte[] {(byte) 0xCF, 0x4D, 0x02});
            }

            awaitFailure(accepted, FailureReason.CONNECTION_CLOSED);
        }

        @Test
        @DisplayName("C10 a client that closes halfway through its hello ends the accept with CONNECTION_CLOSED")
        void halfAHelloThenCloseEndsTheAccept() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(development());
            byte[] hello = Objects.requireNonNull(new HandshakeInitiator(development()).start());
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                client.write(Arrays.copyOf(hello, hello.length / 2));
            }

            awaitFailure(accepted, FailureReason.CONNECTION_CLOSED);
        }

        @Test
        @DisplayName("C13 a hello with sequence 99 from a client that holds the socket open fails at once")
        void badHelloWithSocketHeldOpenFailsAtOnce() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(withTimeouts(Duration.ofSeconds(10), Duration.ZERO));
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                long start = System.nanoTime();
                client.write(WireFrames.withSequence(Objects.requireNonNull(new HandshakeInitiator(development()).start()), 99));

                awaitFailure(accepted, FailureReason.UNEXPECTED_SEQUENCE);

                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                assertThat(client.sawEndOfStream()).isTrue();
            }
        }
    }

    @Nested
    @DisplayName("N11 slow peers")
    class SlowPeers {

        private final Duration timeout = Duration.ofMillis(200);

        @Test
        @DisplayName("N11 a client trickling its hello one byte per 20 ms is cut off at the 200 ms handshake timeout")
        void tricklingClientIsCutOffAtTheHandshakeTimeout() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(withTimeouts(timeout, Duration.ZERO));
            byte[] hello = Objects.requireNonNull(new HandshakeInitiator(development()).start());
            long start = System.nanoTime();
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                async(() -> {
                    client.trickle(hello, 20);
                    return null;
                });

                awaitFailure(accepted, FailureReason.HANDSHAKE_TIMEOUT);

                assertElapsedAbout(start, timeout);
            }
        }

        @Test
        @DisplayName("N11 a server trickling its hello one byte per 20 ms is cut off at the client's 200 ms handshake timeout")
        void tricklingServerIsCutOffAtTheHandshakeTimeout() throws Exception {
            async(() -> {
                try (RawTcpPeer server = RawTcpPeer.wrap(listener.accept())) {
                    HandshakeResponder responder = new HandshakeResponder(development());
                    responder.start();
                    server.trickle(Objects.requireNonNull(responder.onFrame(Objects.requireNonNull(server.readFrame())).reply()), 20);
                }
                return null;
            });
            long start = System.nanoTime();

            thrownBy(() -> SecureChannel.connect(TcpTransport.connect("127.0.0.1", port(), Duration.ofSeconds(2)),
                    withTimeouts(timeout, Duration.ZERO)), FailureReason.HANDSHAKE_TIMEOUT);

            assertElapsedAbout(start, timeout);
        }
    }

    @Nested
    @DisplayName("N13, F5 after the handshake")
    class AfterTheHandshake {

        @Test
        @DisplayName("N13 a frame header followed by a trickle is cut off at the idle timeout")
        void tricklingFrameIsCutOffAtTheIdleTimeout() throws Exception {
            Duration idle = Duration.ofMillis(300);
            CompletableFuture<SecureChannel> accepted = acceptOne(withTimeouts(Duration.ofSeconds(5), idle));
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                client.handshake(development());
                SecureChannel server = await(accepted);
                client.write(WireFrames.header(FrameType.DATA.code(), FrameFlags.ENCRYPTED, 0, 1024 * 1024));
                async(() -> {
                    client.trickle(new byte[1024], 20);
                    return null;
                });
                long start = System.nanoTime();

                thrownBy(server::receive, FailureReason.IDLE_TIMEOUT);

                assertElapsedAbout(start, idle);
                assertThat(BlockingSecureChannel.recordSession(server).state()).isEqualTo(RecordSession.State.FAILED);
            }
        }

        @Test
        @DisplayName("N13 a frame header declaring 32 MiB is refused at once, above the session's 4 MiB cap")
        void oversizedFrameHeaderIsRefusedAtOnce() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(development());
            try (RawTcpPeer client = RawTcpPeer.connect(port())) {
                client.handshake(development());
                SecureChannel server = await(accepted);

                client.write(WireFrames.header(FrameType.DATA.code(), FrameFlags.ENCRYPTED, 0, FrameCodec.MAX_PAYLOAD_LENGTH));

                thrownBy(server::receive, FailureReason.PAYLOAD_TOO_LARGE);
                assertThat(BlockingSecureChannel.recordSession(server).failureReason()).isEqualTo(FailureReason.PAYLOAD_TOO_LARGE);
                assertThat(client.sawEndOfStream()).isTrue();
            }
        }

        @Test
        @DisplayName("F5 a peer that closes its socket without Shutdown is reported as TRUNCATED")
        void socketClosedWithoutShutdownIsTruncated() throws Exception {
            CompletableFuture<SecureChannel> accepted = acceptOne(development());
            RawTcpPeer client = RawTcpPeer.connect(port());
            client.handshake(development());
            SecureChannel server = await(accepted);

            client.close();

            thrownBy(server::receive, FailureReason.TRUNCATED);
            assertThat(BlockingSecureChannel.recordSession(server).state()).isEqualTo(RecordSession.State.FAILED);
        }
    }

    private static void assertElapsedAbout(long startNanos, Duration expected) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        assertThat(elapsed).isGreaterThanOrEqualTo(expected.minusMillis(20)).isLessThan(expected.plusMillis(1_500));
    }
}
