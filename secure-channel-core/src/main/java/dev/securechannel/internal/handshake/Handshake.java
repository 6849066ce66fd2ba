package dev.securechannel.internal.handshake;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.Transcript;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.protocol.FrameCodec;
import org.jspecify.annotations.Nullable;

/**
 * One side of the three-message handshake, as a state machine fed whole frames.
 *
 * <p>Use: call {@link #start()} and send what it returns (the initiator's hello; nothing for
 * the responder), then pass each received frame to {@link #onFrame(byte[])}, send each reply
 * and call {@link #replySent()} once it is handed to the transport, until a step carries the
 * result. (The responder answers hello 1 before it derives its keys and derives them in
 * {@code replySent()}, so its X25519 agreement runs while the initiator does its own.) The first failure moves the handshake to a failed
 * state and throws a {@link SecureChannelException}; every later call throws too. The caller
 * owns the timeout (PROTOCOL.md section 2: 30 s by default, see
 * {@link SessionConfig#handshakeTimeout()}).
 *
 * <p>Not thread-safe: one thread, or one serialised event stream, drives a handshake.
 */
public abstract sealed class Handshake permits HandshakeInitiator, HandshakeResponder {

    /**
     * The largest payload_len a handshake frame may declare: a 64 KiB document plus 1 KiB of
     * headroom. Transports apply it to the header before reading a handshake frame's payload.
     */
    public static final int MAX_HANDSHAKE_PAYLOAD_LENGTH = Hello.MAX_HANDSHAKE_PAYLOAD;

    /**
     * The states both roles pass through. Only the responder knows {@code REPLY_PENDING}
     * (hello 2 handed out, keys not yet derived) and {@code AWAITING_CONFIRMATION}.
     */
    protected enum State { NEW, AWAITING_PEER_HELLO, REPLY_PENDING, AWAITING_CONFIRMATION, ESTABLISHED, FAILED }

    final SessionConfig config;
    final X25519KeyPair keyPair;
    final byte[] nonce;
    State state = State.NEW;
    long startedAt;
    long attestNanos;
    long verifyNanos;
    long keyNanos;

    Handshake(SessionConfig config, X25519KeyPair keyPair, byte[] nonce) {
        this.config = config;
        this.keyPair = keyPair;
        this.nonce = nonce;
    }

    static byte[] freshNonce(SessionConfig config) {
        byte[] nonce = new byte[32];
        config.secureRandom().nextBytes(nonce);
        return nonce;
    }

    /** The local role. */
    public abstract Role role();

    /**
     * Begins the handshake.
     *
     * @return the first frame to send, or {@code null} when this side waits for the peer
     */
    public final byte @Nullable [] start() {
        requireState(State.NEW);
        startedAt = System.nanoTime();
        try {
            state = State.AWAITING_PEER_HELLO;
            return onStart();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Consumes one received frame.
     *
     * @throws SecureChannelException for any failure; the handshake is then dead
     */
    public final HandshakeStep onFrame(byte[] frame) {
        if (state == State.NEW || state == State.ESTABLISHED || state == State.FAILED) {
            throw fail(new SecureChannelException(
                    state == State.FAILED ? FailureReason.SESSION_CLOSED : FailureReason.UNEXPECTED_MESSAGE,
                    "frame received in state " + state));
        }
        try {
            return onReceive(frame);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Tells the handshake that the last reply has been handed to the transport, so it can do
     * the work the reply did not need: the responder derives its keys here, while hello 2
     * travels and the initiator runs its own X25519 agreement. Call it after sending every
     * reply; it does nothing when no work is pending. A driver that never calls it still works:
     * the keys are then derived when the confirmation arrives.
     *
     * @throws SecureChannelException when the deferred work fails (the handshake is then dead),
     *                                or SESSION_CLOSED when the handshake had already failed
     */
    public final void replySent() {
        if (state == State.FAILED) {
            throw new SecureChannelException(FailureReason.SESSION_CLOSED, "handshake failed");
        }
        if (state != State.REPLY_PENDING) {
            return;
        }
        try {
            onReplySent();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** Whether the handshake completed. */
    public final boolean isComplete() {
        return state == State.ESTABLISHED;
    }

    /** Whether the handshake failed. */
    public final boolean isFailed() {
        return state == State.FAILED;
    }

    /** Aborts the handshake (timeout, transport closed) and wipes its secrets. */
    public final void abort() {
        if (state != State.ESTABLISHED) {
            state = State.FAILED;
            keyPair.destroy();
            wipeDerivedKeys();
        }
    }

    /** Wipes keys derived before completion; the responder holds some while it awaits the confirmation. */
    void wipeDerivedKeys() {
    }

    abstract byte @Nullable [] onStart();

    abstract HandshakeStep onReceive(byte[] frame);

    /** The work deferred until the reply is sent; only reached in {@code REPLY_PENDING}. */
    void onReplySent() {
    }

    final AttestationDocument attest() {
        long begin = System.nanoTime();
        try {
            AttestationDocument document = config.attestationProvider().attest(null, nonce, keyPair.publicKey());
            if (document.bytes().length > AttestationDocument.MAX_LENGTH) {
                throw new SecureChannelException(FailureReason.ATTESTATION_GENERATION_FAILED, "local document over 64 KiB");
            }
            return document;
        } catch (SecureChannelException e) {
            throw e;
        } catch (Exception e) {
            throw new SecureChannelException(FailureReason.ATTESTATION_GENERATION_FAILED, e.getClass().getSimpleName(), e);
        } finally {
            attestNanos += System.nanoTime() - begin;
        }
    }

    final VerifiedAttestation verifyPeer(Hello peer) {
        long begin = System.nanoTime();
        try {
            return peer.verify(config);
        } finally {
            verifyNanos += System.nanoTime() - begin;
        }
    }

    /**
     * X25519 with the peer, transcript and key schedule.
     *
     * @param initiatorExtensions hello 1's extension bits as its sender sent them
     * @param responderExtensions hello 2's extension bits, the extensions in use
     */
    final SessionKeys deriveKeys(Hello initiator, Hello responder, byte[] peerPublicKey,
                                 int initiatorExtensions, int responderExtensions) {
        long begin = System.nanoTime();
        try {
            byte[] shared = keyPair.agree(peerPublicKey);
            if (shared == null) {
                throw new SecureChannelException(FailureReason.NON_CONTRIBUTORY_KEY, "X25519 shared secret is all zero");
            }
            byte[] transcript = Transcript.hash(SessionConfigInternals.cryptoBackend(config),
                    initiator.document().sha256(), responder.document().sha256(),
                    initiator.publicKey(), responder.publicKey(), initiator.nonce(), responder.nonce(),
                    FrameCodec.PROTOCOL_VERSION, initiatorExtensions, responderExtensions);
            SessionKeys keys = SessionKeys.derive(SessionConfigInternals.cryptoBackend(config), shared, transcript);
            java.util.Arrays.fill(shared, (byte) 0);
            return keys;
        } finally {
            keyNanos += System.nanoTime() - begin;
        }
    }

    /**
     * Refuses a negotiated set that lacks an extension this side requires (section 8.1): the
     * handshake ends before any application data.
     */
    final void requireConfigured(Extensions negotiated) {
        int missing = SessionConfigInternals.requiredExtensions(config).bits() & ~negotiated.bits();
        if (missing != 0) {
            throw new SecureChannelException(FailureReason.EXTENSION_REQUIRED,
                    "required " + new Extensions(missing) + ", negotiated " + negotiated);
        }
    }

    final HandshakeResult establish(SessionKeys keys, VerifiedAttestation peer, AttestationDocument localDocument,
                                    Extensions extensions) {
        boolean initiator = role() == Role.INITIATOR;
        byte[] sessionId = keys.sessionId();
        RecordAlgorithm algorithm = RecordAlgorithm.of(extensions);
        SealingContext sealing = new SealingContext(SessionConfigInternals.cryptoBackend(config), algorithm,
                initiator ? keys.initiatorToResponder() : keys.responderToInitiator(), sessionId);
        OpeningContext opening = new OpeningContext(SessionConfigInternals.cryptoBackend(config), algorithm,
                initiator ? keys.responderToInitiator() : keys.initiatorToResponder(), sessionId);
        keys.destroy();
        keyPair.destroy();
        state = State.ESTABLISHED;
        HandshakeTimings timings = new HandshakeTimings(attestNanos, verifyNanos, keyNanos, System.nanoTime() - startedAt);
        return new HandshakeResult(role(), sessionId, sealing, opening, peer, localDocument, config.maxPayloadLength(), timings,
                extensions, config.keyUpdatePolicy());
    }

    final void requireState(State expected) {
        if (state != expected) {
            throw fail(new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, "state " + state + ", expected " + expected));
        }
    }

    private SecureChannelException fail(RuntimeException cause) {
        abort();
        if (cause instanceof SecureChannelException secure) {
            return secure;
        }
        return new SecureChannelException(FailureReason.INTERNAL_ERROR, cause.getClass().getSimpleName(), cause);
    }
}
