package dev.securechannel.handshake;

/** How strict a session's configuration must be. */
public enum SecurityProfile {
    /**
     * The default: refuses insecure (mock) attestation on either side and requires expected
     * measurements, so a peer must prove what it runs.
     */
    PRODUCTION,
    /** Allows mock attestation and sessions without expected measurements (with a warning). */
    DEVELOPMENT
}
