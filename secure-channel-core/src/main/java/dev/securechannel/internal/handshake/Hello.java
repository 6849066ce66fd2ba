package dev.securechannel.internal.handshake;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.FrameHeader;
import dev.securechannel.protocol.FrameType;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The hello messages on the wire (PROTOCOL.md section 2) and the checks every received
 * handshake frame goes through, shared by both roles.
 *
 * @param publicKey the sender's X25519 public key
 * @param nonce     the sender's 32-byte nonce
 * @param document  the sender's attestation document
 */
record Hello(byte[] publicKey, byte[] nonce, AttestationDocument document) {

    static final int INITIATOR_HELLO = 1;
    static final int RESPONDER_HELLO = 2;
    static final int CONFIRMATION = 3;
    /** message number, pk, nonce, u32 document length. */
    static final int FIXED_LENGTH = 1 + 32 + 32 + 4;
    static final int CONFIRMATION_LENGTH = 1 + 32;
    /** Largest handshake payload: a 64 KiB document plus 1 KiB of headroom (the reference's read bound). */
    static final int MAX_HANDSHAKE_PAYLOAD = AttestationDocument.MAX_LENGTH + 1024;

    /**
     * Checks a received handshake frame's header and message number, in an order that names
     * the most specific problem: size, type, message number, then sequence.
     */
    static FrameHeader checkFrame(byte[] frame, int expectedMessage, long expectedSequence) {
        FrameHeader header;
        try {
            header = FrameCodec.decodeMessageHeader(frame, MAX_HANDSHAKE_PAYLOAD);
        } catch (SecureChannelException e) {
            if (e.reason() == FailureReason.PAYLOAD_TOO_LARGE) {
                throw new SecureChannelException(FailureReason.HANDSHAKE_BUFFER_OVERFLOW, "handshake frame over " + MAX_HANDSHAKE_PAYLOAD + " bytes");
            }
            throw e;
        }
        if (header.type() != FrameType.HELLO) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE, header.type() + " frame during the handshake");
        }
        if (header.payloadLength() == 0) {
            throw new SecureChannelException(FailureReason.MALFORMED_HELLO, "empty hello");
        }
        int messageNumber = frame[FrameCodec.HEADER_LENGTH] & 0xFF;
        if (messageNumber != expectedMessage) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_MESSAGE,
                    "handshake message " + messageNumber + ", expected " + expectedMessage);
        }
        if (header.sequence() != expectedSequence) {
            throw new SecureChannelException(FailureReason.UNEXPECTED_SEQUENCE,
                    "sequence " + header.sequence() + ", expected " + expectedSequence);
        }
        return header;
    }

    /**
     * The extension bits of a checked hello's flags byte (section 8.1). Its low bits are
     * ignored, as a receiver ignores Hello flag bits it does not know (section 2); the flags of
     * every other frame type keep the session's strict rules.
     */
    static int extensionBits(FrameHeader header) {
        return header.flags() & Extensions.MASK;
    }

    /** Parses the hello payload of a checked frame: exactly 69 + doc_len bytes. */
    static Hello parse(byte[] frame, FrameHeader header) {
        int length = header.payloadLength();
        if (length < FIXED_LENGTH) {
            throw new SecureChannelException(FailureReason.MALFORMED_HELLO, "hello too short: " + length + " bytes");
        }
        int offset = FrameCodec.HEADER_LENGTH + 1;
        byte[] publicKey = Arrays.copyOfRange(frame, offset, offset + 32);
        byte[] nonce = Arrays.copyOfRange(frame, offset + 32, offset + 64);
        int lengthOffset = offset + 64;
        long documentLength = ((frame[lengthOffset] & 0xFFL) << 24) | ((frame[lengthOffset + 1] & 0xFFL) << 16)
                | ((frame[lengthOffset + 2] & 0xFFL) << 8) | (frame[lengthOffset + 3] & 0xFFL);
        if (documentLength > AttestationDocument.MAX_LENGTH) {
            throw new SecureChannelException(FailureReason.ATTESTATION_DOCUMENT_TOO_LARGE, documentLength + " bytes");
        }
        if (length != FIXED_LENGTH + documentLength) {
            throw new SecureChannelException(FailureReason.MALFORMED_HELLO,
                    "expected " + (FIXED_LENGTH + documentLength) + " bytes, got " + length);
        }
        int documentOffset = FrameCodec.HEADER_LENGTH + FIXED_LENGTH;
        byte[] document = Arrays.copyOfRange(frame, documentOffset, documentOffset + (int) documentLength);
        return new Hello(publicKey, nonce, new AttestationDocument(document));
    }

    /** Encodes this hello as a frame with sequence 0 and no flags (base version 4). */
    byte[] encode(int messageNumber) {
        return encode(messageNumber, FrameFlags.NONE);
    }

    /** Encodes this hello as a frame with sequence 0 and {@code flags} (extension bits, section 8.1). */
    byte[] encode(int messageNumber, int flags) {
        byte[] document = this.document.bytes();
        if (document.length > AttestationDocument.MAX_LENGTH) {
            throw new SecureChannelException(FailureReason.ATTESTATION_DOCUMENT_TOO_LARGE, "local document of " + document.length + " bytes");
        }
        int payloadLength = FIXED_LENGTH + document.length;
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + payloadLength];
        FrameCodec.writeHeader(frame, 0, FrameType.HELLO, flags, 0, payloadLength);
        int offset = FrameCodec.HEADER_LENGTH;
        frame[offset] = (byte) messageNumber;
        System.arraycopy(publicKey, 0, frame, offset + 1, 32);
        System.arraycopy(nonce, 0, frame, offset + 33, 32);
        frame[offset + 65] = (byte) (document.length >>> 24);
        frame[offset + 66] = (byte) (document.length >>> 16);
        frame[offset + 67] = (byte) (document.length >>> 8);
        frame[offset + 68] = (byte) document.length;
        System.arraycopy(document, 0, frame, offset + FIXED_LENGTH, document.length);
        return frame;
    }

    /** Encodes the confirmation frame (sequence 1). */
    static byte[] encodeConfirmation(byte[] confirmation) {
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + CONFIRMATION_LENGTH];
        FrameCodec.writeHeader(frame, 0, FrameType.HELLO, FrameFlags.NONE, 1, CONFIRMATION_LENGTH);
        frame[FrameCodec.HEADER_LENGTH] = (byte) CONFIRMATION;
        System.arraycopy(confirmation, 0, frame, FrameCodec.HEADER_LENGTH + 1, 32);
        return frame;
    }

    /** Parses the confirmation payload of a checked frame: exactly 33 bytes. */
    static byte[] parseConfirmation(byte[] frame, FrameHeader header) {
        if (header.payloadLength() != CONFIRMATION_LENGTH) {
            throw new SecureChannelException(FailureReason.MALFORMED_HELLO,
                    "confirmation: expected " + CONFIRMATION_LENGTH + " bytes, got " + header.payloadLength());
        }
        return Arrays.copyOfRange(frame, FrameCodec.HEADER_LENGTH + 1, FrameCodec.HEADER_LENGTH + CONFIRMATION_LENGTH);
    }

    /**
     * Verifies the peer's document, its binding to this hello's key and nonce, and the
     * expected measurements, in that order.
     */
    VerifiedAttestation verify(SessionConfig config) {
        VerifiedAttestation verified;
        try {
            verified = config.attestationVerifier().verify(document);
        } catch (SecureChannelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, e.getClass().getSimpleName(), e);
        }
        if (verified.isInsecure() && config.securityProfile() == SecurityProfile.PRODUCTION) {
            // Defence in depth: a verifier that vouches for mock evidence must not open a production session.
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "insecure evidence in the production profile");
        }
        byte[] boundKey = verified.publicKey().orElseThrow(
                () -> new SecureChannelException(FailureReason.PUBLIC_KEY_MISSING, "public_key absent from the peer's attestation"));
        if (!MessageDigest.isEqual(boundKey, publicKey)) {
            throw new SecureChannelException(FailureReason.PUBLIC_KEY_MISMATCH, "public_key differs from the hello");
        }
        byte[] boundNonce = verified.nonce().orElseThrow(
                () -> new SecureChannelException(FailureReason.NONCE_MISSING, "nonce absent from the peer's attestation"));
        if (!MessageDigest.isEqual(boundNonce, nonce)) {
            throw new SecureChannelException(FailureReason.NONCE_MISMATCH, "nonce differs from the hello");
        }
        config.expectedMeasurements().check(verified);
        return verified;
    }
}
