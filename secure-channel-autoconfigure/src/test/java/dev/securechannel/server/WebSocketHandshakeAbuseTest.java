package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.securechannel.FailureReason;
import dev.securechannel.client.PeerClosedException;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.protocol.FrameType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handshake of PROTOCOL.md section 2 attacked over WebSocket on Tomcat and on Reactor
 * Netty: every step out of order, forged authentication, and clients that never finish. Each
 * bad input checks the close code of section 7, that the application saw nothing (the server's
 * observer records the precise reason), and that an honest client is served right after.
 *
 * <p>CONFORMANCE cases: C2 (wrong hello sequence, 1002), C3 (Data frame during the handshake,
 * 1002), C4 and N7 (confirmation first, responder hello sent to the responder, duplicate
 * initiator hello, all 1002), E9 (Hello after the handshake, 1002), C14 (wrong confirmation,
 * 1008), D4 (document bound to another key, 1008), D5 (document the verifier rejects, 1008),
 * C11 and C13 (silent client, client stalling after its hello: 1008 at the handshake timeout),
 * N11 (a flood of handshakes that never finish is capped with 1013; an honest client still
 * gets in).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketHandshakeAbuseTest {

    @Nested
    @ServerContexts.StrictServlet
    class Tomcat extends Scenarios {
    }

    @Nested
    @ServerContexts.StrictReactorNetty
    class ReactorNetty extends Scenarios {
    }

    abstract static class Scenarios extends EndpointScenarioSupport {

        // ------------------------------------------------------------ order (1002)

        @Test
        void aConfirmationBeforeAnyHelloIsClosedWith1002() throws Exception {
            byte[] confirmation = hello(1, new byte[33]);
            confirmation[FrameCodec.HEADER_LENGTH] = 3;
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.sendBinary(confirmation);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.UNEXPECTED_MESSAGE);
            assertServesHonestClient();
        }

        @Test
        void aResponderHelloSentToTheServerIsClosedWith1002() throws Exception {
            byte[] responderHello = RawWebSocketPeer.initiatorHello();
            responderHello[FrameCodec.HEADER_LENGTH] = 2;
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.sendBinary(responderHello);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.UNEXPECTED_MESSAGE);
            assertServesHonestClient();
        }

        @Test
        void aDuplicateInitiatorHelloIsClosedWith1002() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                HandshakeInitiator initiator = new HandshakeInitiator(CLIENT_CONFIG);
                byte[] hello = initiator.start();
                attacker.sendBinary(hello);
                attacker.receiveBinary();
                attacker.sendBinary(hello);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.UNEXPECTED_MESSAGE);
            assertServesHonestClient();
        }

        @Test
        void aDataFrameBeforeTheHandshakeIsClosedWith1002() throws Exception {
            byte[] data = frame(FrameType.DATA, FrameFlags.ENCRYPTED, 0, new byte[40]);
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.sendBinary(data);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.UNEXPECTED_MESSAGE);
            assertServesHonestClient();
        }

        @Test
        void anInitiatorHelloWithAWrongSequenceIsClosedWith1002() throws Exception {
            byte[] hello = RawWebSocketPeer.initiatorHello();
            WebSocketFrameMappingTest.writeU32(hello, 5, 99);
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.sendBinary(hello);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.UNEXPECTED_SEQUENCE);
            assertServesHonestClient();
        }

        @Test
        void aHelloAfterTheHandshakeIsClosedWith1002AndEndsTheSession() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.completeHandshake();
                attacker.sendBinary(RawWebSocketPeer.initiatorHello());
                assertThat(attacker.awaitCloseCode()).isEqualTo(1002);
            }
            assertApplicationSawOnlyTheFailure(FailureReason.UNEXPECTED_MESSAGE);
            assertServesHonestClient();
        }

        // ------------------------------------------------------------ authentication (1008)

        @Test
        void aWrongConfirmationIsClosedWith1008() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                HandshakeInitiator initiator = new HandshakeInitiator(CLIENT_CONFIG);
                attacker.sendBinary(initiator.start());
                HandshakeStep step = initiator.onFrame(attacker.receiveBinary());
                byte[] confirmation = step.reply();
                confirmation[confirmation.length - 1] ^= 0x01;
                attacker.sendBinary(confirmation);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.CONFIRMATION_MISMATCH);
            assertServesHonestClient();
        }

        @Test
        void anAttestationBoundToAnotherKeyIsClosedWith1008() throws Exception {
            byte[] hello = RawWebSocketPeer.initiatorHello();
            // The mock document ends with its public_key field: change one bit of it.
            hello[hello.length - 1] ^= 0x01;
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.sendBinary(hello);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.PUBLIC_KEY_MISMATCH);
            assertServesHonestClient();
        }

        @Test
        void anAttestationTheVerifierRejectsIsClosedWith1008() throws Exception {
            byte[] hello = RawWebSocketPeer.initiatorHello();
            // The document starts after the 69 fixed hello bytes with "MOCK_ATT_V1\0": break the marker.
            hello[FrameCodec.HEADER_LENGTH + 69] ^= 0x20;
            try (RawWebSocketPeer attacker = connectRaw()) {
                attacker.sendBinary(hello);
                assertThat(attacker.awaitCloseCode()).isEqualTo(1008);
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.ATTESTATION_VERIFICATION_FAILED);
            assertServesHonestClient();
        }

        // ------------------------------------------------------------ clients that never finish

        @Test
        void aClientThatSendsNothingIsClosedWith1008AtTheHandshakeTimeout() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                long opened = System.nanoTime();
                assertThat(attacker.awaitClosure(Duration.ofSeconds(3)).code()).isEqualTo(1008);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isBetween(Duration.ofMillis(1400), Duration.ofMillis(3500));
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.HANDSHAKE_TIMEOUT);
            assertServesHonestClient();
        }

        @Test
        void aClientThatStallsAfterItsHelloIsClosedWith1008AtTheHandshakeTimeout() throws Exception {
            try (RawWebSocketPeer attacker = connectRaw()) {
                long opened = System.nanoTime();
                attacker.sendHelloAndAwaitReply();
                assertThat(attacker.awaitClosure(Duration.ofSeconds(3)).code()).isEqualTo(1008);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isBetween(Duration.ofMillis(1400), Duration.ofMillis(3500));
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.HANDSHAKE_TIMEOUT);
            assertServesHonestClient();
        }

        /**
         * Ten connections that never send a hello, opened at once against a cap of four pending
         * handshakes: four are admitted (and closed with 1008 at the 1.5 s handshake timeout),
         * the other six are refused at once with 1013. An honest client competes for the same
         * slots: while the stalled ones hold them it is refused with 1013 too, and with a retry
         * policy it gets in as soon as they time out.
         */
        @Test
        void aFloodOfIdleHandshakesIsCappedWith1013AndAnHonestClientStillGetsIn() throws Exception {
            int floodSize = 10;
            List<CompletableFuture<RawWebSocketPeer>> opening = new ArrayList<>();
            for (int i = 0; i < floodSize; i++) {
                opening.add(RawWebSocketPeer.connectAsync(endpoint()));
            }
            List<RawWebSocketPeer> flood = new ArrayList<>();
            try {
                for (CompletableFuture<RawWebSocketPeer> peer : opening) {
                    flood.add(peer.get(RawWebSocketPeer.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                }
                int refused = floodSize - ServerContexts.STRICT_MAX_PENDING_HANDSHAKES;
                long refusedSoFar = flood.stream().filter(peer -> peer.closure().isDone()).count();
                // The honest client competes for the same slots while the stalled connections hold them.
                assertThatThrownBy(this::assertServesHonestClient)
                        .isInstanceOfSatisfying(PeerClosedException.class, e -> assertThat(e.closeCode()).isEqualTo(1013));
                // ...and gets in once they time out, with a retry policy.
                assertServesHonestClient(new RetryPolicy(10, Duration.ofMillis(200), Duration.ofMillis(400), 1.5));

                Map<Integer, Long> codes = flood.stream()
                        .collect(Collectors.groupingBy(RawWebSocketPeer::awaitCloseCode, Collectors.counting()));
                assertThat(codes).as("close codes of the flood (%d refused before the honest client tried)", refusedSoFar)
                        .containsExactlyInAnyOrderEntriesOf(Map.of(
                                1013, (long) refused,
                                1008, (long) ServerContexts.STRICT_MAX_PENDING_HANDSHAKES));
                await().atMost(RawWebSocketPeer.WAIT).untilAsserted(() -> {
                    Map<FailureReason, Long> failures = observer.handshakeFailures().stream()
                            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                    assertThat(failures).containsOnlyKeys(FailureReason.TOO_MANY_HANDSHAKES, FailureReason.HANDSHAKE_TIMEOUT);
                    assertThat(failures.get(FailureReason.HANDSHAKE_TIMEOUT)).isEqualTo((long) ServerContexts.STRICT_MAX_PENDING_HANDSHAKES);
                    // The flood's refusals, the honest client's first attempt, and any retries made before a slot freed.
                    assertThat(failures.get(FailureReason.TOO_MANY_HANDSHAKES)).isGreaterThanOrEqualTo(refused + 1L);
                });
            } finally {
                flood.forEach(RawWebSocketPeer::close);
            }
            assertThat(application.deliveredTexts()).as("only the honest client's request was delivered")
                    .singleElement().asString().startsWith("honest ");
        }
    }

    /** A Hello frame with {@code sequence} and {@code payload}, flags 0. */
    static byte[] hello(long sequence, byte[] payload) {
        return frame(FrameType.HELLO, FrameFlags.NONE, sequence, payload);
    }

    static byte[] frame(FrameType type, int flags, long sequence, byte[] payload) {
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + payload.length];
        FrameCodec.writeHeader(frame, 0, type, flags, sequence, payload.length);
        System.arraycopy(payload, 0, frame, FrameCodec.HEADER_LENGTH, payload.length);
        return frame;
    }
}
