package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.internal.handshake.HandshakeFixtures.developmentBuilder;
import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.await;
import static dev.securechannel.session.ChannelTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.Rejections;
import dev.securechannel.internal.handshake.TestAttestation;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking {@link SecureChannel} reports to its {@link ConnectionObserver} what a WebSocket
 * connection reports: the handshake's outcome, each application frame sealed, written and
 * opened, and the session's end exactly once, on the threads the class comment names.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecureChannelObserverTest {

    /** Refuses every document, as a verifier whose policy the peer fails. */
    private static final AttestationVerifier REJECTING = TestAttestation.verifier(true, document -> {
        throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "refused");
    });

    private final RecordingObserver clientObserver = new RecordingObserver();
    private final RecordingObserver serverObserver = new RecordingObserver();

    @Test
    void eachSideReportsItsHandshakeOnceThenTheSessionOnTheThreadThatRanIt() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> accepted = async(() -> SecureChannel.accept(duplex.second(), development(), serverObserver));

        try (SecureChannel client = SecureChannel.connect(duplex.first(), development(), clientObserver);
             SecureChannel server = await(accepted)) {
            assertThat(clientObserver.events).containsExactly("handshakeCompleted initiator", "sessionOpened initiator");
            assertThat(serverObserver.events).containsExactly("handshakeCompleted responder", "sessionOpened responder");
            assertThat(clientObserver.timings).singleElement().satisfies(timings -> assertThat(timings.totalNanos()).isPositive());
            assertThat(serverObserver.timings).singleElement().satisfies(timings -> assertThat(timings.totalNanos()).isPositive());
            assertThat(clientObserver.opened).containsExactly(client);
            assertThat(serverObserver.opened).containsExactly(server);
            assertThat(clientObserver.handshakeThreads).containsExactly(Thread.currentThread());
            assertThat(serverObserver.handshakeThreads).doesNotContain(Thread.currentThread()).hasSize(1);
        }
    }

    @Test
    void dataAndTensorFramesAreReportedSealedAndWrittenBySenderAndOpenedByReceiver() throws Exception {
        byte[] prompt = "prompt".getBytes(StandardCharsets.UTF_8);
        Tensor tensor = Tensor.ofFloats("logits", new long[] {2, 2}, new float[] {1, 2, 3, 4});
        try (ChannelTesting.Pair pair = observedPair()) {
            pair.client().send(prompt);
            pair.client().sendTensor(tensor);
            pair.client().sendHeartbeat();
            assertThat(pair.server().receive()).isInstanceOf(Message.Data.class);
            assertThat(pair.server().receive()).isInstanceOf(Message.TensorMessage.class);
            assertThat(pair.server().receive()).isInstanceOf(Message.Heartbeat.class);

            int tensorLength = clientObserver.sealedLengthOf(FrameType.TENSOR);
            // The sub-header (name, dtype, shape) is sealed with the tensor's 16 bytes.
            assertThat(tensorLength).isGreaterThan(16);
            // A Heartbeat is a control frame: opened is reported, sealed and written are not, as on a WebSocket connection.
            assertThat(clientObserver.frames()).containsExactly(
                    "frameSealed DATA 6", "frameWritten DATA 6",
                    "frameSealed TENSOR " + tensorLength, "frameWritten TENSOR " + tensorLength);
            assertThat(serverObserver.frames()).containsExactly(
                    "frameOpened DATA 6", "frameOpened TENSOR " + tensorLength, "frameOpened HEARTBEAT 0");
            assertThat(clientObserver.frameNanos).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
            assertThat(serverObserver.frameNanos).allSatisfy(nanos -> assertThat(nanos).isNotNegative());
        }
    }

    @Test
    void aCleanShutdownIsReportedOnceOnEachSide() throws Exception {
        try (ChannelTesting.Pair pair = observedPair()) {
            pair.client().shutdown();
            pair.server().shutdown();
            assertThat(clientObserver.closes).isEmpty();

            assertThat(pair.server().receive()).isInstanceOf(Message.Shutdown.class);
            assertThat(pair.client().receive()).isInstanceOf(Message.Shutdown.class);
            // Later closes and failed calls end nothing more.
            pair.client().close();
            Rejections.thrownBy(pair.server()::receive, FailureReason.SESSION_CLOSED);
        }

        assertThat(clientObserver.closes).containsExactly(CloseReason.clean());
        assertThat(serverObserver.closes).containsExactly(CloseReason.clean());
        assertThat(clientObserver.events).containsExactly("handshakeCompleted initiator", "sessionOpened initiator",
                "frameOpened SHUTDOWN 0", "sessionClosed initiator shutdown");
        assertThat(serverObserver.events).containsExactly("handshakeCompleted responder", "sessionOpened responder",
                "frameOpened SHUTDOWN 0", "sessionClosed responder shutdown");
    }

    @Test
    void aPeerThatVanishesIsATruncationAndAnAbortIsAClosedSession() throws Exception {
        try (ChannelTesting.Pair pair = observedPair()) {
            pair.client().close();

            Rejections.thrownBy(pair.server()::receive, FailureReason.TRUNCATED);
            pair.server().close();
        }

        assertThat(serverObserver.closes).containsExactly(CloseReason.failed(FailureReason.TRUNCATED));
        assertThat(clientObserver.closes).containsExactly(CloseReason.failed(FailureReason.SESSION_CLOSED));
    }

    @Test
    void aRejectedAttestationIsReportedBeforeTheFailedHandshake() throws Exception {
        SessionConfig strict = developmentBuilder().attestationVerifier(REJECTING).build();
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> accepted = async(() -> SecureChannel.accept(duplex.second(), development(), serverObserver));

        Rejections.thrownBy(() -> SecureChannel.connect(duplex.first(), strict, clientObserver),
                FailureReason.ATTESTATION_VERIFICATION_FAILED);
        // The server waited for a confirmation that never came.
        awaitFailure(accepted, FailureReason.CONNECTION_CLOSED);

        assertThat(clientObserver.events).containsExactly(
                "attestationRejected initiator test attestation-verification-failed",
                "handshakeFailed initiator ATTESTATION_VERIFICATION_FAILED");
        assertThat(serverObserver.events).containsExactly("handshakeFailed responder CONNECTION_CLOSED");
        assertThat(clientObserver.failureNanos).singleElement().satisfies(nanos -> assertThat(nanos).isPositive());
        assertThat(clientObserver.handshakeThreads).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    /** A client and server over a fresh in-memory duplex, each with its own observer. */
    private ChannelTesting.Pair observedPair() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        CompletableFuture<SecureChannel> server = async(() -> SecureChannel.accept(duplex.second(), development(), serverObserver));
        SecureChannel client = SecureChannel.connect(duplex.first(), development(), clientObserver);
        return new ChannelTesting.Pair(client, await(server));
    }

    /** Records every event as a line, with the values that lines leave out kept apart. */
    private static final class RecordingObserver implements ConnectionObserver {

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<HandshakeTimings> timings = new CopyOnWriteArrayList<>();
        final List<Long> failureNanos = new CopyOnWriteArrayList<>();
        final List<Thread> handshakeThreads = new CopyOnWriteArrayList<>();
        final List<SecureSession> opened = new CopyOnWriteArrayList<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final List<Long> frameNanos = new CopyOnWriteArrayList<>();

        @Override
        public void handshakeCompleted(Role role, HandshakeTimings handshakeTimings) {
            handshakeThreads.add(Thread.currentThread());
            timings.add(handshakeTimings);
            events.add("handshakeCompleted " + role.tagValue());
        }

        @Override
        public void handshakeFailed(Role role, FailureReason reason, long elapsedNanos) {
            handshakeThreads.add(Thread.currentThread());
            failureNanos.add(elapsedNanos);
            events.add("handshakeFailed " + role.tagValue() + " " + reason);
        }

        @Override
        public void attestationRejected(Role role, String verifier, String detailCode) {
            handshakeThreads.add(Thread.currentThread());
            events.add("attestationRejected " + role.tagValue() + " " + verifier + " " + detailCode);
        }

        @Override
        public void sessionOpened(SecureSession session) {
            opened.add(session);
            events.add("sessionOpened " + session.role().tagValue());
        }

        @Override
        public void sessionClosed(SecureSession session, CloseReason reason) {
            closes.add(reason);
            events.add("sessionClosed " + session.role().tagValue() + " " + reason.tagValue());
        }

        @Override
        public void frameSealed(FrameType type, int plaintextLength, long nanos) {
            frame("frameSealed", type, plaintextLength, nanos);
        }

        @Override
        public void frameWritten(FrameType type, int plaintextLength, long nanos) {
            frame("frameWritten", type, plaintextLength, nanos);
        }

        @Override
        public void frameOpened(FrameType type, int plaintextLength, long nanos) {
            frame("frameOpened", type, plaintextLength, nanos);
        }

        private void frame(String event, FrameType type, int plaintextLength, long nanos) {
            frameNanos.add(nanos);
            events.add(event + " " + type + " " + plaintextLength);
        }

        /** The frame events alone, in order. */
        List<String> frames() {
            return events.stream().filter(event -> event.startsWith("frame")).toList();
        }

        /** The plaintext length of the one frame of {@code type} sealed. */
        int sealedLengthOf(FrameType type) {
            String prefix = "frameSealed " + type + " ";
            String sealed = events.stream().filter(event -> event.startsWith(prefix)).reduce((a, b) -> {
                throw new AssertionError("more than one " + type + " frame sealed");
            }).orElseThrow(() -> new AssertionError("no " + type + " frame sealed"));
            return Integer.parseInt(sealed.substring(prefix.length()));
        }
    }
}
