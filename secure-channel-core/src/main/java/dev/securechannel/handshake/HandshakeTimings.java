package dev.securechannel.handshake;

/**
 * Where one side's handshake time went, in nanoseconds, for metrics.
 *
 * @param attestNanos        producing the local attestation document
 * @param verifyPeerNanos    verifying the peer's document, binding and measurements
 * @param keyDerivationNanos key generation, X25519, transcript and HKDF
 * @param totalNanos         from the first step to the session being established, waiting on the peer included
 */
public record HandshakeTimings(long attestNanos, long verifyPeerNanos, long keyDerivationNanos, long totalNanos) {

    /** Time spent waiting on the peer and the transport: the total less local work. */
    public long waitingNanos() {
        return Math.max(0, totalNanos - attestNanos - verifyPeerNanos - keyDerivationNanos);
    }
}
