package dev.securechannel.client;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;

/**
 * The server closed the connection; its close code says why (PROTOCOL.md section 7), for
 * example 1008 when it rejected this side's attestation or 1013 when it was full.
 */
public class PeerClosedException extends SecureChannelException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public PeerClosedException(FailureReason reason, int closeCode, String peerReason) {
        super(reason, "peer closed with " + closeCode + (peerReason.isEmpty() ? "" : " (" + peerReason + ")"));
        this.closeCode = closeCode;
    }

    /** The close code the peer sent, or 1006 when the connection broke. */
    public int closeCode() {
        return closeCode;
    }

    /** Whether the peer's code says the condition may pass: going away, abnormal closure, internal error, try again later. */
    public boolean isTransient() {
        return closeCode == 1001 || closeCode == 1006 || closeCode == 1011 || closeCode == 1013;
    }
}
