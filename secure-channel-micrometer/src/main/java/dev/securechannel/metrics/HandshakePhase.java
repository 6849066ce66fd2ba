package dev.securechannel.metrics;

import dev.securechannel.handshake.HandshakeTimings;

/** Where a side's handshake time goes: the {@code phase} tag of the handshake phase timer. */
public enum HandshakePhase {

    /** Producing the local attestation document. */
    ATTEST("attest"),
    /** Verifying the peer's document, binding and measurements. */
    VERIFY_PEER("verify-peer"),
    /** Key generation, X25519, transcript and HKDF. */
    KEY_DERIVATION("key-derivation"),
    /** Waiting on the peer and the transport. */
    WAITING("waiting");

    private final String tagValue;

    HandshakePhase(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The metrics tag value, for example {@code verify-peer}. */
    public String tagValue() {
        return tagValue;
    }

    /** This phase's share of {@code timings}, in nanoseconds. */
    public long nanos(HandshakeTimings timings) {
        switch (this) {
            case ATTEST:
                return timings.attestNanos();
            case VERIFY_PEER:
                return timings.verifyPeerNanos();
            case KEY_DERIVATION:
                return timings.keyDerivationNanos();
            default:
                return timings.waitingNanos();
        }
    }
}
