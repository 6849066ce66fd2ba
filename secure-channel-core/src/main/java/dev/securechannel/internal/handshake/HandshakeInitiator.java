package dev.securechannel.internal.handshake;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.protocol.FrameHeader;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * The client's side: sends hello 1 offering its enabled extensions, verifies the responder's
 * hello 2 (whose extension bits must be a subset of the offer), sends the confirmation, and is
 * then established. See {@link Handshake} for the calling contract.
 */
public final class HandshakeInitiator extends Handshake {

    private @Nullable Hello ownHello;
    /** The extension bits hello 1 carries: this side's enabled set (section 8.1). */
    private final int offered;

    /** An initiator with a fresh ephemeral key pair and nonce from {@code config}. */
    public HandshakeInitiator(SessionConfig config) {
        this(config, SessionConfigInternals.newEphemeralKeyPair(config), freshNonce(config));
    }

    /** Fixed key and nonce: for known-answer tests only, hence not public. */
    HandshakeInitiator(SessionConfig config, X25519KeyPair keyPair, byte[] nonce) {
        super(config, keyPair, nonce);
        this.offered = SessionConfigInternals.enabledExtensions(config).bits();
    }

    @Override
    public Role role() {
        return Role.INITIATOR;
    }

    @Override
    byte[] onStart() {
        AttestationDocument document = attest();
        ownHello = new Hello(keyPair.publicKey(), nonce.clone(), document);
        return ownHello.encode(Hello.INITIATOR_HELLO, offered);
    }

    @Override
    HandshakeStep onReceive(byte[] frame) {
        Hello own = ownHello;
        if (state != State.AWAITING_PEER_HELLO || own == null) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, "state " + state);
        }
        FrameHeader header = Hello.checkFrame(frame, Hello.RESPONDER_HELLO, 0);
        Hello responder = Hello.parse(frame, header);
        int accepted = Hello.extensionBits(header);
        if ((accepted & ~offered) != 0) {
            throw new SecureChannelException(FailureReason.MALFORMED_HELLO,
                    "hello 2 accepts " + new Extensions(accepted) + ", offered " + new Extensions(offered));
        }
        Extensions negotiated = new Extensions(accepted);
        requireConfigured(negotiated);
        // A hello that echoes our own key or nonce is a reflection: without this check the
        // initiator could complete a session with itself.
        if (MessageDigest.isEqual(responder.publicKey(), own.publicKey()) || MessageDigest.isEqual(responder.nonce(), own.nonce())) {
            throw new SecureChannelException(FailureReason.REFLECTED_HELLO);
        }
        VerifiedAttestation peer = verifyPeer(responder);
        SessionKeys keys = deriveKeys(own, responder, responder.publicKey(), offered, accepted);
        byte[] confirmation = Hello.encodeConfirmation(keys.confirmation());
        return new HandshakeStep(confirmation, establish(keys, peer, own.document(), negotiated));
    }
}
