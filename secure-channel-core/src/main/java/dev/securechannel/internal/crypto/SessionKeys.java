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
    private static final byte[] RESUMPTION_MASTER = ascii("cmt-resumption-master");

    private final byte[] initiatorToResponder;
    private final byte[] responderToInitiator;
    private final byte[] sessionId;
    private final byte[] confirmation;
    /** The secret tickets of this session derive from (PROTOCOL.md 8.4), or {@code null} without resumption. */
    private final byte[] resumptionMaster;
    private boolean destroyed;

    private SessionKeys(byte[] initiatorToResponder, byte[] responderToInitiator, byte[] sessionId, byte[] confirmation,
                        byte[] resumptionMaster) {
        this.initiatorToResponder = initiatorToResponder;
        this.responderToInitiator = responderToInitiator;
        this.sessionId = sessionId;
        this.confirmation = confirmation;
        this.resumptionMaster = resumptionMaster;
    }

    /** Derives every key from the X25519 shared secret and the transcript hash, on {@link CryptoBackends#auto()}. */
    public static SessionKeys derive(byte[] sharedSecret, byte[] transcript) {
        return derive(CryptoBackends.auto(), sharedSecret, transcript);
    }

    /** Derives every key from the X25519 shared secret and the transcript hash, hashing on {@code backend}. */
    public static SessionKeys derive(CryptoBackend backend, byte[] sharedSecret, byte[] transcript) {
        return derive(backend, sharedSecret, transcript, false);
    }

    /**
     * Derives every key from the input keying material and the transcript hash, hashing on
     * {@code backend}; with {@code resumption} (bit 0x40 negotiated) also the session's
     * resumption master secret (PROTOCOL.md 8.4).
     *
     * @param inputKeyMaterial the X25519 shared secret, or for a resumed handshake
     *                         {@link Resumption#inputKeyMaterial psk | shared secret}
     */
    public static SessionKeys derive(CryptoBackend backend, byte[] inputKeyMaterial, byte[] transcript, boolean resumption) {
        byte[] prk = Hkdf.extract(backend, transcript, inputKeyMaterial);
        byte[] i2r = Hkdf.expand(backend, prk, INITIATOR_TO_RESPONDER, 32);
        byte[] r2i = Hkdf.expand(backend, prk, RESPONDER_TO_INITIATOR, 32);
        byte[] resumptionMaster = resumption ? Hkdf.expand(backend, prk, RESUMPTION_MASTER, 32) : null;
        Arrays.fill(prk, (byte) 0);
        byte[] sessionId = Hkdf.expand(backend, Hkdf.extract(backend, new byte[32], transcript), SESSION_ID, 32);
        MessageDigest digest = backend.sha256();
        digest.update(CONFIRMATION);
        digest.update(sessionId);
        digest.update(i2r);
        digest.update(r2i);
        return new SessionKeys(i2r, r2i, sessionId, digest.digest(), resumptionMaster);
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

    /**
     * The resumption master secret (a copy).
     *
     * @throws IllegalStateException if the keys were derived without resumption
     */
    public byte[] resumptionMaster() {
        if (resumptionMaster == null) {
            throw new IllegalStateException("no resumption master: resumption was not negotiated");
        }
        return live(resumptionMaster).clone();
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
        if (resumptionMaster != null) {
            Arrays.fill(resumptionMaster, (byte) 0);
        }
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
