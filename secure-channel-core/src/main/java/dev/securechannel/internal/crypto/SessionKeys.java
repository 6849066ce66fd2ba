package dev.securechannel.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * The key schedule's output (PROTOCOL.md section 3): one key per direction, the session id
 * that goes into every AAD, and the confirmation hash the initiator sends last.
 *
 * <p>{@link #destroy()} wipes the arrays; copies already handed to ciphers are the JDK's to
 * manage. Not thread-safe.
 */
public final class SessionKeys implements Destroyable {

    private static final byte[] INITIATOR_TO_RESPONDER = ascii("cmt-initiator-to-responder");
    private static final byte[] RESPONDER_TO_INITIATOR = ascii("cmt-responder-to-initiator");
    private static final byte[] SESSION_ID = ascii("cmt-session-id");
    private static final byte[] CONFIRMATION = ascii("cmt-confirmation");

    private final byte[] initiatorToResponder;
    private final byte[] responderToInitiator;
    private final byte[] sessionId;
    private final byte[] confirmation;
    private boolean destroyed;

    private SessionKeys(byte[] initiatorToResponder, byte[] responderToInitiator, byte[] sessionId, byte[] confirmation) {
        this.initiatorToResponder = initiatorToResponder;
        this.responderToInitiator = responderToInitiator;
        this.sessionId = sessionId;
        this.confirmation = confirmation;
    }

    /** Derives every key from the X25519 shared secret and the transcript hash, on {@link CryptoBackends#auto()}. */
    public static SessionKeys derive(byte[] sharedSecret, byte[] transcript) {
        return derive(CryptoBackends.auto(), sharedSecret, transcript);
    }

    /** Derives every key from the X25519 shared secret and the transcript hash, hashing on {@code backend}. */
    public static SessionKeys derive(CryptoBackend backend, byte[] sharedSecret, byte[] transcript) {
        byte[] prk = Hkdf.extract(backend, transcript, sharedSecret);
        byte[] i2r = Hkdf.expand(backend, prk, INITIATOR_TO_RESPONDER, 32);
        byte[] r2i = Hkdf.expand(backend, prk, RESPONDER_TO_INITIATOR, 32);
        Arrays.fill(prk, (byte) 0);
        byte[] sessionId = Hkdf.expand(backend, Hkdf.extract(backend, new byte[32], transcript), SESSION_ID, 32);
        MessageDigest digest = backend.sha256();
        digest.update(CONFIRMATION);
        digest.update(sessionId);
        digest.update(i2r);
        digest.update(r2i);
        return new SessionKeys(i2r, r2i, sessionId, digest.digest());
    }

    /** The key for frames from initiator to responder (a copy). */
    public byte[] initiatorToResponder() {
        return live(initiatorToResponder).clone();
    }

    /** The key for frames from responder to initiator (a copy). */
    public byte[] responderToInitiator() {
        return live(responderToInitiator).clone();
    }

    /** The 32-byte session id (a copy); not secret, but not to be shown either: it is in every AAD. */
    public byte[] sessionId() {
        return live(sessionId).clone();
    }

    /** The expected confirmation hash (a copy). */
    public byte[] confirmation() {
        return live(confirmation).clone();
    }

    /** Whether {@code received} equals the confirmation hash, compared in constant time. */
    public boolean confirms(byte[] received) {
        return MessageDigest.isEqual(live(confirmation), received);
    }

    private byte[] live(byte[] value) {
        if (destroyed) {
            throw new IllegalStateException("session keys destroyed");
        }
        return value;
    }

    @Override
    public void destroy() {
        Arrays.fill(initiatorToResponder, (byte) 0);
        Arrays.fill(responderToInitiator, (byte) 0);
        Arrays.fill(confirmation, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
