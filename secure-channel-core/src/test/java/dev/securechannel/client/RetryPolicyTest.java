package dev.securechannel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** CONFORMANCE G7 and N22: the retry policy's defaults, delays, and what it refuses to retry. */
class RetryPolicyTest {

    @Test
    void defaultsAreThreeRetriesFromOneSecondDoublingToThirtySeconds() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.maxRetries()).isEqualTo(3);
        assertThat(policy.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.multiplier()).isEqualTo(2.0);
    }

    @Test
    void noneNeverRetries() {
        assertThat(RetryPolicy.none().maxRetries()).isZero();
    }

    @Test
    void delaysAreJitteredToBetweenHalfAndAllOfTheCappedBase() {
        RetryPolicy policy = RetryPolicy.defaults();
        for (int i = 0; i < 1000; i++) {
            assertThat(policy.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(policy.delay(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(policy.delay(10)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        }
    }

    @Test
    void ioFailuresTimeoutsAndTransientClosesAreRetried() {
        assertThat(RetryPolicy.isRetryable(new IOException("refused"))).isTrue();
        assertThat(RetryPolicy.isRetryable(new SocketTimeoutException())).isTrue();
        assertThat(RetryPolicy.isRetryable(new SecureChannelException(FailureReason.HANDSHAKE_TIMEOUT))).isTrue();
        assertThat(RetryPolicy.isRetryable(new PeerClosedException(FailureReason.CONNECTION_CLOSED, 1013, "full"))).isTrue();
        assertThat(RetryPolicy.isRetryable(new PeerClosedException(FailureReason.CONNECTION_CLOSED, 1001, "going away"))).isTrue();
    }

    @Test
    void authenticationFailuresAreNeverRetried() {
        for (FailureReason reason : new FailureReason[] {FailureReason.ATTESTATION_VERIFICATION_FAILED,
                FailureReason.MEASUREMENT_MISMATCH, FailureReason.MEASUREMENT_MISSING, FailureReason.CONFIRMATION_MISMATCH,
                FailureReason.PUBLIC_KEY_MISMATCH, FailureReason.NONCE_MISMATCH, FailureReason.NON_CONTRIBUTORY_KEY}) {
            assertThat(RetryPolicy.isRetryable(new SecureChannelException(reason))).as(reason.name()).isFalse();
        }
        assertThat(RetryPolicy.isRetryable(new PeerClosedException(FailureReason.CONNECTION_CLOSED, 1008, "attestation"))).isFalse();
    }

    @Test
    void anEndpointThatRefusesTheUpgradeIsNotRetriedButAnOverloadedOneIs() {
        URI uri = URI.create("ws://127.0.0.1:1/secure-channel");
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.upgradeRefused(uri, 404, null))).isFalse();
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.upgradeRefused(uri, 403, null))).isFalse();
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.subprotocolRefused(uri, "cmt.v4", "", null))).isFalse();
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.tls(uri, new javax.net.ssl.SSLHandshakeException("untrusted"))))
                .isFalse();
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.upgradeRefused(uri, 503, null))).isTrue();
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.connectionRefused(uri, null))).isTrue();
        assertThat(RetryPolicy.isRetryable(WebSocketConnectException.timeout(uri, Duration.ofSeconds(1), "upgrade", null))).isTrue();
    }
}
