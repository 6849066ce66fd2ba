package dev.securechannel.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The secrets of session resumption (PROTOCOL.md 8.4) that both sides compute: the pre-shared
 * key of a ticket, the binder key, the binders that prove each side holds it, and the input
 * keying material of a resumed handshake. Stateless; every value is 32 bytes.
 */
public final class Resumption {

    private static final byte[] RESUMPTION = ascii("cmt-resumption");
    private static final byte[] BINDER = ascii("cmt-binder");
    private static final byte[] RESUME_INITIATOR = ascii("cmt-resume-initiator");
    private static final byte[] RESUME_RESPONDER = ascii("cmt-resume-responder");

    /** Length of a binder, of the psk and of the binder key. */
    public static final int LENGTH = 32;

    private Resumption() {
    }

    /** {@code HKDF-Expand(resumption_master, "cmt-resumption" | ticket_nonce, 32)}. */
    public static byte[] psk(CryptoBackend backend, byte[] resumptionMaster, byte[] ticketNonce) {
        byte[] info = new byte[RESUMPTION.length + ticketNonce.length];
        System.arraycopy(RESUMPTION, 0, info, 0, RESUMPTION.length);
        System.arraycopy(ticketNonce, 0, info, RESUMPTION.length, ticketNonce.length);
        return Hkdf.expand(backend, resumptionMaster, info, LENGTH);
    }

    /** {@code HKDF-Expand(psk, "cmt-binder", 32)}. */
    public static byte[] binderKey(CryptoBackend backend, byte[] psk) {
        return Hkdf.expand(backend, psk, BINDER, LENGTH);
    }

    /**
     * The initiator's binder: {@code HMAC-SHA-256(binder_key, "cmt-resume-initiator" | SHA-256(hello 1 payload up to the binder))}.
     *
     * @param helloBeforeBinder the resumption hello's payload without its last 32 bytes
     */
    public static byte[] initiatorBinder(CryptoBackend backend, byte[] binderKey, byte[] helloBeforeBinder) {
        Mac mac = backend.hmacSha256(binderKey);
        mac.update(RESUME_INITIATOR);
        mac.update(backend.sha256().digest(helloBeforeBinder));
        return mac.doFinal();
    }

    /**
     * The responder's binder: {@code HMAC-SHA-256(binder_key, "cmt-resume-responder" | SHA-256(hello 1 payload)
     * | SHA-256(hello 2 payload up to the binder))}.
     *
     * @param initiatorHello    the whole payload of the initiator's resumption hello, binder included
     * @param helloBeforeBinder the responder's hello payload without its last 32 bytes
     */
    public static byte[] responderBinder(CryptoBackend backend, byte[] binderKey, byte[] initiatorHello, byte[] helloBeforeBinder) {
        Mac mac = backend.hmacSha256(binderKey);
        mac.update(RESUME_RESPONDER);
        mac.update(backend.sha256().digest(initiatorHello));
        mac.update(backend.sha256().digest(helloBeforeBinder));
        return mac.doFinal();
    }

    /** Whether a received binder equals the expected one, compared in constant time. */
    public static boolean binderMatches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    /** The input keying material of a resumed handshake: {@code psk | shared secret}. */
    public static byte[] inputKeyMaterial(byte[] psk, byte[] sharedSecret) {
        byte[] ikm = new byte[psk.length + sharedSecret.length];
        System.arraycopy(psk, 0, ikm, 0, psk.length);
        System.arraycopy(sharedSecret, 0, ikm, psk.length, sharedSecret.length);
        return ikm;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
