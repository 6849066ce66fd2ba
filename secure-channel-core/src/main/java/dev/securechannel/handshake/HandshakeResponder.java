package dev.securechannel.handshake;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.crypto.SessionKeys;
import dev.securechannel.crypto.X25519KeyPair;
import dev.securechannel.protocol.FrameHeader;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The server's side: verifies the initiator's hello 1 before answering with hello 2, then
 * checks the confirmation in constant time and is established. See {@link Handshake} for
 * the calling contract.
 */
public final class HandshakeResponder extends Handshake {

    private @Nullable SessionKeys keys;
    private @Nullable VerifiedAttestation peer;
    private @Nullable AttestationDocument ownDocument;

    /** A responder with a fresh ephemeral key pair and nonce from {@code config}. */
    public HandshakeResponder(SessionConfig config) {
        this(config, config.newEphemeralKeyPair(), freshNonce(config));
    }

    /** Fixed key and nonce: for known-answer tests only, hence not public. */
    HandshakeResponder(SessionConfig config, X25519KeyPair keyPair, byte[] nonce) {
        super(config, keyPair, nonce);
    }

    @Override
    public Role role() {
        return Role.RESPONDER;
    }

    @Override
    byte @Nullable [] onStart() {
        return null;
    }

    @Override
    HandshakeStep onReceive(byte[] frame) {
        if (state == State.AWAITING_PEER_HELLO) {
            return onInitiatorHello(frame);
        }
        return onConfirmation(frame);
    }

    private HandshakeStep onInitiatorHello(byte[] frame) {
        FrameHeader header = Hello.checkFrame(frame, Hello.INITIATOR_HELLO, 0);
        Hello initiator = Hello.parse(frame, header);
        byte[] ownPublicKey = keyPair.publicKey();
        if (MessageDigest.isEqual(initiator.publicKey(), ownPublicKey) || MessageDigest.isEqual(initiator.nonce(), nonce)) {
            throw new SecureChannelException(FailureReason.REFLECTED_HELLO);
        }
        VerifiedAttestation verified = verifyPeer(initiator);
        AttestationDocument document = attest();
        Hello own = new Hello(ownPublicKey, nonce.clone(), document);
        SessionKeys derived = deriveKeys(initiator, own, initiator.publicKey());
        this.keys = derived;
        this.peer = verified;
        this.ownDocument = document;
        state = State.AWAITING_CONFIRMATION;
        return new HandshakeStep(own.encode(Hello.RESPONDER_HELLO), null);
    }

    private HandshakeStep onConfirmation(byte[] frame) {
        SessionKeys derived = keys;
        VerifiedAttestation verified = peer;
        AttestationDocument document = ownDocument;
        if (derived == null || verified == null || document == null) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, "state " + state);
        }
        FrameHeader header = Hello.checkFrame(frame, Hello.CONFIRMATION, 1);
        byte[] confirmation = Hello.parseConfirmation(frame, header);
        if (!derived.confirms(confirmation)) {
            throw new SecureChannelException(FailureReason.CONFIRMATION_MISMATCH);
        }
        return new HandshakeStep(null, establish(derived, verified, document));
    }

    @Override
    void wipeDerivedKeys() {
        SessionKeys derived = keys;
        if (derived != null) {
            derived.destroy();
        }
    }
}
