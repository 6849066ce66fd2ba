package dev.securechannel.internal.handshake;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.handshake.Role;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.SealingContext;

/**
 * What a completed handshake hands to the session: one sealing and one opening context
 * (each with its own counter), the session id, and what each side proved.
 *
 * @param role                the local role
 * @param sessionId           the 32-byte session id (in every AAD; not to be displayed)
 * @param sealing             seals frames this side sends
 * @param opening             opens frames the peer sends
 * @param peerAttestation     the peer's verified attestation
 * @param localDocument       the document this side sent
 * @param maxPayloadLength    the payload cap for the session
 * @param timings             where the handshake time went
 * @param extensions          the extensions in use (PROTOCOL.md section 8.1: hello 2's bits)
 * @param keyUpdatePolicy     when this side replaces its sending key, if key update is in use
 */
public record HandshakeResult(Role role, byte[] sessionId, SealingContext sealing, OpeningContext opening,
                              VerifiedAttestation peerAttestation, AttestationDocument localDocument,
                              int maxPayloadLength, HandshakeTimings timings, Extensions extensions,
                              KeyUpdatePolicy keyUpdatePolicy) {

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public String toString() {
        return "HandshakeResult[role=" + role + ", peer=" + peerAttestation.platform() + ", extensions=" + extensions + "]";
    }
}
