package dev.securechannel.handshake;

/**
 * What one side does with one protocol extension (PROTOCOL.md section 8.1).
 *
 * <p>An initiator offers in hello 1 every extension it does not turn {@link #OFF}; a responder
 * accepts in hello 2 those of the offered ones it does not turn off. {@link #REQUIRE} also
 * offers (or accepts), and then aborts a handshake whose negotiated set lacks the extension,
 * which refuses base version 4 peers such as the reference crate.
 */
public enum ExtensionMode {
    /** Never offered and never accepted. */
    OFF,
    /** Offered and accepted; a peer without it still gets base version 4. The default. */
    OFFER,
    /** Offered and accepted, and a handshake that does not negotiate it is aborted (close 1008). */
    REQUIRE
}
