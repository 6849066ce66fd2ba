package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.protocol.FrameType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How sessions end over WebSocket on Tomcat and on Reactor Netty: peers that vanish at each
 * step of the handshake or in a session, a WebSocket close without a Shutdown, and a clean
 * Shutdown. These run against servers with the shipped 30 s handshake timeout, so only the
 * transport's close (never a timeout) can free what a vanished peer held: the server's
 * {@code ConnectionRegistry} must end up empty within a few seconds.
 *
 * <p>CONFORMANCE cases: N16 (client gone during each handshake step: after the upgrade, after
 * its hello, right after its confirmation; no leak), C10 (peer closes mid-handshake), F5 and N4
 * (connection lost or WebSocket closed without a Shutdown: reported as truncated, never as a
 * clean close), F3 (Shutdown: close 1000, a clean end), N3 (frames after a Shutdown are never
 * delivered).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketLifecycleTest {

    @Nested
    @ServerContexts.DefaultServlet
    class Tomcat extends Scenarios {
    }

    @Nested
    @ServerContexts.DefaultReactorNetty
    class ReactorNetty extends Scenarios {
    }

    abstract static class Scenarios extends EndpointScenarioSupport {

        @Test
        void aClientVanishingRightAfterTheUpgradeLeavesNoConnectionBehind() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                awaitPendingHandshakes(1);
                peer.abort();
                awaitRegistryEmpty();
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.CONNECTION_CLOSED);
            assertServesHonestClient();
        }

        @Test
        void aClientVanishingAfterItsHelloLeavesNoPendingHandshakeBehind() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                peer.sendHelloAndAwaitReply();
                assertThat(registry.pendingHandshakes()).isEqualTo(1);
                peer.abort();
                awaitRegistryEmpty();
            }
            assertApplicationSawNothingAndHandshakeFailedWith(FailureReason.CONNECTION_CLOSED);
            assertServesHonestClient();
        }

        @Test
        void aClientVanishingRightAfterItsConfirmationIsReportedAsTruncated() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                peer.completeHandshake();
                await().atMost(RawWebSocketPeer.WAIT).until(() -> application.openCount() == 1);
                peer.abort();
                awaitRegistryEmpty();
            }
            assertApplicationSawOnlyTheFailure(FailureReason.TRUNCATED);
            assertServesHonestClient();
        }

        @Test
        void aClientVanishingMidSessionIsReportedAsTruncated() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                SealedSession session = peer.completeHandshake();
                peer.sendBinary(session.data("first"));
                assertThat(session.openText(peer.receiveBinary())).isEqualTo("first");
                peer.abort();
                awaitRegistryEmpty();
            }
            assertApplicationSawDeliveriesThenFailure(FailureReason.TRUNCATED, "first");
            assertServesHonestClient();
        }

        @Test
        void aWebSocketClosedWithoutAShutdownIsReportedAsTruncated() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                SealedSession session = peer.completeHandshake();
                peer.sendBinary(session.data("first"));
                assertThat(session.openText(peer.receiveBinary())).isEqualTo("first");
                peer.sendClose(1000);
                awaitRegistryEmpty();
            }
            assertApplicationSawDeliveriesThenFailure(FailureReason.TRUNCATED, "first");
            assertServesHonestClient();
        }

        @Test
        void aShutdownEndsTheSessionCleanlyWith1000() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                SealedSession session = peer.completeHandshake();
                peer.sendBinary(session.data("last words"));
                assertThat(session.openText(peer.receiveBinary())).isEqualTo("last words");
                peer.sendBinary(session.shutdown());
                assertThat(peer.awaitCloseCode()).isEqualTo(1000);
            }
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
            assertThat(application.deliveredTexts()).containsExactly("last words");
            assertServesHonestClient();
        }

        @Test
        void aFramePipelinedAfterAShutdownIsNeverDelivered() throws Exception {
            try (RawWebSocketPeer peer = connectRaw()) {
                SealedSession session = peer.completeHandshake();
                byte[] shutdown = session.shutdown();
                // Sealed with the sequence number that would follow the Shutdown.
                byte[] afterShutdown = WebSocketHandshakeAbuseTest.frame(FrameType.DATA, FrameFlags.ENCRYPTED, 1, new byte[32]);
                peer.sendBinary(shutdown);
                peer.sendBinaryUnlessClosed(afterShutdown);
                assertThat(peer.awaitCloseCode()).isEqualTo(1000);
            }
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
            assertThat(application.deliveries()).isEmpty();
            assertServesHonestClient();
        }

        private void awaitPendingHandshakes(int count) {
            await("pending handshakes").atMost(RawWebSocketPeer.WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> registry.pendingHandshakes() == count);
        }

        private void awaitRegistryEmpty() {
            await("no leaked connection").atMost(RawWebSocketPeer.WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> registry.connections().isEmpty() && registry.pendingHandshakes() == 0);
        }
    }
}
