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
 * The server's side: verifies the initiator's hello 1 before answering with hello 2 (which
 * accepts the offered extensions this side enables), then checks the confirmation in constant
 * time and is established. See {@link Handshake} for the calling contract.
 *
 * <p>Hello 2 does not depend on the session keys, so it is handed out first
 * ({@code REPLY_PENDING}) and the keys are derived in {@link #replySent()}, while the frame
 * travels and the initiator runs its own X25519 agreement; or, if the driver never calls it,
 * when the confirmation arrives.
 */
public final class HandshakeResponder extends Handshake {

    /**
     * What the deferred key derivation needs, kept from hello 1 to {@link #replySent()}.
     *
     * @param initiator           the initiator's hello
     * @param own                 this side's hello
     * @param initiatorExtensions hello 1's extension bits as received
     * @param extensions          hello 2's extension bits: the extensions in use
     */
    private record Answered(Hello initiator, Hello own, int initiatorExtensions, Extensions extensions) {
    }

    private @Nullable Answered answered;
    private @Nullable SessionKeys keys;
    private @Nullable VerifiedAttestation peer;

    /** A responder with a fresh ephemeral key pair and nonce from {@code config}. */
    public HandshakeResponder(SessionConfig config) {
        this(config, SessionConfigInternals.newEphemeralKeyPair(config), freshNonce(config));
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
        // Accept what was offered and is enabled here; bits this side does not know (0x80, and
        // resumption until it is built) are never enabled, so they are ignored.
        int offered = Hello.extensionBits(header);
        Extensions accepted = new Extensions(offered & SessionConfigInternals.enabledExtensions(config).bits());
        requireConfigured(accepted);
        VerifiedAttestation verified = verifyPeer(initiator);
        AttestationDocument document = attest();
        Hello own = new Hello(ownPublicKey, nonce.clone(), document);
        this.answered = new Answered(initiator, own, offered, accepted);
        this.peer = verified;
        state = State.REPLY_PENDING;
        return new HandshakeStep(own.encode(Hello.RESPONDER_HELLO, accepted.bits()), null);
    }

    @Override
    void onReplySent() {
        Answered pending = answered;
        if (pending == null) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, "state " + state);
        }
        keys = deriveKeys(pending.initiator(), pending.own(), pending.initiator().publicKey(),
                pending.initiatorExtensions(), pending.extensions().bits());
        state = State.AWAITING_CONFIRMATION;
    }

    private HandshakeStep onConfirmation(byte[] frame) {
        FrameHeader header = Hello.checkFrame(frame, Hello.CONFIRMATION, 1);
        byte[] confirmation = Hello.parseConfirmation(frame, header);
        if (state == State.REPLY_PENDING) {
            onReplySent();
        }
        Answered pending = answered;
        SessionKeys derived = keys;
        VerifiedAttestation verified = peer;
        if (pending == null || derived == null || verified == null) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, "state " + state);
        }
        if (!derived.confirms(confirmation)) {
            throw new SecureChannelException(FailureReason.CONFIRMATION_MISMATCH);
        }
        return new HandshakeStep(null, establish(derived, verified, pending.own().document(), pending.extensions()));
    }

    @Override
    void wipeDerivedKeys() {
        SessionKeys derived = keys;
        if (derived != null) {
            derived.destroy();
        }
    }
}
