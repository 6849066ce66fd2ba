package dev.securechannel.connection;

import dev.securechannel.FailureReason;
import org.jspecify.annotations.Nullable;

/**
 * Why a connection ended before its session opened: refused at admission, rejected or timed
 * out in the handshake, or closed by the peer or the endpoint before the handler was told of
 * an open session. There is no session to name: only the peer's address.
 *
 * @param reason        why the handshake failed
 * @param remoteAddress the peer's address, for logs
 * @param detail        which check rejected the peer's attestation (for example
 *                      {@code sev-snp verifier: MEASUREMENT}), or {@code null} for other failures
 */
public record HandshakeFailure(FailureReason reason, String remoteAddress, @Nullable String detail) {
}
