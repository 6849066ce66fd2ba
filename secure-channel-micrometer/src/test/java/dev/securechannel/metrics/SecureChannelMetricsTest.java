package dev.securechannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.internal.connection.Connection;
import dev.securechannel.protocol.FrameType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-process statistics behind the endpoint: cumulative, both roles together, immutable snapshots. */
class SecureChannelMetricsTest {

    private final SecureChannelMetrics metrics = new SecureChannelMetrics();
    private final TestConnections connections = new TestConnections();

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void countsFramesPerSizeClassAndOverall() {
        metrics.recordSeal(FrameType.DATA, 100, 2_000);
        metrics.recordSeal(FrameType.TENSOR, 10_000, 9_000);
        metrics.recordOpen(FrameType.SHUTDOWN, 0, 1_000);

        SecureChannelMetrics.Messages messages = metrics.snapshot().messages();
        assertThat(messages.seal().overall().count()).isEqualTo(2);
        assertThat(messages.seal().bySize().get("le-2KiB").count()).isEqualTo(1);
        assertThat(messages.seal().bySize().get("le-512KiB").count()).isEqualTo(1);
        assertThat(messages.open().bySize().get("le-2KiB").count()).isEqualTo(1);
    }

    @Test
    void addsFailuresOfBothRolesByReason() {
        metrics.handshakeFailed(Role.RESPONDER, FailureReason.HANDSHAKE_TIMEOUT);
        metrics.handshakeFailed(Role.INITIATOR, FailureReason.HANDSHAKE_TIMEOUT);
        metrics.handshakeFailed(Role.INITIATOR, FailureReason.NONCE_MISMATCH);

        SecureChannelMetrics.Handshakes handshakes = metrics.snapshot().handshakes();
        assertThat(handshakes.failed()).isEqualTo(3);
        assertThat(handshakes.failures()).containsOnly(
                org.assertj.core.api.Assertions.entry("handshake-timeout", 2L),
                org.assertj.core.api.Assertions.entry("nonce-mismatch", 1L));
    }

    @Test
    void reportsEveryPhaseOfCompletedHandshakes() {
        metrics.handshakeCompleted(Role.RESPONDER, new HandshakeTimings(1_000, 2_000, 3_000, 10_000));

        SecureChannelMetrics.Handshakes handshakes = metrics.snapshot().handshakes();
        assertThat(handshakes.completed()).isEqualTo(1);
        assertThat(handshakes.phases()).containsOnlyKeys("attest", "verify-peer", "key-derivation", "waiting");
        assertThat(handshakes.phases().get("waiting").maxMicros()).isEqualTo(4.0);
    }

    @Test
    void tracksOpenSessionsAndClosesByReason() {
        Connection first = connections.server(0);
        Connection second = connections.server(0);
        metrics.sessionOpened(first);
        metrics.sessionOpened(second);
        metrics.sessionClosed(first, CloseReason.failed(FailureReason.IDLE_TIMEOUT));

        SecureChannelMetrics.Sessions sessions = metrics.snapshot().sessions();
        assertThat(sessions.active()).isEqualTo(1);
        assertThat(sessions.opened()).isEqualTo(2);
        assertThat(sessions.closed()).containsOnly(org.assertj.core.api.Assertions.entry("idle-timeout", 1L));
        assertThat(metrics.openSessions()).containsExactly(second);
    }

    @Test
    void snapshotsCannotBeChanged() {
        metrics.handshakeFailed(Role.RESPONDER, FailureReason.INVALID_MAGIC);

        SecureChannelMetrics.Snapshot snapshot = metrics.snapshot();
        assertThatThrownBy(() -> snapshot.handshakes().failures().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> snapshot.messages().seal().bySize().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
